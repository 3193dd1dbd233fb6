"""Chairside use cases: sign in, the day's patients, a scan resolved into a cart line, place, void.

No Qt and no widgets: each takes plain values and returns plain values (frozen dataclasses),
which the screens receive through ``Task`` signals on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.domain.barcodes import ScanResult, gtin14
from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.domain.errors import KioskError, LotBlocked, NotFound
from kiosk.domain.model import ApplianceRecord, Item, LotStatus, Patient, Staff, Usage
from kiosk.domain.rules import check_lot_usable, frozen_unit_cost, is_expired, is_expiring_soon
from kiosk.services.appliance_words import offered_records
from kiosk.services.cart import CartLine
from kiosk.services.context import ServiceContext
from kiosk.services.corrections import void_usage
from kiosk.services.kits import Kit
from kiosk.services.lookup import find_patient, resolve_product, unlisted_lot
from kiosk.services.placement import Placement, bulk_deduct
from kiosk.services.reports import low_stock


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
    """A scan that adds no line: ``kind`` is recalled, quarantined, expired or unknown."""

    kind: str
    sentence: str
    scan: ScanResult
    scans: tuple[str, ...]
    sku: str = ""
    name: str = ""
    lot_number: str = ""
    notice: str = ""


@dataclass(frozen=True)
class ItemHit:
    sku: str
    name: str
    category: str


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
                 override_reason: str | None = None) -> CartLine | Blocked:
    """A cart line for one assembled product scan, or why the scan adds none."""
    today = ctx.today()
    with ctx.store.read() as tx:
        try:
            product = resolve_product(tx, scan)
        except NotFound as error:
            return Blocked("unknown", str(error), scan, scans)
    lot = product.lot or unlisted_lot(product)
    if lot is not None:
        try:
            check_lot_usable(lot, today, staff.role, override_reason)
        except LotBlocked as error:
            kind = {LotStatus.RECALLED: "recalled", LotStatus.QUARANTINED: "quarantined"}.get(
                lot.status, "expired" if is_expired(lot, today) else "blocked")
            return Blocked(kind, str(error), scan, scans, product.item.sku, product.item.name,
                           lot.lot_number, lot.recall_notice or "")
    reason = (override_reason or "").strip() if lot and is_expired(lot, today) else None
    return CartLine(
        item_id=product.item.id, sku=product.item.sku, name=product.item.name,
        category=product.item.category, lot_number=product.lot_number,
        expiry=lot.expiration_date if lot and lot.expiration_date else scan.expiry,
        unit_cost=frozen_unit_cost(product.item, product.lot), scans=scans,
        expiring_soon=lot is not None
        and is_expiring_soon(lot, today, ctx.settings.expiry_window_days),
        override_reason=reason or None,
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


def void_placement(ctx: ServiceContext, staff: Staff, usage_ids: Sequence[str],
                   reason: str) -> int:
    """Void each usage of a placement (one event each); returns how many were voided."""
    for done, usage_id in enumerate(usage_ids):
        try:
            void_usage(ctx, staff.id, usage_id, reason)
        except KioskError as error:
            if not done:
                raise
            raise type(error)(f"{error} ({done} of {len(usage_ids)} were voided.)") from error
    return len(usage_ids)


def stock_alert(ctx: ServiceContext, staff: Staff) -> StockAlert:
    rows = low_stock(ctx, staff.id).rows
    return StockAlert(
        low=tuple(r["sku"] for r in rows if r["level"] == "LOW"),
        out=tuple(r["sku"] for r in rows if r["level"] == "OUT"),
        rows=tuple(StockRow(r["sku"], r["name"], r["quantityOnHand"], r["reorderPoint"],
                            r["level"]) for r in rows),
    )
