"""Lot labels: what a printed lot label carries, and its GS1 element string."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from kiosk.domain.errors import NotFound, ValidationError
from kiosk.domain.model import AdjustmentKind, Item, Lot
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader, find_item
from kiosk.services.ports import Tx

MAX_COPIES = 300
# GS1 AI (10) takes 1-20 characters of GS1's set 82; parentheses are left out because they
# delimit the element string's bracketed form.
GS1_LOT = re.compile(r"[!\"%&'*+,\-./0-9:;<=>?A-Z_a-z]{1,20}")


@dataclass(frozen=True)
class LabelData:
    item_name: str
    sku: str
    gtin: str
    lot: str
    expiry: date | None
    vendor: str | None
    received: date | None
    unit_of_measure: str = "EACH"

    @property
    def gs1_hri(self) -> str:
        """The GS1 element string in bracketed form: (01) GTIN, (17) expiry, (10) lot.

        The lot is last, being the only variable-length field, so no separator is needed."""
        expiry = f"(17){self.expiry:%y%m%d}" if self.expiry else ""
        return f"(01){self.gtin}{expiry}(10){self.lot}"

    @property
    def gs1_plain(self) -> str:
        """The same element string without brackets, as a scanner transmits it after ]d2/]C1."""
        return self.gs1_hri.replace("(", "").replace(")", "")


def lot_label(ctx: ServiceContext, actor: str | None, lot_number: str,
              sku: str | None = None) -> LabelData:
    """The label of one lot; ``sku`` picks the item when the lot number is not unique."""
    number = (lot_number or "").strip()
    if not number:
        raise ValidationError("Give the lot number to label.")
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        lot = find_lot(tx, number, sku)
        item = item_of(tx, lot)
        if not item.gtins:
            raise ValidationError(f"Item {item.sku} has no GTIN, so its lot cannot get a GS1 "
                                  "label; add the GTIN to the catalog first.")
        if not GS1_LOT.fullmatch(lot.lot_number):
            raise ValidationError(f"Lot {lot.lot_number!r} cannot go into a GS1 barcode (1-20 "
                                  "letters, digits and GS1 punctuation, no spaces).")
        vendor = tx.vendor_by_id(lot.vendor_id) if lot.vendor_id else None
        return LabelData(item_name=item.name, sku=item.sku, gtin=item.gtins[0],
                         lot=lot.lot_number, expiry=lot.expiration_date,
                         vendor=vendor.name if vendor else None,
                         received=_received(tx, lot, ctx), unit_of_measure=item.unit_of_measure)


def find_lot(tx: Tx, number: str, sku: str | None) -> Lot:
    if sku:
        item = find_item(tx, sku)
        lot = tx.lot_by_number(item.id, number)
        if lot is None:
            raise NotFound(f"Item {item.sku} has no lot {number!r}.")
        return lot
    lots = tx.lots_numbered(number)
    if not lots:
        raise NotFound(f"No lot has the number {number!r}.")
    if len(lots) > 1:
        skus = ", ".join(sorted(item_of(tx, x).sku for x in lots))
        raise ValidationError(f"Lot {number} exists for several items ({skus}); say which "
                              "with --item SKU.")
    return lots[0]


def item_of(tx: Tx, lot: Lot) -> Item:
    item = tx.item(lot.item_id)
    if item is None:  # the catalog keeps every lot's item; say so plainly if it did not
        raise NotFound(f"Lot {lot.lot_number!r} belongs to no item in the catalog.")
    return item


def _received(tx: Tx, lot: Lot, ctx: ServiceContext) -> date | None:
    """The date of the lot's first receipt at this kiosk, when one was recorded here."""
    times = [a.created_at for a in tx.adjustments()
             if a.kind is AdjustmentKind.RECEIPT and (a.lot_id == lot.id or (
                 a.inventory_item_id == lot.item_id and a.lot_number == lot.lot_number))]
    if not times:
        return None
    return min(times).astimezone(ZoneInfo(ctx.settings.timezone)).date()
