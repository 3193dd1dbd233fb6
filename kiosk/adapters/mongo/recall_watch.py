"""The recall watch's state on the central server, so two kiosks of a clinic never both
apply or alert the same recall, and an acknowledgement counts at every chair (issue 16).

Collections (camelCase, ``clinicId`` on every document and in every query):
``RecallWatch`` {clinicId, recallId, seenAt} unique on (clinicId, recallId);
``RecallWatchRun`` {clinicId, lastRunAt} one per clinic;
``RecallAlert`` {clinicId, recallNumber, lotsMarked, appliedAt, appliedBy, authorizedBy,
source, acknowledgedBy, acknowledgedAt, eventNumber, firm, classification, status, reason,
toReview, review}
unique on (clinicId, recallNumber).
Each call opens its own short-timeout client; failures are ``CentralUnavailable``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.database import Database

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.clinic_ledger import INTERACTIVE_MS
from kiosk.adapters.mongo.errors import central_errors
from kiosk.domain.errors import KioskError
from kiosk.services.recall_watch_ports import RecallAlert, RecallWatchLog

log = logging.getLogger(__name__)
T = TypeVar("T")


class MongoRecallWatchLog(RecallWatchLog):
    scope = "clinic"

    def __init__(self, uri: str, clinic_id: str) -> None:
        self.uri, self.clinic_id = uri, ObjectId(clinic_id)

    def _on_server(self, action: str, work: Callable[[Database], T]) -> T:
        with central_errors(action), connect(self.uri, **INTERACTIVE_MS) as client:
            return work(database(client))

    def seen(self, recall_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(recall_ids))
        return self._on_server("read the recalls the clinic has seen", lambda db: {
            doc["recallId"] for doc in db.RecallWatch.find(
                {"clinicId": self.clinic_id, "recallId": {"$in": ids}}, {"recallId": 1})})

    def last_run(self) -> datetime | None:
        doc = self._on_server("read the clinic's last recall watch run",
                              lambda db: db.RecallWatchRun.find_one({"clinicId": self.clinic_id}))
        return _utc(doc["lastRunAt"]) if doc else None

    def record_run(self, at: datetime, recall_ids: Iterable[str],
                   alerts: Iterable[RecallAlert]) -> list[RecallAlert]:
        ids, alerts = list(dict.fromkeys(recall_ids)), list(alerts)

        def work(db: Database) -> list[RecallAlert]:
            if ids:
                db.RecallWatch.bulk_write([UpdateOne(
                    {"clinicId": self.clinic_id, "recallId": i},
                    {"$setOnInsert": {"seenAt": at}}, upsert=True) for i in ids])
            db.RecallWatchRun.update_one({"clinicId": self.clinic_id},
                                         {"$max": {"lastRunAt": at}}, upsert=True)
            return self._insert_alerts(db, alerts)

        return self._on_server("record the recall watch run", work)

    def add_alerts(self, alerts: Iterable[RecallAlert]) -> None:
        alerts = list(alerts)
        self._on_server("raise the recall alert", lambda db: self._insert_alerts(db, alerts))

    def _insert_alerts(self, db: Database, alerts: list[RecallAlert]) -> list[RecallAlert]:
        raised = []
        for alert in alerts:
            done = db.RecallAlert.update_one(
                {"clinicId": self.clinic_id, "recallNumber": alert.recall_number},
                {"$setOnInsert": _doc(alert)}, upsert=True)
            if done.upserted_id is not None:
                raised.append(alert)
        return raised

    def alerts(self, open_only: bool = True) -> list[RecallAlert]:
        query: dict[str, Any] = {"clinicId": self.clinic_id}
        if open_only:
            query["acknowledgedAt"] = None
        return self._on_server("read the clinic's recall alerts", lambda db: [
            _alert(doc) for doc in db.RecallAlert.find(query).sort(
                [("appliedAt", DESCENDING), ("recallNumber", ASCENDING)])])

    def acknowledge(self, recall_number: str, by: str, at: datetime) -> RecallAlert | None:
        def work(db: Database) -> RecallAlert | None:
            db.RecallAlert.update_one(
                {"clinicId": self.clinic_id, "recallNumber": recall_number,
                 "acknowledgedAt": None},
                {"$set": {"acknowledgedBy": by, "acknowledgedAt": at}})
            doc = db.RecallAlert.find_one({"clinicId": self.clinic_id,
                                           "recallNumber": recall_number})
            return _alert(doc) if doc else None

        return self._on_server("acknowledge the recall", work)


class ClinicRecallWatchLog(RecallWatchLog):
    """This kiosk's log and the clinic's: the clinic's answers while the server does, this
    kiosk's always keeps a copy (and answers alone, saying so in the log, while it does
    not). A repeat seen by either is a repeat."""

    def __init__(self, local: RecallWatchLog, central: RecallWatchLog) -> None:
        self.local, self.central = local, central

    def _central(self, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except KioskError as error:
            log.warning("Recall watch: the central server did not answer (%s); this "
                        "kiosk's own record answers.", error.for_log())
            return fallback

    def seen(self, recall_ids: Iterable[str]) -> set[str]:
        ids = list(recall_ids)
        nothing: set[str] = set()
        return self.local.seen(ids) | self._central(lambda: self.central.seen(ids), nothing)

    def last_run(self) -> datetime | None:
        runs = [r for r in (self.local.last_run(),
                            self._central(self.central.last_run, None)) if r]
        return max(runs) if runs else None

    def record_run(self, at: datetime, recall_ids: Iterable[str],
                   alerts: Iterable[RecallAlert]) -> list[RecallAlert]:
        ids, alerts = list(recall_ids), list(alerts)
        mine = self.local.record_run(at, ids, alerts)
        return self._central(lambda: self.central.record_run(at, ids, alerts), mine)

    def add_alerts(self, alerts: Iterable[RecallAlert]) -> None:
        alerts = list(alerts)
        self.local.add_alerts(alerts)
        self._central(lambda: self.central.add_alerts(alerts), None)

    def alerts(self, open_only: bool = True) -> list[RecallAlert]:
        return self._central(lambda: self.central.alerts(open_only),
                             self.local.alerts(open_only))

    def acknowledge(self, recall_number: str, by: str, at: datetime) -> RecallAlert | None:
        mine = self.local.acknowledge(recall_number, by, at)
        return self._central(lambda: self.central.acknowledge(recall_number, by, at),
                             mine) or mine


IDENTITY = {"event_number": "eventNumber", "firm": "firm", "classification": "classification",
            "status": "status", "reason": "reason", "review": "review"}


def _doc(alert: RecallAlert) -> dict[str, Any]:
    return {"lotsMarked": alert.lots_marked, "appliedAt": alert.applied_at,
            "appliedBy": alert.applied_by, "authorizedBy": alert.authorized_by,
            "source": alert.source, "acknowledgedBy": None, "acknowledgedAt": None,
            "toReview": alert.to_review,
            **{field: getattr(alert, name) for name, field in IDENTITY.items()}}


def _alert(doc: dict[str, Any]) -> RecallAlert:
    return RecallAlert(doc["recallNumber"], doc["lotsMarked"], _utc(doc["appliedAt"]),
                       doc["appliedBy"], doc["authorizedBy"], doc["source"],
                       doc.get("acknowledgedBy"),
                       _utc(doc["acknowledgedAt"]) if doc.get("acknowledgedAt") else None,
                       to_review=_count(doc.get("toReview")),
                       **{name: _text(doc.get(field)) for name, field in IDENTITY.items()})


def _count(value: object) -> int:
    """A count as kept centrally; anything but a whole number >= 0 reads as 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _text(value: object) -> str:
    """A recall identifier as kept centrally; anything but text (an older alert without it,
    a poisoned document) reads as unknown."""
    return value if isinstance(value, str) else ""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
