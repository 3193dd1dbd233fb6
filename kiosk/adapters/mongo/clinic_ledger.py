"""MongoClinicLedger: the clinic ledger port over ApplianceInventoryLink and Workstation.

Every query starts with the clinic (``clinicId_usageDate``, ``clinicId_patientId_usageDate``
and ``clinicId_lotNumber_usageDate`` serve the report filters), fetches only the fields a
report needs and pages through the cursor in batches. The schema check and the workstation
heartbeats are remembered for 20 s (``REMEMBER_S``); the usages are read every time.
Interactive reads get their own client with short timeouts, so an unreachable server is
decided within the offline budget (about 2.5 s) and the report falls back to this kiosk's
ledger.

The low-stock report reads the clinic's InventoryItem documents (``clinicId_sku``), each
checked as a pull checks it; the supply-costs report reads SupplyCostSummary documents
(``clinicId_patientId_treatmentPlanId``) to cross-check the ledger against them.

Links written before the kiosk stored ``costCategory`` and ``treatmentPlanId`` on them get
both from the event's receipt (same ``_id``), fetched once per page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from time import monotonic
from typing import Any, TypeVar

from bson import Decimal128, ObjectId
from bson.errors import InvalidId
from pymongo import MongoClient
from pymongo.database import Database

from kiosk.adapters.mongo import central_values
from kiosk.adapters.mongo.catalog_docs import item_from
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.codec import aware, datetime_to_day, dec, hex_id
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import (
    ITEM,
    LINK,
    RECEIPT,
    SUMMARY,
    WORKSTATION,
    require_schema,
)
from kiosk.domain.model import ApplianceType, CostCategory, Item, Usage
from kiosk.services.clinic_ledger import (
    CentralCostSummary,
    CentralVoid,
    ClinicLedger,
    ClinicSnapshot,
    LedgerUsage,
    StationSeen,
    StockSnapshot,
)
from kiosk.services.ports import UsageFilter

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE = 1000
# The schema check and the clinic's heartbeats are remembered this long between reads: a
# manager paging through reports asks every few seconds, a heartbeat comes once a sync round,
# and "pending" marks a workstation after 15 minutes. The usages are read every time.
REMEMBER_S = 20.0
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

    def __init__(self, uri: str, clinic_id: str, client: MongoClient | None = None,
                 clock: Callable[[], float] = monotonic) -> None:
        self.uri = uri
        self.clinic_id = ObjectId(clinic_id)
        self.client = client
        self._clock = clock
        self._schema_checked_at: float | None = None
        self._stations: tuple[float, list[StationSeen]] | None = None

    def _on_server(self, read: Callable[..., T], *args: Any) -> T:
        """``read(db, *args)`` on the kiosk's client, else on a short-timeout one of its own."""
        if self.client is not None:
            return read(database(self.client), *args)
        with connect(self.uri, **INTERACTIVE_MS) as client:
            return read(database(client), *args)

    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        return self._on_server(self._read, where, timezone)

    def stock(self) -> StockSnapshot:
        return self._on_server(self._stock)

    def _stock(self, db: Database) -> StockSnapshot:
        with central_errors("read the clinic's stock"):
            require_schema(db)
            docs = list(db[ITEM].find({"clinicId": self.clinic_id}, batch_size=PAGE)
                        .sort("sku", 1))
            stations = self._fetch_stations(db)
        items: list[Item] = []
        for doc in docs:
            try:
                items.append(item_from(doc))
            except (KeyError, ValueError, TypeError, AttributeError, InvalidId,
                    ArithmeticError):
                log.warning("Central InventoryItem %s could not be read; it is left out of "
                            "the low-stock report.", doc.get("_id"))
        return StockSnapshot(items, stations)

    def cost_summaries(self, patient_id: str | None = None) -> list[CentralCostSummary]:
        return self._on_server(self._summaries, patient_id)

    def _summaries(self, db: Database, patient_id: str | None) -> list[CentralCostSummary]:
        query: dict[str, Any] = {"clinicId": self.clinic_id}
        if patient_id is not None:
            query["patientId"] = _oid(patient_id)
        fields = {name: 1 for name in ("patientId", "treatmentPlanId", "totalCost",
                                       *(c.value for c in CostCategory))}
        with central_errors("read the clinic's supply cost summaries"):
            require_schema(db)
            docs = list(db[SUMMARY].find(query, fields, batch_size=PAGE))
        found = []
        for doc in docs:
            summary = _summary(doc)
            if summary is None:
                log.warning("Central SupplyCostSummary %s could not be read; it counts as "
                            "missing.", doc.get("_id"))
            else:
                found.append(summary)
        return found

    def _read(self, db: Database, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        with central_errors("read the clinic's usages"):
            now = self._clock()
            if self._schema_checked_at is None or now - self._schema_checked_at > REMEMBER_S:
                require_schema(db)
                self._schema_checked_at = now
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
            if self._stations is None or now - self._stations[0] > REMEMBER_S:
                self._stations = (now, self._fetch_stations(db))
        return ClinicSnapshot(found, list(self._stations[1]))

    def stations(self) -> list[StationSeen]:
        """Read now, never from the reports' remembered copy: the fleet view's Refresh must
        show the heartbeats as they are (and the copy is renewed with them)."""
        return self._on_server(self._read_stations)

    def _read_stations(self, db: Database) -> list[StationSeen]:
        with central_errors("read the clinic's workstations"):
            require_schema(db)
            stations = self._fetch_stations(db)
        self._stations = (self._clock(), stations)
        return list(stations)

    def _fetch_stations(self, db: Database) -> list[StationSeen]:
        """Every Workstation document of the clinic (one per kiosk: a handful)."""
        docs = db[WORKSTATION].find({"clinicId": self.clinic_id}).sort("workstationId", 1)
        return [station for doc in docs if (station := _station(doc)) is not None]

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
            unit_cost=_unit_cost(doc),
            notes=doc.get("notes") if isinstance(doc.get("notes"), str) else None)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None
    voided_at = doc.get("voidedAt")
    void = None
    if isinstance(voided_at, datetime):
        void = CentralVoid(aware(voided_at), hex_id(doc.get("voidedBy")),
                           str(doc.get("voidReason") or ""))
    return LedgerUsage(usage, void)


