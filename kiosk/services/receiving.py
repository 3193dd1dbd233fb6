"""Receive stock into a lot from the vendor's barcode."""

from __future__ import annotations

from dataclasses import replace
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


def receive_stock(ctx: ServiceContext, actor: str, scan_text: str, quantity: object, *,
                  unit_cost: object | None = None, vendor: str | None = None) -> Adjustment:
    """Add received units to the scanned lot, creating the lot the first time it is seen."""
    quantity = validate_quantity(quantity, MAX_ADJUST_QUANTITY)
    cost = parse_money(unit_cost) if unit_cost not in (None, "") else None
    scan = parse_product_scan(scan_text)
    if not scan.lot:
        raise ValidationError("The barcode carries no lot number; scan the label with the lot.")
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.INVENTORY_RECEIVE)
        product = resolve_product(tx, scan)
        vendor_id = _vendor_id(tx, product.item.preferred_offer(), vendor)
        lot = product.lot or Lot(
            id=new_object_id(), item_id=product.item.id, lot_number=scan.lot,
            expiration_date=scan.expiry, vendor_id=vendor_id, unit_cost=cost,
        )
        if lot.status is LotStatus.RECALLED:
            raise LotBlocked(f"Lot {lot.lot_number} is recalled; do not receive it into stock.")
        if product.lot is None or _fills_gaps(lot, cost):
            lot = replace(lot, unit_cost=lot.unit_cost or cost,
                          expiration_date=lot.expiration_date or scan.expiry)
            tx.save_lot(lot)
        identity = tx.identity()
        adjustment = Adjustment(
            id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
            kiosk_seq=tx.next_kiosk_seq(), kind=AdjustmentKind.RECEIPT,
            inventory_item_id=product.item.id, quantity_delta=quantity,
            reason=f"Received from {vendor or 'vendor'}", actor_id=staff.id,
            created_at=ctx.now(), lot_id=lot.id, lot_number=lot.lot_number, unit_cost=cost,
        )
        tx.add_adjustment(adjustment)
        tx.enqueue(adjustment_event(adjustment, lot))
        tx.change_stock(product.item.id, lot.id, quantity)
        return adjustment


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
