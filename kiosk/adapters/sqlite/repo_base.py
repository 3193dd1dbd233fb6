"""What every repository mixin of ``SqliteTx`` shares: the session and error handling.

The hot path of a placement (look-ups by key, event inserts, stock changes) runs plain SQL on
the transaction's own sqlite3 connection instead of through the ORM: the ORM costs ~100 µs a
statement, SQLite ~10 µs. Values still pass through the columns' own SQLAlchemy type
processors (``Money``, ``UTCDateTime``, dates, booleans), so what is stored and what is read
back is exactly what the ORM would store and read; and an ORM object already loaded in the
session is expired when a plain statement changes its row, so the session never serves a
stale value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from kiosk.adapters.sqlite.dberrors import translated
from kiosk.adapters.sqlite.orm import Base
from kiosk.domain.errors import StoreUnavailable

_DIALECT = SQLiteDialect_pysqlite()
Processor = Callable[[Any], Any] | None


class _TableSql:
    """A table's plain INSERT and SELECT, with each column's bind and result processor."""

    def __init__(self, table: Table) -> None:
        self.name = table.name
        self.columns = [c.name for c in table.columns]
        types = [(c.name, c.type.dialect_impl(_DIALECT)) for c in table.columns]
        self.binds: list[tuple[str, Processor]] = [
            (name, kind.bind_processor(_DIALECT)) for name, kind in types]
        self.results: list[tuple[str, Processor]] = [
            (name, kind.result_processor(_DIALECT, None)) for name, kind in types]
        marks = ", ".join("?" for _ in self.columns)
        # Names come from the ORM's table definitions, never from input; values are bound.
        self.insert = f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({marks})"  # noqa: S608
        self.select = f"SELECT {', '.join(self.columns)} FROM {self.name}"  # noqa: S608

    def params(self, values: dict[str, Any]) -> list[Any]:
        return [proc(values.get(name)) if proc else values.get(name)
                for name, proc in self.binds]

    def row(self, raw: Sequence[Any]) -> SimpleNamespace:
        return SimpleNamespace(**{name: proc(value) if proc else value
                                  for (name, proc), value in zip(self.results, raw, strict=True)})


_TABLES: dict[str, _TableSql] = {}


def table_sql(row_class: type[Base]) -> _TableSql:
    table = row_class.__table__
    known = _TABLES.get(table.name)
    if known is None:
        known = _TABLES[table.name] = _TableSql(table)  # type: ignore[arg-type]
    return known


class RepoBase:
    """One transaction on one connection; used from one thread only. The ORM session is made
    on that connection (joining its transaction) the first time a method needs it, so a
    transaction of plain look-ups never pays for one.

    Look-ups by key (identity, staff, patients, items, lots) are remembered in ``_memo`` for
    this transaction only; stock changes update the remembered copies, saves and any use of
    the ORM drop them. Nothing is remembered from one transaction to the next.
    """

    def __init__(self, connection: Connection, path: Path, *, writable: bool) -> None:
        self._connection = connection
        self._path = path
        self._writable = writable
        self._orm: Session | None = None
        self._dbapi: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
        # Look-ups this transaction already made, dropped when a write may change them.
        self._memo: dict[tuple, Any] = {}

    @property
    def _session(self) -> Session:
        self._memo.clear()  # the ORM may write rows the memory holds: forget them
        if self._orm is None:
            self._orm = Session(bind=self._connection, expire_on_commit=False,
                                join_transaction_mode="rollback_only")
        return self._orm

    def flush(self) -> None:
        """Write what the ORM still holds back (the store calls it before COMMIT)."""
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

    # plain SQL on this transaction's connection (call inside ``self._guard``)
    def _raw(self) -> sqlite3.Connection:
        if self._orm is not None:
            self._orm.flush()  # nothing the ORM holds back may be missed by plain SQL
        return self._dbapi

    def _insert_plain(self, row_class: type[Base], values: dict[str, Any], action: str) -> None:
        """Insert an append-only row with one plain statement."""
        self._require_write(action)
        sql = table_sql(row_class)
        with self._guard(action):
            try:
                params = sql.params(values)
            except (TypeError, ValueError) as refused:  # as the ORM reports a refused value
                raise StatementError(str(refused), sql.insert, None, refused) from refused
            self._raw().execute(sql.insert, params)

    def _select_plain(self, row_class: type[Base], where: str,
                      params: Sequence[Any]) -> list[SimpleNamespace]:
        """Rows of ``row_class``'s table matching ``where`` (plain SQL), typed as the ORM reads
        them; the caller holds ``self._guard``."""
        sql = table_sql(row_class)
        raw = self._raw().execute(f"{sql.select} WHERE {where}", params).fetchall()
        return [sql.row(r) for r in raw]

    def _expire(self, row_class: type[Base], key: Any, *attributes: str) -> None:
        """Forget ``attributes`` of a loaded ORM object whose row plain SQL just changed."""
        if self._orm is None:
            return
        loaded = self._orm.identity_map.get(self._orm.identity_key(row_class, key))
        if loaded is not None:
            self._orm.expire(loaded, list(attributes) or None)
