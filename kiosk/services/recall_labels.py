"""The "RECALLED — do not use" over-label for shelf stock of a recalled lot: stuck over the
lot's own label, it says so in words with the recall number, SKU, item and lot. It carries no
barcode on purpose: a recalled box must not be scanned into use (the chair blocks the lot
anyway), and covering the original label's barcode is the point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.domain.errors import ValidationError
from kiosk.domain.model import LotStatus
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.labels import find_lot, item_of
from kiosk.services.lookup import authorize_reader

HEADLINE = "RECALLED — do not use"


@dataclass(frozen=True)
class RecalledLabel:
    recall_number: str
    sku: str
    item_name: str
    lot: str
    expiry: date | None = None

    headline = HEADLINE


def lot_is_recalled(ctx: ServiceContext, actor: str | None, lot_number: str,
                    sku: str | None = None) -> bool:
    """Whether the lot (of ``sku`` when given) is RECALLED, so its label is the over-label."""
    number = (lot_number or "").strip()
    if not number:
        raise ValidationError("Give the lot number to label.")
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        return find_lot(tx, number, sku).status is LotStatus.RECALLED


def recalled_label(ctx: ServiceContext, actor: str | None, lot_number: str,
                   sku: str | None = None) -> RecalledLabel:
    """The over-label of a RECALLED lot (inventory:read); any other lot is refused."""
    number = (lot_number or "").strip()
    if not number:
        raise ValidationError("Give the lot number to label.")
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        lot = find_lot(tx, number, sku)
        item = item_of(tx, lot)
    if lot.status is not LotStatus.RECALLED:
        raise ValidationError(f"Lot {lot.lot_number} of {item.sku} is {lot.status.value}, not "
                              "RECALLED; mark it recalled first, then print its over-label.")
    return RecalledLabel(lot.recall_notice or "(no recall number recorded)", item.sku,
                         item.name, lot.lot_number, lot.expiration_date)
