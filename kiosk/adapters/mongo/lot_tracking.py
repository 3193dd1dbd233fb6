"""Lot tracking across the clinic: every usage of a lot number, from the central ledger.

One indexed query per lot number on ``ApplianceInventoryLink`` through the
``clinicId_lotNumber_usageDate`` index, fetching only the fields a recall needs. Several lot
numbers are asked one by one, never with ``$in``: SecantusDB (the wire server the kiosk is
tested against) scans the whole collection when a filter has ``clinicId`` and an ``$in`` on
another field, whereas an equality per lot number stays on the index. No hint is given, so a
server still missing the index (``kiosk doctor`` names it) answers, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from pymongo.database import Database

from kiosk.adapters.mongo.codec import aware, hex_id
from kiosk.adapters.mongo.schema import LINK

LOT_INDEX = "clinicId_lotNumber_usageDate"
FIELDS = {"_id": 1, "lotNumber": 1, "usageDate": 1, "patientId": 1, "inventoryItemId": 1,
          "applianceRecordId": 1, "applianceType": 1, "quantity": 1, "kioskId": 1,
          "voidedAt": 1}


@dataclass(frozen=True)
class LotUse:
    """One recorded use of a lot at any kiosk of the clinic."""

    usage_id: str
    lot_number: str
    usage_date: datetime
    patient_id: str
    item_id: str
    appliance_record_id: str | None
    appliance_type: str
    quantity: int
    kiosk_id: str | None
    voided: bool


def lot_query(clinic_id: ObjectId, lot_number: str) -> dict:
    """The filter of one lot's uses (clinic first, so the lot-tracking index serves it)."""
    return {"clinicId": clinic_id, "lotNumber": lot_number}


def lot_uses(db: Database, clinic_id: ObjectId, lot_numbers: Iterable[str], *,
             include_voided: bool = False) -> list[LotUse]:
    """Uses of the given lot numbers, oldest first per lot; voided uses only when asked."""
    found: list[LotUse] = []
    for number in dict.fromkeys(n.strip() for n in lot_numbers if n and n.strip()):
        cursor = db[LINK].find(lot_query(clinic_id, number), FIELDS).sort("usageDate", 1)
        found += [use for use in map(_use, cursor) if include_voided or not use.voided]
    return found


def _use(doc: dict) -> LotUse:
    return LotUse(
        usage_id=str(doc["_id"]), lot_number=doc["lotNumber"], usage_date=aware(doc["usageDate"]),
        patient_id=str(doc["patientId"]), item_id=str(doc["inventoryItemId"]),
        appliance_record_id=hex_id(doc.get("applianceRecordId")),
        appliance_type=doc.get("applianceType") or "", quantity=int(doc.get("quantity") or 0),
        kiosk_id=hex_id(doc.get("kioskId")), voided=doc.get("voidedAt") is not None)
