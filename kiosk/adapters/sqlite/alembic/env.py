"""Alembic environment of the kiosk store, driven from ``kiosk.adapters.sqlite.migrations``.

The caller hands in a connection (``config.attributes["connection"]``) whose BEGIN is
``BEGIN IMMEDIATE`` and whose foreign keys are off; the whole upgrade, version stamp included,
runs in that one transaction, and foreign keys are checked before it commits.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from kiosk.adapters.sqlite.orm import Base
from kiosk.domain.errors import StoreUnavailable

config = context.config
target_metadata = Base.metadata


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise StoreUnavailable(
            f"The database upgrade left broken references in {', '.join(tables)}; "
            "nothing was changed, call IT."
        )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or "sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run kiosk migrations through kiosk.adapters.sqlite.migrations.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transactional_ddl=True,  # SQLite DDL is transactional once we emit BEGIN ourselves
    )
    with context.begin_transaction():
        context.run_migrations()
        _check_foreign_keys(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
