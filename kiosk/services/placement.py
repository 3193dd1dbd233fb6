"""Deduct supplies for an appliance placement: one call or a bulk, all-or-nothing.

Each usage commits in the same transaction as its outbox event and its local stock change,
so a usage that was returned is durable and will reach the central store exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.domain.barcodes import ScanResult, assemble
from kiosk.domain.errors import KioskError, NotFound, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import (
    COST_CATEGORY_OF,
    ApplianceStatus,
    ApplianceType,
    Patient,
    Staff,
    Usage,
)
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import (
    check_appliance_deductible,
    check_lot_usable,
    frozen_unit_cost,
    is_expired,
    validate_quantity,
)
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import (
    authorize,
    find_patient,
    parse_product_scan,
    resolve_product,
    unlisted_lot,
)
from kiosk.services.payloads import usage_event
from kiosk.services.ports import Tx

MAX_NOTES = 1000


@dataclass(frozen=True)
class PlaceSupplies:
    """Supplies used for one appliance (or for the patient when no record is given)."""

    patient: str
    appliance_type: str
    scans: Sequence[str]
    quantity: object = 1
    appliance_id: str | None = None
    mark_placed: bool = False
    override_reason: str | None = None
    notes: str | None = None


def parse_appliance_type(text: str) -> ApplianceType:
    try:
        return ApplianceType((text or "").strip().upper())
    except ValueError:
        kinds = ", ".join(t.value for t in ApplianceType)
        raise ValidationError(f"Unknown appliance type {text!r}; use one of {kinds}.") from None


def deduct_for_appliance(ctx: ServiceContext, actor: str, command: PlaceSupplies) -> list[Usage]:
    """Record the usages of one placement; every scan is deducted or none is."""
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.APPLIANCE_UPDATE)
        return _place(ctx, tx, staff, command)


def bulk_deduct(ctx: ServiceContext, actor: str, commands: Sequence[PlaceSupplies]) -> list[Usage]:
    """Several placements (a procedure kit) in one transaction: all of them, or nothing."""
    if not commands:
        raise ValidationError("The bulk deduction has no lines.")
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.APPLIANCE_UPDATE)
        usages: list[Usage] = []
        for number, command in enumerate(commands, start=1):
            try:
                usages += _place(ctx, tx, staff, command)
            except KioskError as error:
                raise type(error)(f"Line {number}: {error} Nothing was deducted.") from error
        return usages


def _place(ctx: ServiceContext, tx: Tx, staff: Staff, command: PlaceSupplies) -> list[Usage]:
    patient = find_patient(tx, command.patient)
    appliance_type = parse_appliance_type(command.appliance_type)
    quantity = validate_quantity(command.quantity, ctx.settings.max_line_quantity)
    notes = _clean_notes(command.notes)
    record_id, plan_id = _appliance_for(ctx, tx, patient, appliance_type, command)
    line = _Line(staff, patient, appliance_type, quantity, notes, command.override_reason,
                 record_id, plan_id)
    return [_record_usage(ctx, tx, line, scan) for scan in _assembled_scans(command.scans)]


@dataclass(frozen=True)
class _Line:
    """What every scan of one placement shares."""

    staff: Staff
    patient: Patient
    appliance_type: ApplianceType
    quantity: int
    notes: str | None
    override_reason: str | None
    record_id: str | None
    plan_id: str | None


def _appliance_for(ctx: ServiceContext, tx: Tx, patient: Patient, appliance_type: ApplianceType,
                   command: PlaceSupplies) -> tuple[str | None, str | None]:
    if not command.appliance_id:
        return None, None
    record = tx.appliance(command.appliance_id.strip())
    if record is None or record.patient_id != patient.id:
        raise NotFound(f"Patient {patient.chart_number} has no appliance {command.appliance_id}.")
    if record.type is not appliance_type:
        raise ValidationError(
            f"Appliance {record.id} is a {record.type.value}, not a {appliance_type.value}."
        )
    check_appliance_deductible(record, command.mark_placed)
    if record.status is ApplianceStatus.ORDERED:
        tx.save_appliance(replace(record, status=ApplianceStatus.PLACED, placed_at=ctx.now()))
    return record.id, record.treatment_plan_id


def _assembled_scans(raw_scans: Sequence[str]) -> list[ScanResult]:
    if not raw_scans:
        raise ValidationError("Scan at least one supply.")
    products, errors = assemble(parse_product_scan(raw) for raw in raw_scans)
    if errors:
        raise ValidationError(errors[0])
    if not products:
        raise ValidationError("Scan at least one supply.")
    return products


def _record_usage(ctx: ServiceContext, tx: Tx, line: _Line, scan: ScanResult) -> Usage:
    product = resolve_product(tx, scan)
    lot = product.lot or unlisted_lot(product)
    expired_override = None
    if lot is not None:
        check_lot_usable(lot, ctx.today(), line.staff.role, line.override_reason)
        if is_expired(lot, ctx.today()):
            expired_override = (line.override_reason or "").strip()
    now = ctx.now()
    identity = tx.identity()
    usage = Usage(
        id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
        kiosk_seq=tx.next_kiosk_seq(), patient_id=line.patient.id,
        appliance_type=line.appliance_type, inventory_item_id=product.item.id,
        quantity=line.quantity, used_by=line.staff.id, usage_date=now, created_at=now,
        cost_category=COST_CATEGORY_OF[product.item.category],
        appliance_record_id=line.record_id, treatment_plan_id=line.plan_id,
        lot_number=product.lot_number, lot_id=product.lot.id if product.lot else None,
        expiration_date=lot.expiration_date if lot else scan.expiry,
        unit_cost=frozen_unit_cost(product.item, product.lot), notes=line.notes,
        override_reason=expired_override,
    )
    tx.add_usage(usage)
    tx.enqueue(usage_event(usage))
    tx.change_stock(product.item.id, usage.lot_id, -line.quantity)
    return usage


def _clean_notes(notes: str | None) -> str | None:
    """Notes are free text stored as a value, never interpreted (so `$`-operators are inert)."""
    text = (notes or "").strip()
    if len(text) > MAX_NOTES:
        raise ValidationError(f"The notes are longer than {MAX_NOTES} characters.")
    if any(ord(c) < 32 and c not in "\t\n" for c in text):
        raise ValidationError("The notes contain control characters; type plain text.")
    return text or None
