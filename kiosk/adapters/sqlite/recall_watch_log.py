"""``SqliteRecallWatchLog``: the recall watch's seen set, runs and alerts in the kiosk's own
database (tables of migration 0008). Each call is one transaction on the store's engine:
writes ``BEGIN IMMEDIATE`` like every other writer. Thread-safe like the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.adapters.sqlite.dberrors import translated
from kiosk.adapters.sqlite.engine import writer
from kiosk.adapters.sqlite.orm import RecallAlertRow, RecallSeenRow, RecallWatchRunRow
from kiosk.adapters.sqlite.repo_base import chunks, table
from kiosk.adapters.sqlite.store import SqliteStore
from kiosk.services.recall_watch_ports import RecallAlert, RecallWatchLog

IDENTITY = ("event_number", "firm", "classification", "status", "reason", "to_review",
            "review")
_seen, _runs, _alerts = table(RecallSeenRow), table(RecallWatchRunRow), table(RecallAlertRow)


class SqliteRecallWatchLog(RecallWatchLog):
    scope = "this kiosk"

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._writer = writer(store.engine)

    def seen(self, recall_ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self._read("read the recalls the watch has seen") as connection:
            for part in chunks(recall_ids):
                rows = connection.execute(select(_seen.c.recall_id)
                                          .where(_seen.c.recall_id.in_(part)))
                found |= {row.recall_id for row in rows}
        return found

    def last_run(self) -> datetime | None:
        with self._read("read the last recall watch run") as connection:
            last: datetime | None = connection.execute(
                select(_runs.c.finished_at).order_by(_runs.c.finished_at.desc()).limit(1)
            ).scalar()
        return last

    def record_run(self, at: datetime, recall_ids: Iterable[str],
                   alerts: Iterable[RecallAlert]) -> list[RecallAlert]:
        ids = list(dict.fromkeys(recall_ids))
        with self._write("record the recall watch run") as connection:
            if ids:
                connection.execute(sqlite_insert(_seen).on_conflict_do_nothing(),
                                   [{"recall_id": i, "seen_at": at} for i in ids])
            connection.execute(insert(_runs), {"finished_at": at, "applied": len(ids)})
            return _add_alerts(connection, alerts)

    def add_alerts(self, alerts: Iterable[RecallAlert]) -> None:
        with self._write("raise the recall alert") as connection:
            _add_alerts(connection, alerts)

    def alerts(self, open_only: bool = True) -> list[RecallAlert]:
        statement = select(_alerts).order_by(_alerts.c.applied_at.desc(),
                                             _alerts.c.recall_number)
        if open_only:
            statement = statement.where(_alerts.c.acknowledged_at.is_(None))
        with self._read("read the recall alerts") as connection:
            return [_alert(row) for row in connection.execute(statement)]

    def acknowledge(self, recall_number: str, by: str, at: datetime) -> RecallAlert | None:
        with self._write("acknowledge the recall") as connection:
            connection.execute(update(_alerts)
                               .where(_alerts.c.recall_number == recall_number,
                                      _alerts.c.acknowledged_at.is_(None))
                               .values(acknowledged_by=by, acknowledged_at=at))
            row = connection.execute(select(_alerts).where(
                _alerts.c.recall_number == recall_number)).first()
        return None if row is None else _alert(row)

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with translated(self._store.path, action), self._store.engine.connect() as connection:
            yield connection

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with translated(self._store.path, action), self._writer.begin() as connection:
            yield connection


def _add_alerts(connection: Connection, alerts: Iterable[RecallAlert]) -> list[RecallAlert]:
    raised = []
    for alert in alerts:
        done = connection.execute(sqlite_insert(_alerts).on_conflict_do_nothing(), {
            "recall_number": alert.recall_number, "lots_marked": alert.lots_marked,
            "applied_at": alert.applied_at, "applied_by": alert.applied_by,
            "authorized_by": alert.authorized_by, "source": alert.source,
            **{name: getattr(alert, name) for name in IDENTITY}})
        if done.rowcount:
            raised.append(alert)
    return raised


def _alert(row: Row) -> RecallAlert:
    return RecallAlert(row.recall_number, row.lots_marked, row.applied_at, row.applied_by,
                       row.authorized_by, row.source, row.acknowledged_by, row.acknowledged_at,
                       **{name: getattr(row, name) for name in IDENTITY})
