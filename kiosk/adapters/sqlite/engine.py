"""SQLAlchemy engine for one kiosk database file.

Every connection gets the durability pragmas. pysqlite's own transaction handling is switched
off (``isolation_level = None``) and the BEGIN is emitted here instead, so a write transaction
takes SQLite's RESERVED lock at ``BEGIN IMMEDIATE`` rather than at its first write; that is
what keeps two writers from deadlocking on a lock upgrade. Readers use a plain deferred BEGIN.

The engine is thread-safe: each transaction checks out its own connection from a small pool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import QueuePool

BEGIN_OPTION = "kiosk_begin"
BUSY_TIMEOUT_MS = 5000
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def database_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def create_store_engine(
    path: Path,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    foreign_keys: bool = True,
    pool_size: int = 4,
) -> Engine:
    """Engine whose connections run in WAL, ``synchronous=FULL``, with a busy timeout.

    ``foreign_keys=False`` is only for migrations, which rebuild tables and check the keys
    themselves before committing (the pragma is ignored inside a transaction).
    """
    engine = create_engine(
        database_url(path),
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"timeout": busy_timeout_ms / 1000},
    )
    pragmas = (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
        f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}",
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown BEGIN mode {mode!r}")
        # Straight on the driver: this runs for every transaction, and SQLAlchemy's own
        # statement path would add tens of microseconds to each.
        conn.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) with transactions that begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
