"""Push: one transaction per batch of a kiosk's outbox events, applied exactly once.

Every applied event leaves a ``KioskEventReceipt`` (its payload hash and what it did). A
replayed event, e.g. after a commit whose reply was lost, finds its receipt: an equal hash is
acknowledged without re-applying anything, a different one is quarantined. Writes use
majority + journal; a write conflict retries the whole transaction a few times, anything else
is raised for the sync loop (MongoCentral turns it into CentralUnavailable / CentralRefused).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import MongoClient, ReadPreference, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from kiosk.adapters.mongo import claimed_sessions, push_sessions
from kiosk.adapters.mongo.event_docs import (
    BatchPlan,
    Known,
    Refused,
    parse_payload,
    payload_hash,
    summary_write,
)
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import ADJUSTMENT, ITEM, LINK, LOT, RECEIPT, SUMMARY
from kiosk.services.payloads import STOCK_ADJUSTED, USAGE_RECORDED, USAGE_VOIDED
from kiosk.services.ports import OutboxEvent
from kiosk.services.sync_ports import PushOutcome

CONFLICT_ATTEMPTS = 10  # conflicts come at the first write now: a retry is cheap
WRITE_CONFLICT = 112
DUPLICATE_KEY = 11000

log = logging.getLogger(__name__)


class _Collision(Exception):
    """An insert hit a document that is not ours; the event that made it is quarantined."""

    def __init__(self, event_id: str, sentence: str, error: OperationFailure) -> None:
        super().__init__(sentence)
        self.event_id, self.error = event_id, error


def push_batch(client: MongoClient, db: Database, clinic_id: ObjectId, kiosk_id: ObjectId,
               events: Sequence[OutboxEvent]) -> PushOutcome:
    """Apply ``events`` (this kiosk's, any order) in one transaction, oldest first."""
    ordered = sorted(events, key=lambda event: event.kiosk_seq)
    if not ordered:
        return PushOutcome()
    collided: dict[str, str] = {}
    conflicts = 0
    while True:
        try:
            return _push_once(client, db, clinic_id, kiosk_id, ordered, collided=collided)
        except _Collision as collision:
            if collision.event_id in collided:
                raise collision.error from None
            collided[collision.event_id] = str(collision)
        except OperationFailure as error:
            if not _is_conflict(error):
                raise
            _end_dead_imports(db, clinic_id)
            if conflicts >= CONFLICT_ATTEMPTS - 1:
                raise
            conflicts += 1
            time.sleep(random.uniform(0.005, 0.02) * 2 ** min(conflicts, 4))  # noqa: S311 (jitter)


def _push_once(client: MongoClient, db: Database, clinic_id: ObjectId, kiosk_id: ObjectId,
               events: list[OutboxEvent], *, collided: dict[str, str]) -> PushOutcome:
    with client.start_session() as session:
        push_sessions.claim(db, session, clinic_id, kiosk_id)
        session.start_transaction(read_concern=ReadConcern("snapshot"),
                                  write_concern=WriteConcern("majority", j=True),
                                  read_preference=ReadPreference.PRIMARY)
        try:
            rev = next_rev(db, clinic_id, session) if _may_change_stock(events) else None
            payloads = {e.event_id: _payload(e) for e in events}
            known = _read_known(db, session, clinic_id, events, payloads)
            plan = BatchPlan(clinic_id, kiosk_id, datetime.now(UTC), known)
            outcome = _plan(db, session, plan, events, payloads, collided=collided)
            try:
                _write(db, session, plan, rev)
            except (BulkWriteError, DuplicateKeyError) as error:
                _raise_collision(error, plan)
                raise
            session.commit_transaction()
        except BaseException:
            if session.in_transaction:
                session.abort_transaction()
            raise
        push_sessions.release(db, session, clinic_id, kiosk_id)
    return outcome


def _end_dead_imports(db: Database, clinic_id: ObjectId) -> None:
    """A conflict may come from an import killed inside its transaction (it holds the rev
    counter until the server reaps it): end it, so the retry or the next round goes through."""
    try:
        claimed_sessions.end_dead(db, clinic_id, claimed_sessions.IMPORT)
    except PyMongoError as error:  # the conflict is what the caller reports
        log.info("Could not look for a dead import's session (%s).", type(error).__name__)


def _payload(event: OutboxEvent) -> dict | Refused:
    try:
        return parse_payload(event)
    except Refused as why:
        return why


def _plan(db: Database, session: ClientSession, plan: BatchPlan, events: list[OutboxEvent],
          payloads: dict[str, dict | Refused], *, collided: dict[str, str]) -> PushOutcome:
    """Decide each event in order: already applied, refused, or planned now. A sequence
    already held by another event is caught by the unique (kioskId, kioskSeq) index."""
    ids = [i for i in (_oid(e.event_id) for e in events) if i]
    receipts = db[RECEIPT].find(_by_ids(ids, plan.clinic_id), {"payloadHash": 1},
                                session=session)
    by_id = {str(r["_id"]): r.get("payloadHash") for r in receipts}
    by_seq: dict[int, str] = {}
    acknowledged: list[str] = []
    quarantined: dict[str, str] = {}
    for event in events:
        digest = payload_hash(event.payload)
        held_by = by_seq.get(event.kiosk_seq)
        try:
            if event.event_id in collided:
                raise Refused(collided[event.event_id])
            if event.event_id in by_id:
                if by_id[event.event_id] != digest:
                    raise Refused(f"Event {event.event_id} was already applied centrally with "
                                  "different contents; it was not applied again.")
                acknowledged.append(event.event_id)
                continue
            if held_by is not None:
                raise Refused(_seq_taken(event.kiosk_seq, event.event_id, held_by))
            payload = payloads[event.event_id]
            if isinstance(payload, Refused):
                raise payload
            plan.apply(event, payload, digest)
        except Refused as why:
            quarantined[event.event_id] = str(why)
            continue
        by_id[event.event_id] = digest
        by_seq[event.kiosk_seq] = event.event_id
        acknowledged.append(event.event_id)
    return PushOutcome(acknowledged=acknowledged, quarantined=quarantined)


def _seq_taken(seq: object, event_id: str, holder: str = "another event") -> str:
    return (f"Sequence {seq} of this kiosk is already held centrally by {holder}; "
            f"event {event_id} was not applied.")


def _by_ids(ids: list[ObjectId], clinic_id: ObjectId) -> dict:
    """_id first: the server plans its query from the first field (clinicId first scans)."""
    return {"_id": {"$in": ids}, "clinicId": clinic_id}


def _references(events: list[OutboxEvent], payloads: dict[str, dict | Refused]
                ) -> tuple[set[ObjectId], dict[ObjectId, tuple[ObjectId, str | None]],
                           set[ObjectId]]:
    """The item ids an adjustment may create a lot of, the lot ids (with item and number)
    and the voided usage ids of a batch. Items are read only to check a lot's item before
    creating the lot; a usage's stock $inc simply matches nothing for an unknown item."""
    items: set[ObjectId] = set()
    lots: dict[ObjectId, tuple[ObjectId, str | None]] = {}
    usages: set[ObjectId] = set()
    for event in events:
        payload = payloads[event.event_id]
        if isinstance(payload, Refused):
            continue
        if event.event_type in (USAGE_RECORDED, STOCK_ADJUSTED):
            item, lot = _oid(payload.get("inventoryItemId")), _oid(payload.get("lotId"))
            if item and lot and event.event_type == STOCK_ADJUSTED:
                items.add(item)
            if item and lot:
                number = payload.get("lotNumber")
                lots[lot] = (item, number if isinstance(number, str) else None)
        elif event.event_type == USAGE_VOIDED:
            usages |= {i for i in [_oid(payload.get("usageId"))] if i}
    return items, lots, usages


def _read_known(db: Database, session: ClientSession, clinic_id: ObjectId,
                events: list[OutboxEvent], payloads: dict[str, dict | Refused]) -> Known:
    """The items, lots and usages the batch refers to, by id (and a lot the kiosk knows
    under another id by its item and number)."""
    items, lots, usages = _references(events, payloads)
    known = Known(items=set(), lots={}, usages={}, voided=set())
    if items:
        known.items = {d["_id"] for d in db[ITEM].find(
            _by_ids(list(items), clinic_id), {"_id": 1}, session=session)}
    if lots:
        for lot in db[LOT].find(_by_ids(list(lots), clinic_id), {"itemId": 1, "lotNumber": 1},
                                session=session):
            known.lots[lot["_id"]] = (lot["itemId"], lot["lotNumber"])
        for item, number in {key for lot_id, key in lots.items() if lot_id not in known.lots}:
            lot = db[LOT].find_one({"clinicId": clinic_id, "itemId": item, "lotNumber": number},
                                   {"itemId": 1, "lotNumber": 1}, session=session)
            if lot is not None:
                known.lots[lot["_id"]] = (lot["itemId"], lot["lotNumber"])
    if usages:
        wanted = _by_ids(list(usages), clinic_id)
        links = list(db[LINK].find(wanted, {"voidedAt": 1}, session=session))
        receipts = {r["_id"]: r for r in db[RECEIPT].find(
            {**wanted, "eventType": USAGE_RECORDED}, session=session)}
        for link in links:
            known.usages[link["_id"]] = receipts.get(link["_id"])
            if link.get("voidedAt") is not None:
                known.voided.add(link["_id"])
    return known


def _may_change_stock(events: Sequence[OutboxEvent]) -> bool:
    return any(e.event_type in (USAGE_RECORDED, STOCK_ADJUSTED, USAGE_VOIDED) for e in events)


def _write(db: Database, session: ClientSession, plan: BatchPlan, rev: int | None) -> None:
    """The plan's documents and increments; stock writes carry the batch's catalog rev.

    The rev is taken first in the transaction (``_push_once``): under snapshot isolation a
    transaction that writes the clinic's counter after another kiosk committed it since its
    snapshot began is aborted with all its work, so taking it last made twenty kiosks pushing
    at once redo nearly every batch. Taken first, a second kiosk meets the conflict at its
    first write, before any work, and the counter orders the batches' stock writes."""
    if plan.links:
        db[LINK].insert_many(plan.links, session=session)
    if plan.voids:
        db[LINK].bulk_write([UpdateOne(_by_id(link_id, plan), {"$set": fields})
                             for link_id, fields in plan.voids], session=session)
    if plan.adjustments:
        db[ADJUSTMENT].insert_many(plan.adjustments, session=session)
    if plan.receipts:
        db[RECEIPT].insert_many(plan.receipts, session=session)
    changes_stock = plan.new_lots or any(plan.item_deltas.values()) or any(
        plan.lot_deltas.values())
    if changes_stock and rev is None:
        rev = next_rev(db, plan.clinic_id, session)
    if plan.new_lots:
        db[LOT].insert_many([{**lot, "rev": rev} for lot in plan.new_lots], session=session)
    for name, deltas in ((ITEM, plan.item_deltas), (LOT, plan.lot_deltas)):
        stock = [UpdateOne(_by_id(doc_id, plan),
                           {"$inc": {"quantityOnHand": delta}, "$set": {"rev": rev}})
                 for doc_id, delta in deltas.items() if delta]
        if stock:
            db[name].bulk_write(stock, session=session)
    if plan.summaries:
        writes = [summary_write(plan, key, delta) for key, delta in plan.summaries.items()]
        db[SUMMARY].bulk_write([UpdateOne(where, update, upsert=upsert)
                                for where, update, upsert in writes], session=session)


def _by_id(doc_id: ObjectId, plan: BatchPlan) -> dict:
    return {"_id": doc_id, "clinicId": plan.clinic_id}


def _raise_collision(error: BulkWriteError | DuplicateKeyError, plan: BatchPlan) -> None:
    """Turn a duplicate key on a document we meant to insert into its event's quarantine."""
    details = error.details or {}
    failures = details.get("writeErrors") or [details]
    for failure in failures:
        if failure.get("code") != DUPLICATE_KEY:
            continue
        doc = failure.get("op") or failure.get("keyValue") or {}
        doc_id = doc.get("_id") if isinstance(doc, dict) else None
        event_id = plan.owners.get(doc_id) if doc_id is not None else None
        if event_id is None:
            seq = (failure.get("keyValue") or {}).get("kioskSeq")
            event_id = next((str(r["_id"]) for r in plan.receipts if r["kioskSeq"] == seq), None)
        if event_id is None:
            continue
        pattern = failure.get("keyPattern") or {}
        if "kioskSeq" in pattern:
            seq = next((r["kioskSeq"] for r in plan.receipts if str(r["_id"]) == event_id), "?")
            raise _Collision(event_id, _seq_taken(seq, event_id), error)
        key = ", ".join(pattern) or "key"
        raise _Collision(event_id, f"Event {event_id} collides with a central document already "
                         f"holding the same {key}; it was not applied.", error)


def _is_conflict(error: OperationFailure) -> bool:
    if error.has_error_label("TransientTransactionError") or error.code == WRITE_CONFLICT:
        return True
    details = error.details or {}
    return any(f.get("code") == WRITE_CONFLICT for f in details.get("writeErrors") or [])


def _oid(value: object) -> ObjectId | None:
    try:
        return ObjectId(value) if value else None  # type: ignore[arg-type]
    except (InvalidId, TypeError):
        return None
