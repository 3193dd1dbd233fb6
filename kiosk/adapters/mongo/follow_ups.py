"""MongoRecallFollowUps: the clinic's recall follow-ups in the central ``RecallFollowUp``
collection, one document per (clinic, recall, item, lot, patient):

    {_id, clinicId, recallNumber, itemId, lotNumber, patientId,
     status: "contacted" | "assessed", updatedAt, updatedBy,
     history: [{status, by, byName, at, note}, ...]}   # oldest first

A step is one single-document write (nothing half-written): the first step inserts the
document (the unique ``clinicId_recallNumber_itemId_lotNumber_patientId`` index refuses a
second kiosk's insert), a later one updates it only while its ``status`` is still the one the
caller saw. Every query starts with the clinic. Each call opens its own short-timeout client,
so an unreachable server is a ``CentralUnavailable`` within seconds, never a wait.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from bson import ObjectId
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from pymongo.write_concern import WriteConcern

from kiosk.adapters.mongo import central_values as v
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.codec import aware
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import FOLLOW_UP, require_schema
from kiosk.domain.follow_up import (
    NOTE_LEN,
    FollowUpKey,
    FollowUpStatus,
    FollowUpStep,
)
from kiosk.services.follow_up_ports import FollowUps, RecallFollowUps, StepConflict

log = logging.getLogger(__name__)
T = TypeVar("T")
INTERACTIVE_MS = {"serverSelectionTimeoutMS": 2500, "connectTimeoutMS": 2500,
                  "socketTimeoutMS": 10000}
DURABLE = WriteConcern("majority", j=True, wtimeout=10_000)


class MongoRecallFollowUps(RecallFollowUps):
    def __init__(self, uri: str, clinic_id: str, client: MongoClient | None = None) -> None:
        self.uri = uri
        self.clinic_id = ObjectId(clinic_id)
        self.client = client  # handed in (tests): reused and left open

    def _on_server(self, work: Callable[..., T], *args: Any) -> T:
        if self.client is not None:
            return work(database(self.client), *args)
        with connect(self.uri, **INTERACTIVE_MS) as client:
            return work(database(client), *args)

    def _filter(self, key: FollowUpKey) -> dict[str, Any]:
        return {"clinicId": self.clinic_id, "recallNumber": key.recall_number,
                "itemId": ObjectId(key.item_id), "lotNumber": key.lot_number,
                "patientId": ObjectId(key.patient_id)}

    def follow_ups(self, recall_number: str) -> FollowUps:
        return self._on_server(self._read, recall_number)

    def _read(self, db: Database, recall_number: str) -> FollowUps:
        query = {"clinicId": self.clinic_id, "recallNumber": recall_number}
        with central_errors("read the recall's follow-ups"):
            require_schema(db)
            docs = list(db[FOLLOW_UP].find(query))
        found: FollowUps = {}
        for doc in docs:
            try:
                key = FollowUpKey(v.text(doc, "recallNumber"), str(doc["itemId"]),
                                  v.text(doc, "lotNumber", v.CODE_LEN), str(doc["patientId"]))
                found[key] = tuple(_step(entry) for entry in doc.get("history") or [])
            except (KeyError, ValueError, TypeError, AttributeError):
                log.warning("Central RecallFollowUp %s could not be read; it is left out.",
                            doc.get("_id"))
        return found

    def add_step(self, key: FollowUpKey, expected: FollowUpStatus, step: FollowUpStep) -> None:
        self._on_server(self._add, key, expected, step)

    def _add(self, db: Database, key: FollowUpKey, expected: FollowUpStatus,
             step: FollowUpStep) -> None:
        entry = {"status": step.status.value, "by": ObjectId(step.by), "byName": step.by_name,
                 "at": step.at, "note": step.note}
        now = {"status": step.status.value, "updatedAt": step.at, "updatedBy": ObjectId(step.by)}
        collection = db.get_collection(FOLLOW_UP, write_concern=DURABLE)
        with central_errors("save the follow-up step"):
            require_schema(db)
            if expected is FollowUpStatus.TO_CONTACT:
                try:
                    collection.insert_one({**self._filter(key), **now, "history": [entry]})
                    return
                except DuplicateKeyError:
                    pass
            else:
                moved = collection.update_one(
                    {**self._filter(key), "status": expected.value},
                    {"$set": now, "$push": {"history": entry}})
                if moved.matched_count == 1:
                    return
        raise StepConflict(self._read(db, key.recall_number).get(key, ()))


def _step(entry: object) -> FollowUpStep:
    if not isinstance(entry, dict):
        raise ValueError("a history entry is not a document")
    at = entry.get("at")
    if at is None or not hasattr(at, "tzinfo"):
        raise ValueError("a history entry has no time")
    return FollowUpStep(FollowUpStatus(entry["status"]), str(entry["by"]),
                        v.text(entry, "byName", required=False), aware(at),
                        v.text(entry, "note", NOTE_LEN, required=False))
