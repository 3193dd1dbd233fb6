"""Webhooks on the central server: the clinic's webhooks, the dispatcher's cursor, the
delivery log, and the change stream over the clinic's usages, items and lots.

Collections (camelCase, ``clinicId`` on every document and in every query):
``Webhook`` {clinicId, url, events, secret, createdBy, createdAt, deadLetters, lastDeliveryAt,
lastStatus}; ``WebhookCursor`` {clinicId, resumeToken, below, updatedAt}, one per clinic;
``WebhookDelivery`` {clinicId, eventId, eventType, webhookId, attempt, statusCode, error, at,
outcome}. The secret is stored as given: the dispatcher needs it to sign, so the central
database's own access control guards it (as it guards the patients' records).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from bson import Decimal128, ObjectId
from bson.errors import InvalidId
from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.database import Database

from kiosk.adapters.checks import Check
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.codec import aware
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import ITEM, LINK, LOT
from kiosk.services.webhook_ports import (
    Change,
    ChangeFeed,
    Cursor,
    DeliveryAttempt,
    Webhook,
    WebhookStatus,
    WebhookStore,
)

WEBHOOK = "Webhook"
CURSOR = "WebhookCursor"
DELIVERY = "WebhookDelivery"
KINDS = {LINK: "usage", ITEM: "item", LOT: "lot"}
SETTLED = ("delivered", "dead-letter")
T = TypeVar("T")


class MongoWebhookStore(WebhookStore):
    def __init__(self, uri: str, clinic_id: str) -> None:
        self.uri, self.clinic_id = uri, ObjectId(clinic_id)
        self._client: MongoClient | None = None  # opened on first use, kept until close()
        self._indexed = False

    def _on_server(self, action: str, work: Callable[[Database], T]) -> T:
        with central_errors(action):
            if self._client is None:
                self._client = connect(self.uri)
            db = database(self._client)
            if not self._indexed:
                db[WEBHOOK].create_index([("clinicId", ASCENDING)], name="clinicId")
                db[CURSOR].create_index([("clinicId", ASCENDING)], unique=True, name="clinicId")
                db[DELIVERY].create_index([("clinicId", ASCENDING), ("eventId", ASCENDING),
                                           ("webhookId", ASCENDING)],
                                          name="clinicId_eventId_webhookId")
                self._indexed = True
            return work(db)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def add(self, webhook: Webhook) -> None:
        self._on_server("add the webhook", lambda db: db[WEBHOOK].insert_one({
            "_id": ObjectId(webhook.id), "clinicId": self.clinic_id, "url": webhook.url,
            "events": list(webhook.events), "secret": webhook.secret,
            "createdBy": webhook.created_by, "createdAt": webhook.created_at,
            "deadLetters": 0, "lastDeliveryAt": None, "lastStatus": None}))

    def remove(self, webhook_id: str) -> bool:
        try:
            wanted = ObjectId(webhook_id)
        except (InvalidId, TypeError):
            return False
        done = self._on_server("remove the webhook", lambda db: db[WEBHOOK].delete_one(
            {"_id": wanted, "clinicId": self.clinic_id}))
        return done.deleted_count == 1

    def webhooks(self) -> list[Webhook]:
        docs = self._on_server("read the clinic's webhooks", lambda db: list(
            db[WEBHOOK].find({"clinicId": self.clinic_id}).sort("createdAt", ASCENDING)))
        return [Webhook(str(d["_id"]), d["url"], tuple(d["events"]), d["secret"],
                        str(d.get("createdBy") or ""), aware(d["createdAt"])) for d in docs]

    def cursor(self) -> Cursor | None:
        doc = self._on_server("read the webhook cursor", lambda db: db[CURSOR].find_one(
            {"clinicId": self.clinic_id}))
        if doc is None or not doc.get("resumeToken"):
            return None
        return Cursor(doc["resumeToken"], frozenset(doc.get("below") or ()))

    def save_cursor(self, cursor: Cursor) -> None:
        self._on_server("save the webhook cursor", lambda db: db[CURSOR].update_one(
            {"clinicId": self.clinic_id},
            {"$set": {"resumeToken": dict(cursor.token), "below": sorted(cursor.below),
                      "updatedAt": datetime.now(UTC)}}, upsert=True))

    def log(self, attempt: DeliveryAttempt) -> None:
        def work(db: Database) -> None:
            db[DELIVERY].insert_one({
                "clinicId": self.clinic_id, "eventId": attempt.event_id,
                "eventType": attempt.event_type, "webhookId": attempt.webhook_id,
                "attempt": attempt.attempt, "statusCode": attempt.status_code,
                "error": attempt.error, "at": attempt.at, "outcome": attempt.outcome})
            update: dict[str, Any] = {"$set": {"lastDeliveryAt": attempt.at,
                                               "lastStatus": attempt.status_code}}
            if attempt.outcome == "dead-letter":
                update["$inc"] = {"deadLetters": 1}
            db[WEBHOOK].update_one({"_id": ObjectId(attempt.webhook_id),
                                    "clinicId": self.clinic_id}, update)

        self._on_server("log the webhook delivery", work)

    def settled(self, event_id: str, webhook_id: str) -> bool:
        found = self._on_server("read the webhook delivery log", lambda db: db[
            DELIVERY].find_one({"clinicId": self.clinic_id, "eventId": event_id,
                                "webhookId": webhook_id, "outcome": {"$in": list(SETTLED)}},
                               {"_id": 1}))
        return found is not None

    def statuses(self) -> list[WebhookStatus]:
        def work(db: Database) -> list[dict]:
            return list(db[WEBHOOK].find({"clinicId": self.clinic_id}, {"secret": 0}).sort(
                [("createdAt", ASCENDING), ("_id", DESCENDING)]))

        return [WebhookStatus(str(d["_id"]), d["url"], tuple(d["events"]),
                              aware(d["createdAt"]), int(d.get("deadLetters") or 0),
                              aware(d.get("lastDeliveryAt")), d.get("lastStatus"))
                for d in self._on_server("read the clinic's webhooks", work)]


class MongoChangeFeed(ChangeFeed):
    """The change stream over the clinic's ApplianceInventoryLink, InventoryItem and
    InventoryLot documents (inserts and updates, looked up in full)."""

    def __init__(self, uri: str, clinic_id: str, idle_ms: int = 500) -> None:
        self.uri, self.clinic_id, self.idle_ms = uri, ObjectId(clinic_id), idle_ms

    def _pipeline(self) -> list[dict]:
        return [{"$match": {"ns.coll": {"$in": list(KINDS)},
                            "operationType": {"$in": ["insert", "update", "replace"]},
                            "fullDocument.clinicId": self.clinic_id}}]

    def position(self) -> Mapping[str, object]:
        with central_errors("open the clinic's change stream"), connect(self.uri) as client, \
                database(client).watch(self._pipeline(), max_await_time_ms=50) as stream:
            stream.try_next()  # an empty batch: the server's position now
            token = stream.resume_token
        if token is None:
            raise ValueError("the server gave the change stream no resume token")
        return dict(token)

    def items_at_or_below_reorder_point(self) -> frozenset[str]:
        with central_errors("read the clinic's stock"), connect(self.uri) as client:
            docs = database(client)[ITEM].find(
                {"clinicId": self.clinic_id}, {"quantityOnHand": 1, "reorderPoint": 1})
            return frozenset(str(d["_id"]) for d in docs
                             if _int(d.get("quantityOnHand")) is not None
                             and _int(d.get("reorderPoint")) is not None
                             and d["quantityOnHand"] <= d["reorderPoint"])

    def changes(self, after: Mapping[str, object]) -> Generator[Change | None, None, None]:
        with central_errors("read the clinic's change stream"), connect(self.uri) as client, \
                database(client).watch(self._pipeline(), full_document="updateLookup",
                                       resume_after=dict(after),
                                       max_await_time_ms=self.idle_ms) as stream:
            while True:
                raw = stream.try_next()
                yield None if raw is None else _change(raw)


def _change(raw: Mapping[str, Any]) -> Change:
    token = dict(raw["_id"])
    update = raw.get("updateDescription") or {}
    at = raw.get("wallTime") or (raw["clusterTime"].as_datetime()
                                 if raw.get("clusterTime") is not None else None)
    return Change(
        key=json.dumps(token, sort_keys=True, default=str), token=token,
        kind=cast(Any, KINDS[raw["ns"]["coll"]]), operation=raw["operationType"],
        document=_plain(raw.get("fullDocument") or {}),
        updated=_plain(update.get("updatedFields") or {}),
        at=aware(at) if isinstance(at, datetime) else None)


def _plain(doc: Mapping[str, Any]) -> dict[str, object]:
    return {key: _value(value) for key, value in doc.items()}


def _value(value: object) -> object:
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, Decimal128):
        return value.to_decimal()
    if isinstance(value, datetime):
        return aware(value)
    if isinstance(value, Mapping):
        return _plain(value)
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


DEAD_LETTER_WINDOW = timedelta(hours=24)


def webhook_check(db: Database, clinic_id: str, now: datetime) -> Check | None:
    """`kiosk doctor`'s line on the clinic's webhooks (None when it has none): failing while
    an event was dead-lettered in the last day."""
    clinic = ObjectId(clinic_id)
    hooks = list(db[WEBHOOK].find({"clinicId": clinic}, {"deadLetters": 1, "lastDeliveryAt": 1}))
    if not hooks:
        return None
    dead = sum(int(h.get("deadLetters") or 0) for h in hooks)
    last = max((aware(h["lastDeliveryAt"]) for h in hooks if h.get("lastDeliveryAt")),
               default=None)
    recent = db[DELIVERY].count_documents({"clinicId": clinic, "outcome": "dead-letter",
                                           "at": {"$gte": now - DEAD_LETTER_WINDOW}})
    detail = (f"{len(hooks)} webhook(s), {dead} dead letter(s), last delivery "
              f"{last.isoformat(timespec='seconds') if last else 'never'}")
    if recent:
        return Check("central webhooks", False, f"{detail}; {recent} in the last 24 hours",
                     "See `kiosk api webhook list`, fix the receiver, and check "
                     "`kiosk api webhooks run` is running.")
    return Check("central webhooks", True, detail)
