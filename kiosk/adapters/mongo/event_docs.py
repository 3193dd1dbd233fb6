"""Kiosk outbox events -> central documents and effects, planned in memory.

``push.py`` reads what a batch refers to (receipts, items, lots, voided links), then plans each
event here in kiosk_seq order and finally writes the whole plan in one transaction. A planner
validates everything before it changes the plan, so a refused event leaves no trace.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from bson import Decimal128, ObjectId
from bson.errors import InvalidId

from kiosk.adapters.mongo.codec import day_to_datetime
from kiosk.domain.model import AdjustmentKind, CostCategory, LotStatus
from kiosk.services.payloads import STOCK_ADJUSTED, USAGE_RECORDED, USAGE_VOIDED
from kiosk.services.ports import OutboxEvent

CATEGORIES = tuple(category.value for category in CostCategory)
ZERO = Decimal(0)


class Refused(Exception):
    """An event the server will not apply; ``str()`` is the quarantine sentence."""


def dec128(value: Decimal | None) -> Decimal128 | None:
    """codec.dec128, remembered by the amount's text (which keeps its exponent, so 1.0 and
    1.00 stay distinct): bson's Decimal128 conversion is slow pure Python and a batch
    repeats the same few unit costs."""
    return None if value is None else _decimal128(str(value))


@lru_cache(maxsize=4096)
def _decimal128(text: str) -> Decimal128:
    return Decimal128(Decimal(text))


def payload_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_payload(event: OutboxEvent) -> dict:
    try:
        payload = json.loads(event.payload)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise Refused(f"Event {event.event_id} has a payload that is not a JSON object.")
    return payload


def object_id(value: object, what: str) -> ObjectId:
    try:
        return ObjectId(value)  # type: ignore[arg-type]
    except (InvalidId, TypeError):
        raise Refused(f"the {what} {str(value)[:40]!r} is not a 24-character hex id") from None


def optional_id(value: object, what: str) -> ObjectId | None:
    return object_id(value, what) if value else None


def moment(value: object, what: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise Refused(f"the {what} {str(value)[:40]!r} is not an ISO date and time") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day(value: object, what: str) -> datetime | None:
    if not value:
        return None
    try:
        return day_to_datetime(date.fromisoformat(str(value)[:10]))
    except ValueError:
        raise Refused(f"the {what} {str(value)[:40]!r} is not a date") from None


def money(value: object, what: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise Refused(f"the {what} {str(value)[:40]!r} is not an amount")
    return amount


def whole(value: object, what: str, *, positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or (positive and value <= 0):
        raise Refused(f"the {what} {str(value)[:20]!r} is not a {'positive ' * positive}"
                      "whole number")
    return value


@dataclass
class SummaryDelta:
    """What a batch adds to one patient's SupplyCostSummary."""

    costs: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    total: Decimal = ZERO
    first_use: datetime | None = None


@dataclass
class Known:
    """What the server holds that the batch refers to, this clinic only."""

    items: set[ObjectId]
    lots: dict[ObjectId, tuple[ObjectId, str]]  # lot id -> (item id, lot number)
    usages: dict[ObjectId, dict | None]  # link id -> its usage receipt (None: not a kiosk's)
    voided: set[ObjectId]

    def lot_for(self, lot_id: ObjectId | None, item_id: ObjectId,
                lot_number: str | None) -> ObjectId | None:
        """The central lot: by id, else by the item's lot number (another kiosk may have
        created it first under its own id)."""
        if lot_id in self.lots:
            return lot_id
        if lot_id is None or not lot_number:
            return None
        for candidate, key in self.lots.items():
            if key == (item_id, lot_number):
                return candidate
        return None


