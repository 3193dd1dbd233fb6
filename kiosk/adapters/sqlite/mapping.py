"""Small functions turning table rows into domain objects and back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row

from kiosk.adapters.sqlite.orm import (
    AdjustmentRow,
    ApplianceRecordRow,
    ItemCodeRow,
    ItemRow,
    LotRow,
    OutboxRow,
    PatientRow,
    StaffRow,
    UsageRow,
    UsageVoidRow,
    VendorOfferRow,
    VendorRow,
)
from kiosk.domain.model import (
    Adjustment,
    AdjustmentKind,
    ApplianceRecord,
    ApplianceStatus,
    ApplianceType,
    CostCategory,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Usage,
    UsageVoid,
    Vendor,
    VendorOffer,
)
from kiosk.domain.permissions import Role
from kiosk.services.ports import OutboxEvent

GTIN = "gtin"
HIBCC = "hibcc"


def name_key(name: str) -> str:
    """The form vendor names are compared in (case-insensitive, Unicode-aware)."""
    return name.strip().casefold()


def vendor_to_domain(row: VendorRow) -> Vendor:
    return Vendor(id=row.id, name=row.name)


def vendor_from_domain(vendor: Vendor) -> VendorRow:
    return VendorRow(id=vendor.id, name=vendor.name, name_key=name_key(vendor.name))


def item_to_domain(row: ItemRow | Row[Any], codes: Iterable[ItemCodeRow | Row[Any]],
                   offers: Iterable[VendorOfferRow | Row[Any]]) -> Item:
    """The item of an items row with its item_codes and vendor_offers rows (ORM objects, or
    Core rows with the same column names)."""
    codes = list(codes)
    return Item(
        id=row.id,
        sku=row.sku,
        name=row.name,
        category=ApplianceType(row.category),
        unit_of_measure=row.unit_of_measure,
        gtins=tuple(c.code for c in codes if c.kind == GTIN),
        hibcc=tuple(c.code for c in codes if c.kind == HIBCC),
        reorder_point=row.reorder_point,
        reorder_quantity=row.reorder_quantity,
        quantity_on_hand=row.quantity_on_hand,
        unit_cost=row.unit_cost,
        offers=[
            VendorOffer(o.vendor_id, o.vendor_sku, o.unit_cost, o.is_preferred) for o in offers
        ],
        active=row.active,
    )


def item_codes(item: Item) -> list[tuple[str, str]]:
    """(kind, code) pairs of the item, duplicates dropped, order kept."""
    pairs = [(GTIN, g) for g in item.gtins] + [(HIBCC, h) for h in item.hibcc]
    return list(dict.fromkeys(pairs))


def item_from_domain(item: Item) -> ItemRow:
    codes = [
        ItemCodeRow(kind=kind, code=code, item_id=item.id, position=n)
        for n, (kind, code) in enumerate(item_codes(item))
    ]
    offers = [
        VendorOfferRow(
            item_id=item.id,
            vendor_id=o.vendor_id,
            vendor_sku=o.vendor_sku,
            unit_cost=o.unit_cost,
            is_preferred=o.is_preferred,
            position=n,
        )
        for n, o in enumerate(item.offers)
    ]
    return ItemRow(
        id=item.id,
        sku=item.sku,
        name=item.name,
        category=item.category.value,
        unit_of_measure=item.unit_of_measure,
        reorder_point=item.reorder_point,
        reorder_quantity=item.reorder_quantity,
        quantity_on_hand=item.quantity_on_hand,
        unit_cost=item.unit_cost,
        active=item.active,
        codes=codes,
        offers=offers,
    )


def lot_to_domain(row: LotRow | Row[Any]) -> Lot:
    return Lot(
        id=row.id,
        item_id=row.item_id,
        lot_number=row.lot_number,
        expiration_date=row.expiration_date,
        vendor_id=row.vendor_id,
        unit_cost=row.unit_cost,
        quantity_on_hand=row.quantity_on_hand,
        status=LotStatus(row.status),
        recall_notice=row.recall_notice,
    )


def lot_from_domain(lot: Lot) -> LotRow:
    return LotRow(
        id=lot.id,
        item_id=lot.item_id,
        lot_number=lot.lot_number,
        expiration_date=lot.expiration_date,
        vendor_id=lot.vendor_id,
        unit_cost=lot.unit_cost,
        quantity_on_hand=lot.quantity_on_hand,
        status=lot.status.value,
        recall_notice=lot.recall_notice,
    )


def staff_to_domain(row: StaffRow) -> Staff:
    return Staff(
        id=row.id, name=row.name, role=Role(row.role), badge=row.badge, pin_hash=row.pin_hash,
        active=bool(row.active),
    )


def staff_from_domain(staff: Staff) -> StaffRow:
    return StaffRow(
        id=staff.id,
        name=staff.name,
        role=staff.role.value,
        badge=staff.badge,
        pin_hash=staff.pin_hash,
        active=staff.active,
    )


def patient_to_domain(row: PatientRow) -> Patient:
    return Patient(
        id=row.id, chart_number=row.chart_number, first_name=row.first_name,
        last_name=row.last_name, phone=row.phone or "", guardian_name=row.guardian_name or "",
        guardian_phone=row.guardian_phone or "",
    )


def patient_from_domain(patient: Patient) -> PatientRow:
    return PatientRow(
        id=patient.id,
        chart_number=patient.chart_number,
        first_name=patient.first_name,
        last_name=patient.last_name,
        phone=patient.phone,
        guardian_name=patient.guardian_name,
        guardian_phone=patient.guardian_phone,
    )


def appliance_to_domain(row: ApplianceRecordRow) -> ApplianceRecord:
    return ApplianceRecord(
        id=row.id,
        patient_id=row.patient_id,
        type=ApplianceType(row.type),
        status=ApplianceStatus(row.status),
        treatment_plan_id=row.treatment_plan_id,
        placed_at=row.placed_at,
    )


def appliance_from_domain(record: ApplianceRecord) -> ApplianceRecordRow:
    return ApplianceRecordRow(
        id=record.id,
        patient_id=record.patient_id,
        type=record.type.value,
        status=record.status.value,
        treatment_plan_id=record.treatment_plan_id,
        placed_at=record.placed_at,
    )


_USAGE_FIELDS = (
    "id",
    "clinic_id",
    "kiosk_id",
    "kiosk_seq",
    "patient_id",
    "inventory_item_id",
    "quantity",
    "used_by",
    "usage_date",
    "created_at",
    "appliance_record_id",
    "treatment_plan_id",
    "lot_number",
    "lot_id",
    "expiration_date",
    "unit_cost",
    "notes",
    "override_reason",
    "override_by",
)


def usage_to_domain(row: UsageRow | Row[Any]) -> Usage:
    return Usage(
        appliance_type=ApplianceType(row.appliance_type),
        cost_category=CostCategory(row.cost_category),
        **{name: getattr(row, name) for name in _USAGE_FIELDS},
    )


def usage_values(usage: Usage) -> dict[str, object]:
    """The usages row of ``usage``, column by column."""
    values: dict[str, object] = {name: getattr(usage, name) for name in _USAGE_FIELDS}
    values["appliance_type"] = usage.appliance_type.value
    values["cost_category"] = usage.cost_category.value
    return values


def usage_from_domain(usage: Usage) -> UsageRow:
    return UsageRow(**usage_values(usage))


_VOID_FIELDS = (
    "id",
    "clinic_id",
    "kiosk_id",
    "kiosk_seq",
    "usage_id",
    "voided_by",
    "reason",
    "voided_at",
)


def void_to_domain(row: UsageVoidRow | Row[Any]) -> UsageVoid:
    return UsageVoid(**{name: getattr(row, name) for name in _VOID_FIELDS})


def void_from_domain(void: UsageVoid) -> UsageVoidRow:
    return UsageVoidRow(**{name: getattr(void, name) for name in _VOID_FIELDS})


_ADJUSTMENT_FIELDS = (
    "id",
    "clinic_id",
    "kiosk_id",
    "kiosk_seq",
    "inventory_item_id",
    "quantity_delta",
    "reason",
    "actor_id",
    "created_at",
    "lot_id",
    "lot_number",
    "unit_cost",
)


def adjustment_to_domain(row: AdjustmentRow) -> Adjustment:
    return Adjustment(
        kind=AdjustmentKind(row.kind), **{name: getattr(row, name) for name in _ADJUSTMENT_FIELDS}
    )


def adjustment_from_domain(adjustment: Adjustment) -> AdjustmentRow:
    return AdjustmentRow(
        kind=adjustment.kind.value,
        **{name: getattr(adjustment, name) for name in _ADJUSTMENT_FIELDS},
    )


def outbox_to_domain(row: OutboxRow) -> OutboxEvent:
    return OutboxEvent(
        event_id=row.event_id,
        kiosk_seq=row.kiosk_seq,
        event_type=row.event_type,
        payload=row.payload,
        created_at=row.created_at,
    )


def outbox_values(event: OutboxEvent) -> dict[str, object]:
    """The outbox row of a newly queued ``event``, column by column."""
    return {
        "event_id": event.event_id,
        "kiosk_seq": event.kiosk_seq,
        "event_type": event.event_type,
        "payload": event.payload,
        "created_at": event.created_at,
        "state": "PENDING",
        "attempts": 0,
    }


def outbox_from_domain(event: OutboxEvent) -> OutboxRow:
    return OutboxRow(**outbox_values(event))
