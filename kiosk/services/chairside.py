"""Chairside use cases: sign in, the day's patients, a scan resolved into a cart line, place, void.

No Qt and no widgets: each takes plain values and returns plain values (frozen dataclasses),
which the screens receive through ``Task`` signals on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.domain.barcodes import ScanResult, gtin14
from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.domain.errors import (
    ExpiryMismatch,
    KioskError,
    LotBlocked,
    NotFound,
    PermissionDenied,
    ValidationError,
    staff_by_id,
)
from kiosk.domain.model import ApplianceRecord, Item, LotStatus, Patient, Staff, Usage
from kiosk.domain.permissions import Permission, has_permission
from kiosk.domain.rules import check_lot_usable, frozen_unit_cost, is_expired, is_expiring_soon
from kiosk.services.appliance_words import offered_records
from kiosk.services.cart import CartLine
from kiosk.services.context import ServiceContext
from kiosk.services.corrections import void_usage
from kiosk.services.kits import Kit
from kiosk.services.lookup import find_patient, resolve_product, unlisted_lot
from kiosk.services.placement import Placement, bulk_deduct
from kiosk.services.reports import low_stock
from kiosk.services.sign_in import SignInRefused, sign_in


@dataclass(frozen=True)
class PatientDay:
    patient: Patient
    records: tuple[ApplianceRecord, ...]


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    on_hand: int
    reorder_point: int
    level: str  # LOW or OUT


@dataclass(frozen=True)
class StockAlert:
    low: tuple[str, ...]
    out: tuple[str, ...]
    rows: tuple[StockRow, ...] = ()


@dataclass(frozen=True)
class Blocked:
    """A scan that adds no line: ``kind`` is recalled, quarantined, expired, unknown, or
    mismatch (the label's expiry contradicts the catalog's lot)."""

    kind: str
    sentence: str
    scan: ScanResult
    scans: tuple[str, ...]
    sku: str = ""
    name: str = ""
    lot_number: str = ""
    notice: str = ""
    label_expiry: bool = False  # resolved with the label's expiry (kept when resolved again)


@dataclass(frozen=True)
class ItemHit:
    sku: str
    name: str
    category: str


OVERRIDE_PERMISSION = Permission.INVENTORY_ADJUST


def authorize_override(ctx: ServiceContext, badge: str, pin: str) -> Staff:
    """A manager approving a step at the chair with badge and PIN, without signing anyone in
    or out: the staff member, if they may approve (inventory:adjust); else why not."""
    try:  # the sign-in check, wrong PINs counted against the manager as at sign-in
        approver = sign_in(ctx, badge, pin)
    except SignInRefused as refused:
        raise PermissionDenied(f"{refused} The manager can try again, or use another lot."
                               ) from None
    if not has_permission(approver.role, OVERRIDE_PERMISSION):
        raise PermissionDenied(f"{approver.name} may not approve an override; ask a manager "
                               "(inventory:adjust) to badge in, or use another lot.",
                               people=staff_by_id(approver.name, approver.id))
    return approver


def load_day(ctx: ServiceContext) -> list[PatientDay]:
    """Today's patients: those with appliance records a placement may go on (REMOVED ones
    are not offered), by chart number."""
    with ctx.store.read() as tx:
        days = [
            PatientDay(patient, offered_records(tx.appliances_for_patient(patient.id)))
            for patient in tx.all_patients()
        ]
    return sorted((day for day in days if day.records), key=lambda d: d.patient.chart_number)


def load_patient(ctx: ServiceContext, ref: str) -> PatientDay:
    """One patient by scanned chart code, id or chart number, with their records."""
    with ctx.store.read() as tx:
        patient = find_patient(tx, ref)
        return PatientDay(patient, offered_records(tx.appliances_for_patient(patient.id)))


def named_kits(ctx: ServiceContext, kits: Sequence[Kit]) -> list[Kit]:
    """The kits with each line's catalog item name (a SKU not in the catalog keeps none)."""
    skus = {line.sku for kit in kits for line in kit.lines}
    with ctx.store.read() as tx:
        items = {sku: tx.item_by_sku(sku) for sku in skus}
    names = {sku: item.name for sku, item in items.items() if item is not None}
    return [kit.named(names) for kit in kits]


def resolve_line(ctx: ServiceContext, staff: Staff, scan: ScanResult, scans: tuple[str, ...],
                 override_reason: str | None = None, *, approver: Staff | None = None,
                 label_expiry: bool = False) -> CartLine | Blocked:
    """A cart line for one assembled product scan, or why the scan adds none.

    ``approver`` is the manager who approved an override at the chair (``authorize_override``);
    ``label_expiry`` goes on with the label's expiry where it contradicts the catalog's."""
    today = ctx.today()
    with ctx.store.read() as tx:
        try:
            product = resolve_product(tx, scan, label_expiry_ok=label_expiry)
        except NotFound as error:
            return Blocked("unknown", str(error), scan, scans)
        except ExpiryMismatch as error:
            item = resolve_product(tx, scan, label_expiry_ok=True)
            return Blocked("mismatch", str(error), scan, scans, item.item.sku, item.item.name,
                           item.lot_number or "")
        except ValidationError as error:
            return Blocked("invalid", str(error), scan, scans)
    lot = product.lot or unlisted_lot(product)
    flagged = bool(label_expiry and product.lot and scan.expiry
                   and scan.expiry != product.lot.expiration_date)
    if lot is not None and flagged and lot.expiration_date and scan.expiry:
        lot = replace(lot, expiration_date=min(lot.expiration_date, scan.expiry))
    who = approver or staff
    if lot is not None:
        try:
            check_lot_usable(lot, today, who.role, override_reason)
        except LotBlocked as error:
            kind = {LotStatus.RECALLED: "recalled", LotStatus.QUARANTINED: "quarantined"}.get(
                lot.status, "expired" if is_expired(lot, today) else "blocked")
            return Blocked(kind, str(error), scan, scans, product.item.sku, product.item.name,
                           lot.lot_number, lot.recall_notice or "", label_expiry)
    reason = (override_reason or "").strip() if lot and is_expired(lot, today) else None
    approved = approver if reason and approver is not None and approver.id != staff.id else None
    return CartLine(
        item_id=product.item.id, sku=product.item.sku, name=product.item.name,
        category=product.item.category, lot_number=product.lot_number,
        expiry=scan.expiry if flagged else (
            lot.expiration_date if lot and lot.expiration_date else scan.expiry),
        unit_cost=frozen_unit_cost(product.item, product.lot), scans=scans,
        expiring_soon=lot is not None
        and is_expiring_soon(lot, today, ctx.settings.expiry_window_days),
        override_reason=reason or None,
        override_by=approved.id if approved else None,
        override_by_name=approved.name if approved else None,
        label_expiry=flagged,
    )