@dataclass
class BatchPlan:
    """Every document and increment of one batch, written by push.py in one transaction."""

    clinic_id: ObjectId
    kiosk_id: ObjectId
    now: datetime
    known: Known
    links: list[dict] = field(default_factory=list)
    voids: list[tuple[ObjectId, dict]] = field(default_factory=list)
    adjustments: list[dict] = field(default_factory=list)
    new_lots: list[dict] = field(default_factory=list)
    receipts: list[dict] = field(default_factory=list)
    item_deltas: Counter = field(default_factory=Counter)
    lot_deltas: Counter = field(default_factory=Counter)
    summaries: dict[tuple[ObjectId, ObjectId | None], SummaryDelta] = field(
        default_factory=lambda: defaultdict(SummaryDelta))
    owners: dict[ObjectId, str] = field(default_factory=dict)  # inserted _id -> event id

    def apply(self, event: OutboxEvent, payload: dict, digest: str) -> None:
        """Plan one event (raises Refused, having changed nothing)."""
        planner = {USAGE_RECORDED: self._usage, USAGE_VOIDED: self._void,
                   STOCK_ADJUSTED: self._adjustment}.get(event.event_type)
        if planner is None:
            raise Refused(f"Event {event.event_id} has an unknown type {event.event_type!r}.")
        event_oid = object_id(event.event_id, "event id")
        _check_scope(self, event, payload)
        try:
            effect = planner(event_oid, event, payload)
        except Refused as why:
            text = str(why)
            raise Refused(text if text.endswith(".") else
                          f"Event {event.event_id} cannot be applied: {text}.") from None
        self.receipts.append({
            "_id": event_oid, "clinicId": self.clinic_id, "kioskId": self.kiosk_id,
            "kioskSeq": event.kiosk_seq, "eventType": event.event_type, "payloadHash": digest,
            "appliedAt": self.now, **effect})
        self.owners[event_oid] = event.event_id

    def _usage(self, oid: ObjectId, event: OutboxEvent, p: dict) -> dict:
        item = object_id(p.get("inventoryItemId"), "item id")
        quantity = whole(p.get("quantity"), "quantity", positive=True)
        category = p.get("costCategory")
        if category not in CATEGORIES:
            raise Refused(f"the cost category {category!r} is unknown")
        unit_cost = money(p.get("unitCost"), "unit cost")
        plan = optional_id(p.get("treatmentPlanId"), "treatment plan id")
        patient = object_id(p.get("patientId"), "patient id")
        lot_number = p.get("lotNumber") or None
        link: dict[str, Any] = {
            "_id": oid, "clinicId": self.clinic_id,
            "applianceRecordId": optional_id(p.get("applianceRecordId"), "appliance record id"),
            "applianceType": str(p.get("applianceType") or ""), "patientId": patient,
            "inventoryItemId": item, "lotNumber": lot_number,
            "expirationDate": day(p.get("expirationDate"), "expiration date"),
            "usageDate": moment(p.get("usageDate"), "usage date"), "quantity": quantity,
            "unitCost": dec128(unit_cost), "usedBy": object_id(p.get("usedBy"), "staff id"),
            "notes": p.get("notes") if isinstance(p.get("notes"), str) else None,
            "createdAt": moment(p.get("createdAt"), "creation time"),
            "kioskId": self.kiosk_id, "kioskSeq": event.kiosk_seq,
            # additions to the seed's link, for clinic-wide cost reports
            "costCategory": category, "treatmentPlanId": plan,
        }
        lot = self.known.lot_for(optional_id(p.get("lotId"), "lot id"), item, lot_number)
        cost = (unit_cost or ZERO) * quantity
        effect = {"itemId": item, "lotId": lot, "quantity": -quantity, "patientId": patient,
                  "treatmentPlanId": plan, "costCategory": category, "lineCost": dec128(cost)}
        self.links.append(link)
        self.owners[oid] = event.event_id
        self._stock(item, lot, -quantity)
        self._cost(patient, plan, category, cost, link["usageDate"])
        self.known.usages[oid] = effect
        return effect

    def _void(self, oid: ObjectId, event: OutboxEvent, p: dict) -> dict:
        usage_id = object_id(p.get("usageId"), "usage id")
        voided_at = moment(p.get("voidedAt"), "void time")
        voided_by = object_id(p.get("voidedBy"), "staff id")
        reason = str(p.get("voidReason") or "")
        if usage_id not in self.known.usages:
            raise Refused(f"Void {event.event_id} voids a usage the server does not have "
                          f"({usage_id}).")
        if usage_id in self.known.voided:
            raise Refused(f"Void {event.event_id} voids usage {usage_id}, which is already "
                          "voided centrally.")
        usage = self.known.usages[usage_id]
        if usage is None:
            raise Refused(f"Void {event.event_id} voids usage {usage_id}, which no kiosk "
                          "recorded; correct it in the practice system.")
        cost = usage["lineCost"].to_decimal()
        self.voids.append((usage_id, {"voidedAt": voided_at, "voidedBy": voided_by,
                                      "voidReason": reason}))
        self._stock(usage["itemId"], usage["lotId"], -usage["quantity"])
        self._cost(usage["patientId"], usage["treatmentPlanId"], usage["costCategory"], -cost,
                   None)
        self.known.voided.add(usage_id)
        return {"usageId": usage_id, "itemId": usage["itemId"], "lotId": usage["lotId"],
                "quantity": -usage["quantity"], "patientId": usage["patientId"],
                "treatmentPlanId": usage["treatmentPlanId"],
                "costCategory": usage["costCategory"], "lineCost": dec128(-cost)}

    def _adjustment(self, oid: ObjectId, event: OutboxEvent, p: dict) -> dict:
        item = object_id(p.get("inventoryItemId"), "item id")
        quantity = whole(p.get("quantity"), "quantity")
        kind = str(p.get("kind") or "")
        if kind not in {k.value for k in AdjustmentKind}:
            raise Refused(f"the adjustment kind {kind!r} is unknown")
        lot_number = p.get("lotNumber") or None
        wanted = optional_id(p.get("lotId"), "lot id")
        lot = self.known.lot_for(wanted, item, lot_number)
        new_lot: dict[str, Any] | None = None
        if (lot is None and wanted is not None and lot_number and kind == AdjustmentKind.RECEIPT
                and item in self.known.items):
            status = p.get("lotStatus") or LotStatus.ACTIVE.value
            new_lot = {"_id": wanted, "clinicId": self.clinic_id, "itemId": item,
                       "lotNumber": lot_number,
                       "expirationDate": day(p.get("expirationDate"), "expiration date"),
                       "vendorId": optional_id(p.get("vendorId"), "vendor id"),
                       "unitCost": dec128(money(p.get("lotUnitCost"), "lot unit cost")),
                       "quantityOnHand": quantity, "status": status, "recallNotice": None}
            lot = wanted
        self.adjustments.append({
            "_id": oid, "clinicId": self.clinic_id, "kind": kind, "inventoryItemId": item,
            "lotId": lot, "lotNumber": lot_number, "quantity": quantity,
            "reason": str(p.get("reason") or ""),
            "adjustedBy": object_id(p.get("adjustedBy"), "staff id"),
            "unitCost": dec128(money(p.get("unitCost"), "unit cost")),
            "createdAt": moment(p.get("createdAt"), "creation time"),
            "kioskId": self.kiosk_id, "kioskSeq": event.kiosk_seq})
        self.owners[oid] = event.event_id
        if new_lot is not None:
            self.new_lots.append(new_lot)
            self.owners[new_lot["_id"]] = event.event_id
            self.known.lots[new_lot["_id"]] = (item, new_lot["lotNumber"])
            self._stock(item, None, quantity)
        else:
            self._stock(item, lot, quantity)
        return {"itemId": item, "lotId": lot, "quantity": quantity,
                "lotCreated": new_lot is not None}

    def _stock(self, item: ObjectId, lot: ObjectId | None, delta: int) -> None:
        self.item_deltas[item] += delta
        if lot is not None:
            self.lot_deltas[lot] += delta

    def _cost(self, patient: ObjectId, plan: ObjectId | None, category: str, cost: Decimal,
              used_at: datetime | None) -> None:
        delta = self.summaries[(patient, plan)]
        delta.costs[category] += cost
        delta.total += cost
        if used_at is not None and (delta.first_use is None or used_at < delta.first_use):
            delta.first_use = used_at


