"""The receive-stock form's two steps: what a vendor's scan says, and saving one box.

``draft_from_scan`` turns a scan (GS1 or HIBCC) into a draft the person confirms: the item, the
lot and expiry the label carries (or the catalog's, for a known lot), and the item's vendor
offers. ``receive_box`` checks what the person confirmed or typed (lot, expiry, quantity,
vendor, unit cost) and receives it as a typed ``receiving.ReceiveStock`` command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kiosk.domain.barcodes import HibccCode, ScanKind
from kiosk.domain.errors import ExpiryMismatch, LotBlocked, ValidationError
from kiosk.domain.model import Adjustment, LotStatus
from kiosk.domain.money import parse_money
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import MAX_ADJUST_QUANTITY, validate_quantity
from kiosk.services.chairside import item_code
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize, find_item, parse_product_scan, resolve_product
from kiosk.services.receiving import ReceiveStock, clean_lot_number, receive


@dataclass(frozen=True)
class VendorChoice:
    name: str
    unit_cost: Decimal
    preferred: bool


@dataclass(frozen=True)
class ReceiptDraft:
    """One scanned box, before the person confirms it."""

    raw: str
    item_id: str
    sku: str
    item_name: str
    gtin: str | None
    hibcc: HibccCode | None
    lot: str | None
    expiry: date | None
    known_lot: bool  # the lot is already in the catalog (its expiry then cannot change)
    quantity: int | None  # a count the barcode carries (GS1 AI 30, HIBCC $$8/$$9), if any
    vendors: tuple[VendorChoice, ...]
    lot_vendor: str | None  # the vendor the known lot came from

    @property
    def default_vendor(self) -> VendorChoice | None:
        named = [v for v in self.vendors if v.name == self.lot_vendor]
        preferred = [v for v in self.vendors if v.preferred]
        return next(iter(named or preferred or self.vendors), None)


def draft_from_scan(ctx: ServiceContext, actor: str, raw: str) -> ReceiptDraft:
    """The draft of a scanned box, or one sentence: not a product, not in the catalog, a
    recalled lot, or a label that disagrees with the catalog's expiry."""
    scan = parse_product_scan(raw)
    if scan.kind in (ScanKind.STAFF, ScanKind.PATIENT):
        raise ValidationError("That is a staff or patient code, not a supply; scan the box's "
                              "barcode.")
    if not scan.has_product:
        raise ValidationError("That label carries no product code; scan the product barcode "
                              "(GS1 or HIBCC) first.")
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.INVENTORY_RECEIVE)
        try:
            product = resolve_product(tx, scan)
        except ExpiryMismatch as error:
            raise ValidationError(
                f"{str(error).split(';')[0]}; set the box aside and check the expiry with the "
                "vendor before receiving it.") from None
        lot = product.lot
        if lot is not None and lot.status is LotStatus.RECALLED:
            raise LotBlocked(f"Lot {lot.lot_number} of {product.item.sku} is recalled; do not "
                             "receive it into stock.")
        vendors = []
        for offer in product.item.offers:
            vendor = tx.vendor_by_id(offer.vendor_id)
            if vendor is not None:
                vendors.append(VendorChoice(vendor.name, offer.unit_cost, offer.is_preferred))
        lot_vendor = tx.vendor_by_id(lot.vendor_id) if lot and lot.vendor_id else None
    item = product.item
    return ReceiptDraft(
        raw=raw, item_id=item.id, sku=item.sku, item_name=item.name,
        gtin=scan.gtin or _first(item.gtins),
        hibcc=scan.hibcc, lot=lot.lot_number if lot else scan.lot,
        expiry=(lot.expiration_date if lot else None) or scan.expiry, known_lot=lot is not None,
        quantity=scan.quantity, vendors=tuple(vendors),
        lot_vendor=lot_vendor.name if lot_vendor else None)


def draft_for_item(ctx: ServiceContext, actor: str, sku: str) -> ReceiptDraft:
    """The draft of a box found by name (its barcode unreadable or not in the catalog): the
    item's own catalog code stands for the scan; the lot and expiry are typed."""
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.INVENTORY_RECEIVE)
        item = find_item(tx, sku)
    code = item_code(item)
    if not code:
        raise ValidationError(f"{item.sku} has no GTIN or HIBCC code, so no lot label can be "
                              "printed for it; add one in the catalog first.")
    return draft_from_scan(ctx, actor, code)


def _first(values: tuple[str, ...]) -> str | None:
    return values[0] if values else None


def parse_expiry(text: str, today: date) -> date | None:
    """An expiry typed as YYYY-MM-DD ("" for none); never one already past."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        expiry = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"The expiry {text[:20]!r} is not a date; type it as "
                              "YYYY-MM-DD.") from None
    if expiry < today:
        raise ValidationError(f"The expiry {expiry:%Y-%m-%d} is already past; do not receive "
                              "expired stock.")
    return expiry


@dataclass(frozen=True)
class BoxEntry:
    """What the person confirmed for one box, as typed."""

    lot: str
    expiry: str  # YYYY-MM-DD or ""
    quantity: str
    vendor: str  # a vendor name, or "" when the item has no offers
    unit_cost: str  # "" for none


def check_entry(ctx: ServiceContext, draft: ReceiptDraft, entry: BoxEntry) -> ReceiveStock:
    """The box to receive, or the first problem as a sentence. Pure: the form calls it before
    saving, so an invalid form is never saved. The lot is kept as typed: a lot number no
    barcode could carry is still received (its label then says why it cannot be printed)."""
    lot = clean_lot_number(entry.lot)
    expiry = parse_expiry(entry.expiry, ctx.today())
    quantity = validate_quantity(entry.quantity, MAX_ADJUST_QUANTITY)
    cost = parse_money(entry.unit_cost) if (entry.unit_cost or "").strip() else None
    if entry.vendor and entry.vendor not in {v.name for v in draft.vendors}:
        raise ValidationError(f"{entry.vendor} does not offer {draft.sku}; pick one of its "
                              "vendors.")
    return ReceiveStock(item_id=draft.item_id, lot_number=lot, expiry=expiry,
                        quantity=quantity, unit_cost=cost, vendor=entry.vendor or None)


def receive_box(ctx: ServiceContext, actor: str, draft: ReceiptDraft,
                entry: BoxEntry) -> Adjustment:
    """Receive one confirmed box (needs inventory:receive); returns the receipt."""
    return receive(ctx, actor, check_entry(ctx, draft, entry))
