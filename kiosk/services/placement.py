"""Deduct supplies for an appliance placement: one call or a bulk, all-or-nothing.

Each usage commits in the same transaction as its outbox event and its local stock change,
so a usage that was returned is durable and will reach the central store exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from kiosk.domain.barcodes import ScanResult, assemble
from kiosk.domain.errors import KioskError, NotFound, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import (
    COST_CATEGORY_OF,
    ApplianceStatus,
    ApplianceType,
    Lot,
    LotStatus,
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
from kiosk.services.lookup import authorize, find_patient, parse_product_scan, resolve_product
from kiosk.services.payloads import usage_event
from kiosk.services.ports import Tx

MAX_NOTES = 1000


@dataclass(frozen=True)
class PlaceLine:
    """One supply, already parsed and matched to the catalog at the edge (a scan read by the
    UI or the CLI, or an item picked by name): the service re-checks its state only."""

    item_id: str
    lot_number: str | None = None
    expiry: date | None = None  # the label's, for a lot the catalog does not list
    quantity: int = 1
    override_reason: str | None = None  # an expired lot used anyway, and why
    override_by: str | None = None  # the manager who approved it at the chair (staff id)
    label_expiry: bool = False  # ``expiry`` is the label's, which the catalog's lot contradicts


@dataclass(frozen=True)
class PlaceAppliance:
    """Supplies used for one appliance (or for the patient when no record is given)."""

    patient: str
    appliance_type: str
    lines: Sequence[PlaceLine]
    appliance_id: str | None = None
    mark_placed: bool = False
    notes: str | None = None

    @property
    def quantity(self) -> int:
        """The units this placement deducts."""
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class PlaceSupplies:
    """The edge form of a placement: raw scans, as the CLI and bulk files give them. It is
    parsed and matched once (``lines_from_scans``) into the lines of a ``PlaceAppliance``."""

    patient: str
    appliance_type: str
    scans: Sequence[str]
    quantity: object = 1
    appliance_id: str | None = None
    mark_placed: bool = False
    override_reason: str | None = None
    notes: str | None = None


Placement = PlaceAppliance | PlaceSupplies


def parse_appliance_type(text: str) -> ApplianceType:
    try:
        return ApplianceType((text or "").strip().upper())
    except ValueError:
        kinds = ", ".join(t.value for t in ApplianceType)
        raise ValidationError(f"Unknown appliance type {text!r}; use one of {kinds}.") from None


def deduct_for_appliance(ctx: ServiceContext, actor: str, command: Placement) -> list[Usage]:
    """Record the usages of one placement; every line is deducted or none is."""
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.APPLIANCE_UPDATE)
        return _place(ctx, tx, staff, command)


def bulk_deduct(ctx: ServiceContext, actor: str, commands: Sequence[Placement]) -> list[Usage]:
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


def _place(ctx: ServiceContext, tx: Tx, staff: Staff, command: Placement) -> list[Usage]:
    patient = find_patient(tx, command.patient)
    appliance_type = parse_appliance_type(command.appliance_type)
    limit = ctx.settings.max_line_quantity
    scanned = (validate_quantity(command.quantity, limit)
               if isinstance(command, PlaceSupplies) else None)
    notes = _clean_notes(command.notes)
    record_id, plan_id = _appliance_for(ctx, tx, patient, appliance_type, command)
    shared = _Shared(staff, patient, appliance_type, notes, record_id, plan_id)
    lines = (lines_from_scans(tx, command, scanned) if isinstance(command, PlaceSupplies)
             else command.lines)
    if not lines:
        raise ValidationError("Scan at least one supply.")
    return [_record_usage(ctx, tx, shared, line, validate_quantity(line.quantity, limit))
            for line in lines]


def lines_from_scans(tx: Tx, command: PlaceSupplies, quantity: int | None = None
                     ) -> list[PlaceLine]:
    """The one translation of raw scans into lines: parsed, assembled (a GTIN followed by its
    lot label is one line) and matched to the catalog."""
    lines = []
    for scan in _assembled_scans(command.scans):
        product = resolve_product(tx, scan)
        lines.append(PlaceLine(item_id=product.item.id, lot_number=product.lot_number,
                               expiry=scan.expiry, quantity=quantity or 1,
                               override_reason=command.override_reason))
    return lines


@dataclass(frozen=True)
class _Shared:
    """What every line of one placement shares."""

    staff: Staff
    patient: Patient
    appliance_type: ApplianceType
    notes: str | None
    record_id: str | None
    plan_id: str | None


def _appliance_for(ctx: ServiceContext, tx: Tx, patient: Patient, appliance_type: ApplianceType,
                   command: Placement) -> tuple[str | None, str | None]:
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


def _record_usage(ctx: ServiceContext, tx: Tx, shared: _Shared, line: PlaceLine,
                  quantity: int) -> Usage:
    item = tx.item(line.item_id)
    if item is None or not item.active:
        raise NotFound(f"Item {line.item_id} is not in the catalog; search the item by name "
                       "instead.")
    lot = tx.lot_by_number(item.id, line.lot_number) if line.lot_number else None
    checked = lot or (Lot(id="", item_id=item.id, lot_number=line.lot_number,
                          expiration_date=line.expiry) if line.lot_number else None)
    label_expiry = bool(lot and line.label_expiry and line.expiry
                        and line.expiry != lot.expiration_date)
    if lot is not None and label_expiry:
        checked = _flag_label_expiry(tx, lot, line.expiry)
    approver = _approver(tx, shared.staff, line.override_by)
    expired_override = None
    if checked is not None:
        check_lot_usable(checked, ctx.today(), approver.role, line.override_reason)
        if is_expired(checked, ctx.today()):
            expired_override = (line.override_reason or "").strip()
    now = ctx.now()
    identity = tx.identity()
    usage = Usage(
        id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
        kiosk_seq=tx.next_kiosk_seq(), patient_id=shared.patient.id,
        appliance_type=shared.appliance_type, inventory_item_id=item.id,
        quantity=quantity, used_by=shared.staff.id, usage_date=now, created_at=now,
        cost_category=COST_CATEGORY_OF[item.category],
        appliance_record_id=shared.record_id, treatment_plan_id=shared.plan_id,
        lot_number=lot.lot_number if lot else line.lot_number,
        lot_id=lot.id if lot else None,
        expiration_date=line.expiry if label_expiry or not lot else lot.expiration_date,
        unit_cost=frozen_unit_cost(item, lot), notes=shared.notes,
        override_reason=expired_override,
        override_by=approver.id if expired_override and approver is not shared.staff else None,
    )
    tx.add_usage(usage)
    tx.enqueue(usage_event(usage))
    tx.change_stock(item.id, usage.lot_id, -quantity)
    return usage


def _approver(tx: Tx, staff: Staff, override_by: str | None) -> Staff:
    """Who answers for an override: the user, or the manager who badged in at the chair."""
    if not override_by or override_by == staff.id:
        return staff
    approver = tx.staff_by_id(override_by)
    if approver is None:
        raise NotFound("The manager who approved the override is not known here; have a "
                       "manager approve it again with badge and PIN.")
    return approver


LABEL_EXPIRY_FLAG = ("Label says expiry {label:%Y-%m-%d}, catalog says {catalog}: check the box "
                     "and correct the lot's expiry.")


def _flag_label_expiry(tx: Tx, lot: Lot, label: date | None) -> Lot:
    """A label contradicted this lot's catalog expiry and was used anyway: note it on the lot
    for the inventory manager; the earlier of the two dates decides whether it is expired."""
    if label is None:
        return lot
    if lot.status is LotStatus.ACTIVE:
        catalog = f"{lot.expiration_date:%Y-%m-%d}" if lot.expiration_date else "none"
        lot.recall_notice = LABEL_EXPIRY_FLAG.format(label=label, catalog=catalog)
        tx.save_lot(lot)
    earlier = min(label, lot.expiration_date) if lot.expiration_date else label
    return replace(lot, expiration_date=earlier)


def _clean_notes(notes: str | None) -> str | None:
    """Notes are free text stored as a value, never interpreted (so `$`-operators are inert)."""
    text = (notes or "").strip()
    if len(text) > MAX_NOTES:
        raise ValidationError(f"The notes are longer than {MAX_NOTES} characters.")
    if any(ord(c) < 32 and c not in "\t\n" for c in text):
        raise ValidationError("The notes contain control characters; type plain text.")
    return text or None
