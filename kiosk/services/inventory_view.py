"""What the inventory screen shows: items found by SKU, name or scan, and one item in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kiosk.domain.barcodes import ScanKind, parse_scan
from kiosk.domain.errors import ValidationError
from kiosk.domain.model import Item, Lot
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import StockLevel, is_expired, is_expiring_soon, stock_level
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader, find_item, resolve_product

MAX_RESULTS = 200


@dataclass(frozen=True)
class ItemRow:
    sku: str
    name: str
    on_hand: int
    reorder_point: int
    level: StockLevel


@dataclass(frozen=True)
class LotRow:
    lot_number: str
    expiry: date | None
    status: str  # ACTIVE, QUARANTINED, RECALLED
    on_hand: int
    vendor: str
    note: str  # why it was quarantined, released or recalled
    expired: bool
    expiring_soon: bool


@dataclass(frozen=True)
class VendorRow:
    name: str
    vendor_sku: str
    unit_cost: Decimal
    preferred: bool


@dataclass(frozen=True)
class ItemDetail:
    sku: str
    name: str
    category: str
    unit_of_measure: str
    gtins: tuple[str, ...]
    on_hand: int
    reorder_point: int
    reorder_quantity: int
    level: StockLevel
    lots: tuple[LotRow, ...]
    vendors: tuple[VendorRow, ...]


def _row(item: Item) -> ItemRow:
    return ItemRow(item.sku, item.name, item.quantity_on_hand, item.reorder_point,
                   stock_level(item.quantity_on_hand, item.reorder_point))


def search_items(ctx: ServiceContext, actor: str | None, text: str) -> list[ItemRow]:
    """Items whose SKU, name or GTIN contains ``text`` (case-insensitive), or the item a
    product barcode names; all items for an empty search. At most MAX_RESULTS, by SKU."""
    query = (text or "").strip()
    scan = parse_scan(query) if query else None
    is_barcode = scan is not None and scan.has_product and scan.kind is not ScanKind.UNKNOWN
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        if is_barcode and scan is not None:
            if scan.error:
                raise ValidationError(scan.error)
            return [_row(resolve_product(tx, scan).item)]
        needle = query.casefold()
        found = [item for item in tx.all_items()
                 if not needle or needle in item.sku.casefold() or needle in item.name.casefold()
                 or any(needle in g for g in item.gtins)]
    return [_row(item) for item in sorted(found, key=lambda i: i.sku)[:MAX_RESULTS]]


def item_detail(ctx: ServiceContext, actor: str | None, sku: str) -> ItemDetail:
    """One item with its lots (soonest expiry first), stock, reorder point and vendor costs."""
    today = ctx.today()
    window = ctx.settings.expiry_window_days
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        item = find_item(tx, sku)
        names = {}
        for vendor_id in {o.vendor_id for o in item.offers} | {
                lot.vendor_id for lot in tx.lots_for_item(item.id) if lot.vendor_id}:
            vendor = tx.vendor_by_id(vendor_id)
            names[vendor_id] = vendor.name if vendor else vendor_id
        lots = sorted(tx.lots_for_item(item.id), key=_expiry_order)
    return ItemDetail(
        sku=item.sku, name=item.name, category=item.category.value,
        unit_of_measure=item.unit_of_measure, gtins=item.gtins, on_hand=item.quantity_on_hand,
        reorder_point=item.reorder_point, reorder_quantity=item.reorder_quantity,
        level=stock_level(item.quantity_on_hand, item.reorder_point),
        lots=tuple(LotRow(lot.lot_number, lot.expiration_date, lot.status.value,
                          lot.quantity_on_hand, names.get(lot.vendor_id or "", ""),
                          lot.recall_notice or "", is_expired(lot, today),
                          is_expiring_soon(lot, today, window)) for lot in lots),
        vendors=tuple(VendorRow(names.get(o.vendor_id, o.vendor_id), o.vendor_sku, o.unit_cost,
                                o.is_preferred)
                      for o in sorted(item.offers, key=lambda o: (not o.is_preferred,
                                                                  o.unit_cost))))


def _expiry_order(lot: Lot) -> tuple[bool, date, str]:
    return (lot.expiration_date is None, lot.expiration_date or date.max, lot.lot_number)
