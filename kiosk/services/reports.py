"""The four seed reports; rows are keyed by the seed's field names.

A report that shows patients (usage, supply costs, lot tracking) needs ``appliance:read`` as
well as what it reads of the stock: an IT administrator reads stock, never patients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.costs import summarize_costs
from kiosk.domain.errors import ValidationError
from kiosk.domain.model import CostCategory, Usage
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import StockLevel, stock_level
from kiosk.services.clinic_reads import Scope, read_usages
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader, find_patient
from kiosk.services.ports import ANY_USAGE, Tx, UsageFilter

Row = dict[str, Any]  # column name -> a str, int, bool, Decimal, date, datetime or None


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    scope: Scope | None = None  # where the usages came from (None: not a ledger report)


def usage_report(
    ctx: ServiceContext, actor: str | None, where: UsageFilter = ANY_USAGE
) -> Report:
    """Every usage of the clinic in the filter, with voided ones flagged (inventory:read
    and, as it shows each patient's chart, appliance:read)."""
    with ctx.store.read() as tx:
        _authorize_patient_report(tx, actor)
    read = read_usages(ctx, where)
    with ctx.store.read() as tx:
        names = _Names(tx, read.usages)
        rows = [
            {
                "id": u.id, "usageDate": u.usage_date, "applianceType": u.appliance_type.value,
                "sku": names.sku(u.inventory_item_id), "name": names.item(u.inventory_item_id),
                "lotNumber": u.lot_number, "quantity": u.quantity, "unitCost": u.unit_cost,
                "lineCost": u.line_cost, "usedBy": names.staff(u.used_by),
                "chartNumber": names.chart(u.patient_id), "voided": u.id in read.voids,
            }
            for u in read.usages
        ]
    columns = ("usageDate", "applianceType", "sku", "name", "lotNumber", "quantity", "unitCost",
               "lineCost", "usedBy", "chartNumber", "voided", "id")
    return Report("Appliance usage", columns, rows, read.scope)


def supply_costs(ctx: ServiceContext, actor: str | None, patient: str | None = None) -> Report:
    """Frozen supply cost per patient and treatment plan across the clinic, net of voids
    (appliance:read)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        where = UsageFilter(patient_id=find_patient(tx, patient).id) if patient else ANY_USAGE
    read = read_usages(ctx, where)
    summaries = summarize_costs(read.usages, read.voided)
    with ctx.store.read() as tx:
        names = _Names(tx, read.usages)
        rows: list[Row] = [
            Row(patientId=s.patient_id, chartNumber=names.chart(s.patient_id),
                treatmentPlanId=s.treatment_plan_id)
            | {c.value: s.costs[c] for c in CostCategory}
            | {"totalCost": s.total, "periodStart": s.period_start, "periodEnd": None}
            for s in summaries
        ]
    columns = ("chartNumber", "treatmentPlanId", *(c.value for c in CostCategory), "totalCost",
               "periodStart", "patientId")
    return Report("Patient supply costs", columns, rows, read.scope)


def low_stock(ctx: ServiceContext, actor: str | None) -> Report:
    """Active items at or below their reorder point, out-of-stock first (inventory:read)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        rows = []
        for item in tx.all_items():
            level = stock_level(item.quantity_on_hand, item.reorder_point)
            if not item.active or level is StockLevel.OK:
                continue
            offer = item.preferred_offer()
            vendor = tx.vendor_by_id(offer.vendor_id) if offer else None
            rows.append({
                "sku": item.sku, "name": item.name, "category": item.category.value,
                "quantityOnHand": item.quantity_on_hand, "reorderPoint": item.reorder_point,
                "reorderQuantity": item.reorder_quantity, "level": level.value,
                "vendor": vendor.name if vendor else None,
                "vendorSku": offer.vendor_sku if offer else None,
                "unitCost": offer.unit_cost if offer else item.unit_cost,
            })
    rows.sort(key=lambda r: (r["level"] != StockLevel.OUT.value, r["quantityOnHand"], r["sku"]))
    columns = ("sku", "name", "category", "quantityOnHand", "reorderPoint", "reorderQuantity",
               "level", "vendor", "vendorSku", "unitCost")
    return Report("Low-stock appliance supplies", columns, rows)


def lot_tracking(ctx: ServiceContext, actor: str | None, lot_number: str) -> Report:
    """Every patient of the clinic who received a lot and was not voided, for recalls
    (inventory:read and appliance:read)."""
    lot_number = (lot_number or "").strip()
    if not lot_number:
        raise ValidationError("Give the lot number to track.")
    with ctx.store.read() as tx:
        _authorize_patient_report(tx, actor)
    read = read_usages(ctx, UsageFilter(lot_number=lot_number))
    with ctx.store.read() as tx:
        names = _Names(tx, read.usages)
        rows = [
            {
                "patientId": u.patient_id, "chartNumber": names.chart(u.patient_id),
                "patientName": names.patient(u.patient_id), "usageDate": u.usage_date,
                "quantity": u.quantity, "sku": names.sku(u.inventory_item_id),
                "name": names.item(u.inventory_item_id), "lotNumber": u.lot_number,
                "usedBy": names.staff(u.used_by), "applianceRecordId": u.appliance_record_id,
                "applianceType": u.appliance_type.value,
            }
            for u in read.usages
            if u.id not in read.voids
        ]
    columns = ("chartNumber", "patientName", "usageDate", "quantity", "sku", "name", "lotNumber",
               "usedBy", "applianceType", "applianceRecordId", "patientId")
    return Report(f"Lot tracking: {lot_number}", columns, rows, read.scope)


def _authorize_patient_report(tx: Tx, actor: str | None) -> None:
    authorize_reader(tx, actor, Permission.INVENTORY_READ)
    authorize_reader(tx, actor, Permission.APPLIANCE_READ)


class _Names:
    """The display names a report's rows need, fetched for all its usages at once (one query
    for the items, one for the patients, the staff list): a clinic-wide report labels
    thousands of usages, and a look-up per row would cost more than the central read."""

    def __init__(self, tx: Tx, usages: Iterable[Usage] = ()) -> None:
        usages = list(usages)
        self._items = tx.item_labels(u.inventory_item_id for u in usages)
        self._patients = tx.patients_by_ids(u.patient_id for u in usages)
        self._staff = {member.id: member.name for member in tx.all_staff()}

    def sku(self, item_id: str) -> str:
        item = self._items.get(item_id)
        return item.sku if item else item_id

    def item(self, item_id: str) -> str:
        item = self._items.get(item_id)
        return item.name if item else ""

    def chart(self, patient_id: str) -> str:
        patient = self._patients.get(patient_id)
        return patient.chart_number if patient else patient_id

    def patient(self, patient_id: str) -> str:
        patient = self._patients.get(patient_id)
        return patient.display_name if patient else ""

    def staff(self, staff_id: str) -> str:
        return self._staff.get(staff_id, staff_id)
