"""What every repository mixin of ``SqliteTx`` shares: the connection, the session, errors.

Every statement runs on the transaction's SQLAlchemy ``Connection``, through public API only:

* Core statements (``select``/``insert``/``update`` on the tables) for the look-ups by key,
  the event inserts and the stock changes of a placement, where an ORM object would only be
  built to be thrown away;
* the ORM session, made on that same connection the first time a method needs it, where it
  earns its place: saves (``merge`` with the item's offers and barcodes cascading) and lists.

SQLAlchemy applies the column types (``Money``, ``UTCDateTime``, dates, booleans) on both
paths, so what is stored and read back is the same whichever path wrote it. Before a Core
statement runs, whatever the session still holds back is flushed, and a loaded ORM object
whose row a Core statement changes is expired, so neither path misses the other's writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, CursorResult, Executable, Insert, Table
from sqlalchemy.orm import Session

from kiosk.adapters.sqlite.dberrors import translated
from kiosk.adapters.sqlite.orm import Base
from kiosk.domain.errors import StoreUnavailable


def table(row_class: type[Base]) -> Table:
    """The Core table of an ORM row class."""
    return row_class.__table__  # type: ignore[return-value]


def chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    """Distinct ``values`` in lists of ``size``: an ``IN (…)`` per list stays far below
    SQLite's limit on bound parameters."""
    distinct = list(dict.fromkeys(values))
    for start in range(0, len(distinct), size):
        yield distinct[start:start + size]


class RepoBase:
    """One transaction on one connection; used from one thread only.

    Look-ups by key (identity, staff, patients, items, lots) are remembered in ``_memo`` for
    this transaction only, so a bulk placement or a cost sheet asks for each record once.
    Stock changes update the remembered copies; saves and any use of the ORM session drop
    them. Nothing is remembered from one transaction to the next: each one reads the
    database as it is.
    """

    def __init__(self, connection: Connection, path: Path, *, writable: bool) -> None:
        self._connection = connection
        self._path = path
        self._writable = writable
        self._orm: Session | None = None
        self._memo: dict[tuple, Any] = {}

    @property
    def _session(self) -> Session:
        self._memo.clear()  # the ORM may write rows the memory holds: forget them
        if self._orm is None:
            self._orm = Session(bind=self._connection, expire_on_commit=False,
                                join_transaction_mode="rollback_only")
        return self._orm

    def flush(self) -> None:
        """Write what the ORM still holds back (before COMMIT, and before a Core statement)."""
        if self._orm is not None:
            self._orm.flush()

    def release(self) -> None:
        """Close the ORM session, if one was made; the store ends the transaction itself."""
        if self._orm is not None:
            self._orm.close()
            self._orm = None

    def _guard(self, action: str) -> AbstractContextManager[None]:
        return translated(self._path, action)

    def _require_write(self, action: str) -> None:
        if not self._writable:
            raise StoreUnavailable(
                f"Could not {action}: this is a read-only transaction (use store.write())."
            )

    # ORM
    def _upsert(self, row: Base, action: str) -> None:
        """Insert or replace by primary key, and surface constraint errors here, not at commit."""
        self._require_write(action)
        self._memo.clear()
        with self._guard(action):
            self._session.merge(row)
            self._session.flush()

    def _append(self, row: Base, action: str) -> None:
        """Insert an append-only event row."""
        self._require_write(action)
        with self._guard(action):
            self._session.add(row)
            self._session.flush()

    # Core
    def _insert(self, statement: Insert, values: Mapping[str, Any], action: str) -> None:
        """Insert one append-only row with a Core INSERT (a refused value, such as a naive
        time, is reported like the ORM reports it)."""
        self._require_write(action)
        with self._guard(action):
            self._execute(statement, values)

    def _execute(self, statement: Executable,
                 params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
        """Run a Core statement on this transaction's connection, after the ORM's flush
        (the caller holds ``self._guard``)."""
        self.flush()
        return self._connection.execute(statement, params)

    def _expire(self, row_class: type[Base], key: Any, *attributes: str) -> None:
        """Forget ``attributes`` of a loaded ORM object whose row a Core statement changed."""
        if self._orm is None:
            return
        loaded = self._orm.identity_map.get(self._orm.identity_key(row_class, key))
        if loaded is not None:
            self._orm.expire(loaded, list(attributes) or None)
