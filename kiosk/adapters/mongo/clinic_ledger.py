"""MongoClinicLedger: the clinic ledger port over ApplianceInventoryLink and Workstation.

Every query starts with the clinic (``clinicId_usageDate``, ``clinicId_patientId_usageDate``
and ``clinicId_lotNumber_usageDate`` serve the report filters), fetches only the fields a
report needs and pages through the cursor in batches. Interactive reads get their own
client with short timeouts, so an unreachable server is decided within the offline budget
(about 2.5 s) and the report falls back to this kiosk's ledger.

Links written before the kiosk stored ``costCategory`` and ``treatmentPlanId`` on them get
both from the event's receipt (same ``_id``), fetched once per page.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from bson import Decimal128, ObjectId
from bson.errors import InvalidId
from pymongo import MongoClient
from pymongo.database import Database

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.codec import aware, datetime_to_day, hex_id
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import LINK, RECEIPT, WORKSTATION, require_schema
from kiosk.domain.model import ApplianceType, CostCategory, Usage
from kiosk.services.clinic_ledger import (
    CentralVoid,
    ClinicLedger,
    ClinicSnapshot,
    LedgerUsage,
    StationSeen,
)
from kiosk.services.ports import UsageFilter

log = logging.getLogger(__name__)

PAGE = 1000
INTERACTIVE_MS = {"serverSelectionTimeoutMS": 2500, "connectTimeoutMS": 2500,
                  "socketTimeoutMS": 10000}
FIELDS = {name: 1 for name in (
    "clinicId", "kioskId", "kioskSeq", "patientId", "applianceType", "applianceRecordId",
    "inventoryItemId", "quantity", "usedBy", "usageDate", "createdAt", "lotNumber",
    "expirationDate", "unitCost", "notes", "costCategory", "treatmentPlanId", "voidedAt",
    "voidedBy", "voidReason")}


class MongoClinicLedger(ClinicLedger):
    """One clinic's ledger. Each read opens its own short-timeout client and closes it (a
    report every few seconds at most; nothing is left connected between them), unless a
    client is handed in (the benchmarks), which is then reused and left open."""

    def __init__(self, uri: str, clinic_id: str, client: MongoClient | None = None) -> None:
        self.uri = uri
        self.clinic_id = ObjectId(clinic_id)
        self.client = client

    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        if self.client is not None:
            return self._read(database(self.client), where, timezone)
        with connect(self.uri, **INTERACTIVE_MS) as client:
            return self._read(database(client), where, timezone)

    def _read(self, db: Database, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        with central_errors("read the clinic's usages"):
            require_schema(db)
            cursor = db[LINK].find(usage_query(self.clinic_id, where, timezone), FIELDS,
                                   batch_size=PAGE).sort("usageDate", 1)
            found: list[LedgerUsage] = []
            page: list[dict] = []
            for doc in cursor:
                page.append(doc)
                if len(page) == PAGE:
                    found += self._read_page(db, page)
                    page = []
            found += self._read_page(db, page)
            docs = list(db[WORKSTATION].find({"clinicId": self.clinic_id}))
        stations = [station for doc in docs if (station := _station(doc)) is not None]
        return ClinicSnapshot(found, stations)

    def _read_page(self, db: Database, docs: list[dict]) -> list[LedgerUsage]:
        legacy = [doc["_id"] for doc in docs if "costCategory" not in doc]
        receipts = {}
        if legacy:
            receipts = {r["_id"]: r for r in db[RECEIPT].find(
                {"_id": {"$in": legacy}, "clinicId": self.clinic_id},
                {"costCategory": 1, "treatmentPlanId": 1})}
        found = []
        for doc in docs:
            entry = _entry(doc, receipts.get(doc["_id"], {}))
            if entry is None:
                log.warning("Central usage %s could not be read; it is left out of reports.",
                            doc.get("_id"))
            else:
                found.append(entry)
        return found


def usage_query(clinic_id: ObjectId, where: UsageFilter, timezone: str) -> dict[str, Any]:
    """The filter of ``where`` for ApplianceInventoryLink, clinic first."""
    query: dict[str, Any] = {"clinicId": clinic_id}
    if where.patient_id:
        query["patientId"] = _oid(where.patient_id)
    if where.lot_number:
        query["lotNumber"] = where.lot_number
    if where.item_id:
        query["inventoryItemId"] = _oid(where.item_id)
    if where.used_by:
        query["usedBy"] = _oid(where.used_by)
    if where.appliance_type is not None:
        query["applianceType"] = where.appliance_type.value
    start, end = where.span(timezone)
    span: dict[str, datetime] = {}
    if start is not None:
        span["$gte"] = start
    if end is not None:
        span["$lt"] = end
    if span:
        query["usageDate"] = span
    return query


def _oid(text: str) -> ObjectId | str:
    try:
        return ObjectId(text)
    except (InvalidId, TypeError):
        return text  # matches nothing, as a local filter on an unknown id would


def _entry(doc: dict, receipt: dict) -> LedgerUsage | None:
    try:
        category = CostCategory(str(doc.get("costCategory") or receipt.get("costCategory")))
        plan = doc.get("treatmentPlanId", receipt.get("treatmentPlanId"))
        cost = doc.get("unitCost")
        usage = Usage(
            id=str(doc["_id"]), clinic_id=str(doc["clinicId"]),
            kiosk_id=hex_id(doc.get("kioskId")) or "", kiosk_seq=int(doc.get("kioskSeq") or 0),
            patient_id=str(doc["patientId"]),
            appliance_type=ApplianceType(str(doc.get("applianceType"))),
            inventory_item_id=str(doc["inventoryItemId"]), quantity=int(doc["quantity"]),
            used_by=str(doc["usedBy"]), usage_date=aware(doc["usageDate"]),
            created_at=aware(doc.get("createdAt") or doc["usageDate"]),
            cost_category=category, appliance_record_id=hex_id(doc.get("applianceRecordId")),
            treatment_plan_id=str(plan) if plan is not None else None,
            lot_number=doc.get("lotNumber"),
            expiration_date=datetime_to_day(aware(doc.get("expirationDate"))),
            unit_cost=cost.to_decimal() if isinstance(cost, Decimal128) else (
                Decimal(cost) if isinstance(cost, str) else None),
            notes=doc.get("notes") if isinstance(doc.get("notes"), str) else None)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None
    voided_at = doc.get("voidedAt")
    void = None
    if isinstance(voided_at, datetime):
        void = CentralVoid(aware(voided_at), hex_id(doc.get("voidedBy")),
                           str(doc.get("voidReason") or ""))
    return LedgerUsage(usage, void)


def _station(doc: dict) -> StationSeen | None:
    try:
        return StationSeen(
            kiosk_id=str(doc["_id"]), workstation_id=str(doc.get("workstationId") or doc["_id"]),
            last_seen=aware(doc.get("heartbeatAt")), last_sync=aware(doc.get("lastSync")),
            queued=int(doc.get("queueDepth") or 0), quarantined=int(doc.get("quarantined") or 0),
            version=str(doc.get("version") or ""), last_error=doc.get("lastError"))
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