def _summary(doc: dict) -> CentralCostSummary | None:
    try:
        plan = doc.get("treatmentPlanId")
        costs = {c: _amount(doc.get(c.value, 0)) for c in CostCategory}
        return CentralCostSummary(str(doc["patientId"]), str(plan) if plan is not None else None,
                                  costs, _amount(doc.get("totalCost", 0)))
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None


def _amount(value: object) -> Decimal:
    """Money as stored (Decimal128; a whole number from a shell); anything else is unreadable."""
    if isinstance(value, bool) or not isinstance(value, Decimal128 | int):
        raise TypeError(f"not an amount: {value!r}")
    return dec(value)


def _unit_cost(doc: dict) -> Decimal | None:
    """The link's unit cost checked like pulled money; one another program wrote as NaN, a
    float, a negative or a huge amount is unknown (None): the usage still counts, so a recall
    finds it, but no report adds that amount."""
    try:
        return central_values.money(doc, "unitCost")
    except ValueError as error:
        log.warning("Central usage %s has an unreadable unit cost (%s); counted at no cost",
                    doc.get("_id"), error)
        return None


def _station(doc: dict) -> StationSeen | None:
    try:
        return StationSeen(
            kiosk_id=str(doc["_id"]), workstation_id=str(doc.get("workstationId") or doc["_id"]),
            last_seen=aware(doc.get("heartbeatAt")), last_sync=aware(doc.get("lastSync")),
            queued=int(doc.get("queueDepth") or 0), quarantined=int(doc.get("quarantined") or 0),
            version=str(doc.get("version") or ""), last_error=doc.get("lastError"))
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