def _check_scope(plan: BatchPlan, event: OutboxEvent, payload: dict) -> None:
    """The payload must be this event of this kiosk of this clinic."""
    clinic = payload.get("clinicId")
    if clinic is not None and str(clinic).lower() != str(plan.clinic_id):
        raise Refused(f"Event {event.event_id} belongs to clinic {clinic}, not to this kiosk's "
                      f"clinic {plan.clinic_id}.")
    kiosk = payload.get("kioskId")
    if kiosk is not None and str(kiosk).lower() != str(plan.kiosk_id):
        raise Refused(f"Event {event.event_id} was made by kiosk {kiosk}, not by this kiosk "
                      f"{plan.kiosk_id}.")
    if payload.get("_id", event.event_id) != event.event_id or payload.get(
            "kioskSeq", event.kiosk_seq) != event.kiosk_seq:
        raise Refused(f"Event {event.event_id} carries another id or sequence in its payload.")


def summary_write(plan: BatchPlan, key: tuple[ObjectId, ObjectId | None],
                  delta: SummaryDelta) -> tuple[dict, dict, bool]:
    """(filter, update, upsert) of one patient's cost summary; only usages create one."""
    patient, treatment_plan = key
    where = {"clinicId": plan.clinic_id, "patientId": patient, "treatmentPlanId": treatment_plan}
    update: dict = {
        "$inc": {**{name: Decimal128(cost) for name, cost in delta.costs.items()},
                 "totalCost": Decimal128(delta.total)},
        "$set": {"updatedAt": plan.now},
        "$setOnInsert": {**{name: Decimal128("0") for name in CATEGORIES
                            if name not in delta.costs},
                         "periodEnd": None, "createdAt": plan.now},
    }
    if delta.first_use is not None:
        update["$min"] = {"periodStart": delta.first_use}
    return where, update, delta.first_use is not None
