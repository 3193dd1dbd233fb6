"""Receive stock into a lot: a typed ``ReceiveStock`` command, or a vendor's barcode."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kiosk.domain.errors import LotBlocked, NotFound, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import Adjustment, AdjustmentKind, Lot, LotStatus, VendorOffer
from kiosk.domain.money import parse_money
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import MAX_ADJUST_QUANTITY, validate_quantity
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize, parse_product_scan, resolve_product
from kiosk.services.payloads import adjustment_event
from kiosk.services.ports import Tx

MAX_LOT_CHARS = 20  # GS1 AI (10) carries at most 20; no vendor prints a longer one


@dataclass(frozen=True)
class ReceiveStock:
    """One box received into a lot, as confirmed at the edge (a scanned label or the receive
    form): the lot number is kept as given, whether or not a barcode could carry it."""

    item_id: str
    lot_number: str
    expiry: date | None
    quantity: int
    unit_cost: Decimal | None = None
    vendor: str | None = None  # a vendor name; None for the item's preferred vendor


def receive(ctx: ServiceContext, actor: str, command: ReceiveStock) -> Adjustment:
    """Add received units to the lot, creating the lot the first time it is seen; re-checks
    state (the item, a recalled lot, an expiry that disagrees with the catalog's)."""
    quantity = validate_quantity(command.quantity, MAX_ADJUST_QUANTITY)
    lot_number = clean_lot_number(command.lot_number)
    cost = command.unit_cost
    vendor = (command.vendor or "").strip() or None
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.INVENTORY_RECEIVE)
        item = tx.item(command.item_id)
        if item is None:
            raise NotFound(f"Item {command.item_id} is not in the catalog.")
        known = tx.lot_by_number(item.id, lot_number)
        expiry = command.expiry
        if known and expiry and known.expiration_date and expiry != known.expiration_date:
            raise ValidationError(
                f"The label says lot {known.lot_number} expires {expiry:%Y-%m-%d} but the "
                f"catalog says {known.expiration_date:%Y-%m-%d}; set the box aside and tell "
                "the inventory manager.")
        vendor_id = _vendor_id(tx, item.preferred_offer(), vendor)
        lot = known or Lot(id=new_object_id(), item_id=item.id, lot_number=lot_number,
                           expiration_date=expiry, vendor_id=vendor_id, unit_cost=cost)
        if lot.status is LotStatus.RECALLED:
            raise LotBlocked(f"Lot {lot.lot_number} is recalled; do not receive it into stock.")
        if known is None or _fills_gaps(lot, cost):
            lot = replace(lot, unit_cost=lot.unit_cost or cost,
                          expiration_date=lot.expiration_date or expiry)
            tx.save_lot(lot)
        identity = tx.identity()
        adjustment = Adjustment(
            id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
            kiosk_seq=tx.next_kiosk_seq(), kind=AdjustmentKind.RECEIPT,
            inventory_item_id=item.id, quantity_delta=quantity,
            reason=f"Received from {vendor or 'vendor'}", actor_id=staff.id,
            created_at=ctx.now(), lot_id=lot.id, lot_number=lot.lot_number, unit_cost=cost,
        )
        tx.add_adjustment(adjustment)
        tx.enqueue(adjustment_event(adjustment, lot))
        tx.change_stock(item.id, lot.id, quantity)
        return adjustment


def receive_stock(ctx: ServiceContext, actor: str, scan_text: str, quantity: object, *,
                  unit_cost: object | None = None, vendor: str | None = None) -> Adjustment:
    """The edge form (`kiosk receive --scan`): the vendor's barcode, parsed and matched once,
    then received as a ``ReceiveStock``."""
    count = validate_quantity(quantity, MAX_ADJUST_QUANTITY)
    cost = parse_money(unit_cost) if unit_cost not in (None, "") else None
    scan = parse_product_scan(scan_text)
    if not scan.lot:
        raise ValidationError("The barcode carries no lot number; scan the label with the lot.")
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.INVENTORY_RECEIVE)
        product = resolve_product(tx, scan)
    return receive(ctx, actor, ReceiveStock(
        item_id=product.item.id, lot_number=product.lot_number or scan.lot,
        expiry=scan.expiry, quantity=count, unit_cost=cost, vendor=vendor))


def clean_lot_number(text: str) -> str:
    """The lot number as printed: trimmed, 1-20 printable characters."""
    lot = (text or "").strip()
    if not lot:
        raise ValidationError("Type the lot number printed on the box.")
    if len(lot) > MAX_LOT_CHARS:
        raise ValidationError(f"The lot number is longer than {MAX_LOT_CHARS} characters; "
                              "type it as printed on the box.")
    if not lot.isprintable():
        raise ValidationError("The lot number contains control characters; type it as "
                              "printed on the box.")
    return lot


def _fills_gaps(lot: Lot, cost: Decimal | None) -> bool:
    """Only empty fields of a known lot are filled; known values are never overwritten."""
    return lot.unit_cost is None and cost is not None


def _vendor_id(tx: Tx, preferred: VendorOffer | None, vendor_name: str | None) -> str | None:
    if vendor_name:
        vendor = tx.vendor_by_name(vendor_name.strip())
        if vendor is None:
            raise NotFound(f"No vendor is named {vendor_name!r}.")
        return vendor.id
    return preferred.vendor_id if preferred else None