def search_items(ctx: ServiceContext, text: str, limit: int = 30) -> list[ItemHit]:
    """Active catalog items whose name or SKU contains every word typed."""
    words = text.lower().split()
    with ctx.store.read() as tx:
        items = tx.all_items()
    hits = [item for item in items if item.active and item_code(item)
            and all(w in f"{item.sku} {item.name}".lower() for w in words)]
    hits.sort(key=lambda item: item.name.lower())
    return [ItemHit(i.sku, i.name, i.category.value) for i in hits[:limit]]


def catalog_line(ctx: ServiceContext, sku: str) -> CartLine:
    """A line for an item picked from the catalog by name: no lot, its catalog code as scan."""
    with ctx.store.read() as tx:
        item = tx.item_by_sku(sku)
    if item is None or not item_code(item):
        raise NotFound(f"No item has the SKU {sku!r}.")
    return CartLine(item_id=item.id, sku=item.sku, name=item.name, category=item.category,
                    lot_number=None, expiry=None, unit_cost=frozen_unit_cost(item, None),
                    scans=(item_code(item),))


def item_code(item: Item) -> str:
    """A code the scan parser resolves back to the item: its GTIN, else an HIBCC primary."""
    if item.gtins:
        return gtin14(item.gtins[0])
    if item.hibcc:
        data = f"+{item.hibcc[0]}0"
        return data + mod43_check_char(data)
    return ""


def place(ctx: ServiceContext, staff: Staff, commands: Sequence[Placement]) -> list[Usage]:
    """Every cart line in one transaction: all recorded, or none."""
    return bulk_deduct(ctx, staff.id, commands)


@dataclass(frozen=True)
class PlacedLine:
    """One usage of a placement, as the void sheet lists it."""

    usage_id: str
    sku: str
    name: str
    lot_number: str | None
    quantity: int
    voided: bool


@dataclass(frozen=True)
class PlacedLines:
    patient_name: str
    chart_number: str
    lines: tuple[PlacedLine, ...]

    @property
    def open_lines(self) -> tuple[PlacedLine, ...]:
        return tuple(line for line in self.lines if not line.voided)


def placed_lines(ctx: ServiceContext, usage_ids: Sequence[str]) -> PlacedLines:
    """The patient and the lines of a placement, each with whether it is voided already."""
    with ctx.store.read() as tx:
        usages = [u for u in (tx.usage(i) for i in usage_ids) if u is not None]
        if not usages:
            raise NotFound("The last placement is not on this kiosk; ask a manager for an "
                           "adjustment.")
        patient = tx.patient_by_id(usages[0].patient_id)
        lines = []
        for usage in usages:
            item = tx.item(usage.inventory_item_id)
            lines.append(PlacedLine(usage.id, item.sku if item else usage.inventory_item_id,
                                    item.name if item else "", usage.lot_number,
                                    usage.quantity, tx.void_for(usage.id) is not None))
    return PlacedLines(patient.display_name if patient else "",
                       patient.chart_number if patient else "", tuple(lines))


def void_lines(ctx: ServiceContext, staff: Staff, placement: Sequence[str],
               chosen: Sequence[str], reason: str) -> int:
    """Void the ``chosen`` usages of one placement (one event each); the rest stay."""
    picked = [usage_id for usage_id in placement if usage_id in set(chosen)]
    if len(picked) != len(set(chosen)):
        raise ValidationError("Only lines of the last placement can be voided here; ask a "
                              "manager for an adjustment.")
    if not picked:
        raise ValidationError("Tick at least one line to void.")
    if not (reason or "").strip():
        raise ValidationError("Pick the reason for the void first.")
    return void_placement(ctx, staff, picked, reason)


def void_placement(ctx: ServiceContext, staff: Staff, usage_ids: Sequence[str],
                   reason: str) -> int:
    """Void each usage of a placement (one event each); returns how many were voided."""
    for done, usage_id in enumerate(usage_ids):
        try:
            void_usage(ctx, staff.id, usage_id, reason)
        except KioskError as error:
            if not done:
                raise
            partly = type(error)(f"{error} ({done} of {len(usage_ids)} were voided.)")
            partly.people = error.people
            raise partly from error
    return len(usage_ids)


def stock_alert(ctx: ServiceContext, staff: Staff) -> StockAlert:
    rows = low_stock(ctx, staff.id, central=False).rows  # after every write: never the network
    return StockAlert(
        low=tuple(r["sku"] for r in rows if r["level"] == "LOW"),
        out=tuple(r["sku"] for r in rows if r["level"] == "OUT"),
        rows=tuple(StockRow(r["sku"], r["name"], r["quantityOnHand"], r["reorderPoint"],
                            r["level"]) for r in rows),
    )
