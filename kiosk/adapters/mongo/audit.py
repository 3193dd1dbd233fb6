"""Audit: recompute one clinic's stock and cost summaries from the ledger, report every drift.

The ledger is every ``InventoryAdjustment`` (kiosk adjustments and receipts, and central
imports of kind IMPORT) and every non-voided ``ApplianceInventoryLink``. A link's lot, cost
category and treatment plan come from its ``KioskEventReceipt`` (what the push applied); a
link written by another system counts against the lot with its number and the category of its
appliance type.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from bson import Decimal128, ObjectId
from pymongo.database import Database

from kiosk.adapters.mongo.codec import dec
from kiosk.adapters.mongo.event_docs import CATEGORIES
from kiosk.adapters.mongo.schema import ADJUSTMENT, APPLIANCE, ITEM, LINK, LOT, RECEIPT, SUMMARY
from kiosk.domain.model import COST_CATEGORY_OF, ApplianceType
from kiosk.services.sync_ports import Drift

ZERO = Decimal(0)
Key = tuple[ObjectId, ObjectId | None]  # (patient, treatment plan)


def audit_clinic(db: Database, clinic_id: ObjectId) -> list[Drift]:
    scope = {"clinicId": clinic_id}
    items = {d["_id"]: d for d in db[ITEM].find(scope, {"sku": 1, "quantityOnHand": 1})}
    lots = {d["_id"]: d for d in db[LOT].find(
        scope, {"itemId": 1, "lotNumber": 1, "quantityOnHand": 1})}
    item_ledger: dict[ObjectId, int] = defaultdict(int)
    lot_ledger: dict[ObjectId, int] = defaultdict(int)
    for row in db[ADJUSTMENT].aggregate([
            {"$match": scope},
            {"$group": {"_id": {"item": "$inventoryItemId", "lot": "$lotId"},
                        "quantity": {"$sum": "$quantity"}}}]):
        item_ledger[row["_id"].get("item")] += row["quantity"]
        if row["_id"].get("lot") is not None:
            lot_ledger[row["_id"]["lot"]] += row["quantity"]
    costs = _subtract_usages(db, clinic_id, lots, item_ledger, lot_ledger)
    drifts = _stock_drifts("InventoryItem", items, item_ledger, lambda d: d.get("sku"))
    drifts += _stock_drifts("InventoryLot", lots, lot_ledger, lambda d: _lot_name(d, items))
    return drifts + _cost_drifts(db, scope, costs)


def _subtract_usages(db: Database, clinic_id: ObjectId, lots: dict[ObjectId, dict],
                     item_ledger: dict, lot_ledger: dict) -> dict[Key, dict[str, Decimal]]:
    """Take every non-voided usage off the stock ledgers; return the costs per summary."""
    by_number = {(d["itemId"], d["lotNumber"]): lot_id for lot_id, d in lots.items()}
    costs: dict[Key, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    unreceipted: list[dict] = []
    for row in db[LINK].aggregate([
            {"$match": {"clinicId": clinic_id, "voidedAt": None}},
            {"$lookup": {"from": RECEIPT, "localField": "_id", "foreignField": "_id",
                         "as": "receipt"}},
            {"$unwind": {"path": "$receipt", "preserveNullAndEmptyArrays": True}},
            {"$group": {
                "_id": {"item": "$inventoryItemId", "lotNumber": "$lotNumber",
                        "type": "$applianceType", "record": "$applianceRecordId",
                        "patient": "$patientId", "receiptClinic": "$receipt.clinicId",
                        "lot": "$receipt.lotId", "plan": "$receipt.treatmentPlanId",
                        "category": "$receipt.costCategory"},
                "quantity": {"$sum": "$quantity"},
                "cost": {"$sum": {"$multiply": [{"$ifNull": ["$unitCost", Decimal128("0")]},
                                                "$quantity"]}}}}]):
        key = row["_id"]
        item_ledger[key.get("item")] -= row["quantity"]
        if key.get("receiptClinic") != clinic_id:
            unreceipted.append(row)
            continue
        if key.get("lot") is not None:
            lot_ledger[key["lot"]] -= row["quantity"]
        costs[(key.get("patient"), key.get("plan"))][key.get("category")] += dec(row["cost"])
    plans = _plans_of(db, clinic_id, {r["_id"].get("record") for r in unreceipted} - {None})
    for row in unreceipted:  # written by another system: lot by number, category by type
        key = row["_id"]
        lot = by_number.get((key.get("item"), key.get("lotNumber")))
        if lot is not None:
            lot_ledger[lot] -= row["quantity"]
        category = _category_of(key.get("type"))
        costs[(key.get("patient"), plans.get(key.get("record")))][category] += dec(row["cost"])
    return costs


def _plans_of(db: Database, clinic_id: ObjectId, records: set) -> dict:
    if not records:
        return {}
    return {d["_id"]: d.get("treatmentPlanId") for d in db[APPLIANCE].find(
        {"clinicId": clinic_id, "_id": {"$in": list(records)}}, {"treatmentPlanId": 1})}


def _category_of(appliance_type: Any) -> str:  # a document's value, maybe not a type
    try:
        return COST_CATEGORY_OF[ApplianceType(appliance_type)].value
    except ValueError:
        return "accessoryCost"


def _lot_name(lot: dict, items: dict[ObjectId, dict]) -> str:
    item_id = lot.get("itemId")
    item = items.get(item_id, {}) if item_id is not None else {}
    return f"{item.get('sku', lot.get('itemId'))}/{lot.get('lotNumber')}"


def _stock_drifts(collection: str, stored: dict[ObjectId, dict], ledger: dict[ObjectId, int],
                  name) -> list[Drift]:
    drifts = []
    for doc_id, doc in stored.items():
        have, want = int(doc.get("quantityOnHand") or 0), ledger.get(doc_id, 0)
        if have != want:
            drifts.append(Drift(f"{collection} {name(doc)} quantityOnHand", str(have), str(want)))
    for doc_id in ledger.keys() - stored.keys():
        if ledger[doc_id]:
            drifts.append(Drift(f"{collection} {doc_id} quantityOnHand (not in this clinic's "
                                "catalog)", "missing", str(ledger[doc_id])))
    return drifts


def _cost_drifts(db: Database, scope: dict, costs: dict[Key, dict[str, Decimal]]) -> list[Drift]:
    drifts = []
    seen: set[Key] = set()
    for summary in db[SUMMARY].find(scope):
        key = (summary.get("patientId"), summary.get("treatmentPlanId"))
        seen.add(key)
        want = costs.get(key, {})
        label = f"SupplyCostSummary patient {key[0]} plan {key[1]}"
        for field in (*CATEGORIES, "totalCost"):
            have = dec(summary.get(field)) or ZERO
            expected = sum(want.values(), ZERO) if field == "totalCost" else want.get(field, ZERO)
            if have != expected:
                drifts.append(Drift(f"{label} {field}", str(have), str(expected)))
    for key in costs.keys() - seen:
        total = sum(costs[key].values(), ZERO)
        drifts.append(Drift(f"SupplyCostSummary patient {key[0]} plan {key[1]} totalCost",
                                "missing", str(total)))
    return drifts
