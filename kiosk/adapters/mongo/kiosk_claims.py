"""One data directory per kiosk id, and the kiosk's sequence as the server holds it.

The claim is a field of the kiosk's Workstation document: ``claim: {token, place,
workstationId, claimedAt}``. It is written only when a data directory first syncs (no claim
yet) or takes the kiosk over after a restore; every other round only reads it. The write is
conditional, so two copies racing for an unclaimed id cannot both win.

The sequence look-ups use the receipts' unique (kioskId, kioskSeq) index, and _id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from kiosk.adapters.mongo.schema import RECEIPT, WORKSTATION
from kiosk.services.sync_ports import CentralSequences, KioskClaim

CLAIM = "claim"
MAX_SHOWN = 200  # characters of a place or name read back from the server


def claim_kiosk(db: Database, clinic_id: ObjectId, kiosk_id: ObjectId, claim: KioskClaim,
                takeover: bool) -> KioskClaim | None:
    where = {"_id": kiosk_id, "clinicId": clinic_id}
    doc = {"token": claim.token, "place": claim.place, "workstationId": claim.workstation_id,
           "claimedAt": datetime.now(UTC)}
    for _ in range(3):
        current = db[WORKSTATION].find_one(where, {CLAIM: 1})
        held = (current or {}).get(CLAIM)
        if isinstance(held, dict) and held.get("token") == claim.token:
            return None
        if isinstance(held, dict) and not takeover:
            return _holder(held)
        condition = where if takeover or current is None else {**where, CLAIM: {"$exists": False}}
        try:
            result = db[WORKSTATION].update_one(condition, {"$set": {CLAIM: doc}},
                                                upsert=current is None)
        except DuplicateKeyError:  # another copy created the document first: look again
            continue
        if result.matched_count or result.upserted_id is not None:
            return None
    current = db[WORKSTATION].find_one(where, {CLAIM: 1}) or {}
    return _holder(current.get(CLAIM) or {})


def _holder(held: dict) -> KioskClaim:
    def shown(key: str) -> str:
        value = held.get(key)
        text = value if isinstance(value, str) else "?"
        return "".join(c for c in text if c.isprintable())[:MAX_SHOWN] or "?"

    return KioskClaim(token=shown("token"), place=shown("place"),
                      workstation_id=shown("workstationId"))


def highest_seq(db: Database, clinic_id: ObjectId, kiosk_id: ObjectId) -> int:
    top = db[RECEIPT].find_one({"kioskId": kiosk_id, "clinicId": clinic_id}, {"kioskSeq": 1},
                               sort=[("kioskSeq", DESCENDING)])
    seq = (top or {}).get("kioskSeq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def sequences(db: Database, clinic_id: ObjectId, kiosk_id: ObjectId, seqs: Sequence[int],
              event_ids: Sequence[str], *, chunk: int = 1000) -> CentralSequences:
    held: dict[int, str] = {}
    applied: set[str] = set()
    wanted = sorted(set(seqs))
    for start in range(0, len(wanted), chunk):
        for doc in db[RECEIPT].find({"kioskId": kiosk_id, "kioskSeq": {
                "$in": wanted[start:start + chunk]}, "clinicId": clinic_id}, {"kioskSeq": 1}):
            held[int(doc["kioskSeq"])] = str(doc["_id"])
    ids = [oid for oid in (_oid(e) for e in event_ids) if oid is not None]
    for start in range(0, len(ids), chunk):
        applied |= {str(d["_id"]) for d in db[RECEIPT].find(
            {"_id": {"$in": ids[start:start + chunk]}, "clinicId": clinic_id}, {"_id": 1})}
    return CentralSequences(highest=highest_seq(db, clinic_id, kiosk_id), held=held,
                            applied=frozenset(applied))


def _oid(text: str) -> ObjectId | None:
    try:
        return ObjectId(text)
    except (InvalidId, TypeError):
        return None
