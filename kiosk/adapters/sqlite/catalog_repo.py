"""Catalog cache: vendors, items (with offers and barcodes), lots, and local stock."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select, tuple_, update

from kiosk.adapters.sqlite import mapping as m
from kiosk.adapters.sqlite.orm import ItemCodeRow, ItemRow, LotRow, VendorOfferRow, VendorRow
from kiosk.adapters.sqlite.repo_base import RepoBase, chunks, table
from kiosk.domain.errors import NotFound, ValidationError
from kiosk.domain.model import Item, Lot, Vendor
from kiosk.services.ports import ItemLabel

_Known = TypeVar("_Known", Item, Lot, None)


def _copy(known: _Known) -> _Known:
    """A copy of a cached item or lot, so a caller changing it cannot change the cache."""
    if known is None:
        return None
    clone = copy.copy(known)  # a field-for-field copy, without re-running __init__
    if isinstance(clone, Item):
        clone.offers = list(clone.offers)
    return clone


_LOT_ORDER = (LotRow.expiration_date.is_(None), LotRow.expiration_date, LotRow.lot_number)

# The Core statements of look-ups by key and stock changes (values are bound when run).
_items, _codes, _offers, _lots = (table(ItemRow), table(ItemCodeRow), table(VendorOfferRow),
                                  table(LotRow))
_ITEM_BY_ID = select(_items).where(_items.c.id == bindparam("item"))
_ITEM_BY_SKU = select(_items).where(_items.c.sku == bindparam("sku"))
_ITEM_BY_CODE = (
    select(_items)
    .join(_codes, _codes.c.item_id == _items.c.id)
    .where(_codes.c.kind == bindparam("kind"), _codes.c.code == bindparam("code"))
)
_CODES_OF = (select(_codes).where(_codes.c.item_id == bindparam("item"))
             .order_by(_codes.c.position))
_OFFERS_OF = (select(_offers).where(_offers.c.item_id == bindparam("item"))
              .order_by(_offers.c.position))
_LOT_BY_NUMBER = select(_lots).where(_lots.c.item_id == bindparam("item"),
                                     _lots.c.lot_number == bindparam("number"))
# Stock is added in SQL, never read-modified-written.
_LOT_STOCK = (
    update(_lots)
    .where(_lots.c.id == bindparam("lot"), _lots.c.item_id == bindparam("item"))
    .values(quantity_on_hand=_lots.c.quantity_on_hand + bindparam("delta"))
)
_ITEM_STOCK = (
    update(_items)
    .where(_items.c.id == bindparam("item"))
    .values(quantity_on_hand=_items.c.quantity_on_hand + bindparam("delta"))
)


class CatalogRepo(RepoBase):
    # vendors
    def vendor_by_id(self, vendor_id: str) -> Vendor | None:
        with self._guard("read a vendor"):
            row = self._session.get(VendorRow, vendor_id)
        return m.vendor_to_domain(row) if row else None

    def vendor_by_name(self, name: str) -> Vendor | None:
        stmt = (
            select(VendorRow)
            .where(VendorRow.name_key == m.name_key(name))
            .order_by(VendorRow.id)
            .limit(1)
        )
        with self._guard("look up a vendor by name"):
            row = self._session.scalar(stmt)
        return m.vendor_to_domain(row) if row else None

    def save_vendor(self, vendor: Vendor) -> None:
        self._upsert(m.vendor_from_domain(vendor), f"save vendor {vendor.name}")

    # items
    def item(self, item_id: str) -> Item | None:
        return self._item_where(("item", item_id), "read an item", _ITEM_BY_ID, item=item_id)

    def item_by_sku(self, sku: str) -> Item | None:
        return self._item_where(("item_by_sku", sku), "look up an item by SKU", _ITEM_BY_SKU,
                                sku=sku)

    def item_by_gtin(self, gtin14: str) -> Item | None:
        return self._item_by_code(m.GTIN, gtin14)

    def item_by_hibcc(self, key: str) -> Item | None:
        return self._item_by_code(m.HIBCC, key)

    def _item_by_code(self, kind: str, code: str) -> Item | None:
        return self._item_where(("item_by_code", kind, code),
                                f"look up an item by {kind.upper()}", _ITEM_BY_CODE,
                                kind=kind, code=code)

    def _item_where(self, key: tuple, action: str, statement: Select[Any],
                    **params: str) -> Item | None:
        """One item with its codes and offers (three Core SELECTs), remembered for the
        transaction."""
        if key in self._memo:
            return _copy(self._memo[key])
        with self._guard(action):
            row = self._execute(statement, params).first()
            if row is None:
                return None
            codes = self._execute(_CODES_OF, {"item": row.id}).all()
            offers = self._execute(_OFFERS_OF, {"item": row.id}).all()
        item = m.item_to_domain(row, codes, offers)
        self._memo[key] = self._memo[("item", item.id)] = item  # found by a code, then by id
        return _copy(item)

    def item_labels(self, item_ids: Iterable[str]) -> dict[str, ItemLabel]:
        labels: dict[str, ItemLabel] = {}
        with self._guard("read item names"):
            for chunk in chunks(item_ids):
                rows = self._execute(select(_items.c.id, _items.c.sku, _items.c.name)
                                     .where(_items.c.id.in_(chunk)))
                labels |= {row.id: ItemLabel(row.sku, row.name) for row in rows}
        return labels

    def all_items(self) -> list[Item]:
        with self._guard("read the item list"):
            rows = self._session.scalars(select(ItemRow).order_by(ItemRow.sku))
            return [m.item_to_domain(r, r.codes, r.offers) for r in rows]

    def save_item(self, item: Item) -> None:
        """Insert or replace the item; its offers and barcodes are replaced as a whole."""
        action = f"save item {item.sku}"
        self._require_write(action)
        self._refuse_codes_of_other_items(item, action)
        self._upsert(m.item_from_domain(item), action)

    def _refuse_codes_of_other_items(self, item: Item, action: str) -> None:
        # Without this the merge would quietly move a barcode from one item to another.
        codes = m.item_codes(item)
        if not codes:
            return
        stmt = (
            select(ItemCodeRow.code, ItemRow.sku)
            .join(ItemRow, ItemRow.id == ItemCodeRow.item_id)
            .where(tuple_(ItemCodeRow.kind, ItemCodeRow.code).in_(codes))
            .where(ItemCodeRow.item_id != item.id)
            .limit(1)
        )
        with self._guard(action):
            clash = self._session.execute(stmt).first()
        if clash is not None:
            raise ValidationError(
                f"Could not {action}: barcode {clash.code} already belongs to item {clash.sku}."
            )

    # lots
    def lot(self, lot_id: str) -> Lot | None:
        with self._guard("read a lot"):
            row = self._session.get(LotRow, lot_id)
        return m.lot_to_domain(row) if row else None

    def lot_by_number(self, item_id: str, lot_number: str) -> Lot | None:
        key = ("lot_by_number", item_id, lot_number)
        if key in self._memo:
            return _copy(self._memo[key])
        with self._guard("look up a lot"):
            row = self._execute(_LOT_BY_NUMBER, {"item": item_id, "number": lot_number}).first()
        self._memo[key] = m.lot_to_domain(row) if row else None
        return _copy(self._memo[key])

    def lots_for_item(self, item_id: str) -> list[Lot]:
        stmt = select(LotRow).where(LotRow.item_id == item_id).order_by(*_LOT_ORDER)
        with self._guard("read the lots of an item"):
            return [m.lot_to_domain(r) for r in self._session.scalars(stmt)]

    def lots_numbered(self, lot_number: str) -> list[Lot]:
        stmt = (
            select(LotRow)
            .where(LotRow.lot_number == lot_number)
            .order_by(LotRow.item_id, LotRow.id)
        )
        with self._guard("look up a lot number"):
            return [m.lot_to_domain(r) for r in self._session.scalars(stmt)]

    def save_lot(self, lot: Lot) -> None:
        self._upsert(m.lot_from_domain(lot), f"save lot {lot.lot_number}")

    # stock
    def change_stock(self, item_id: str, lot_id: str | None, delta: int) -> None:
        """Add ``delta`` in SQL (never read-modify-write) to the item and, if given, the lot."""
        action = "change the stock on hand"
        self._require_write(action)
        with self._guard(action):
            # The lot first: if it is missing nothing has changed yet (it can't exist without
            # its item, the foreign key sees to that).
            if lot_id is not None:
                lots = self._execute(_LOT_STOCK, {"lot": lot_id, "item": item_id, "delta": delta})
                if lots.rowcount != 1:
                    raise NotFound(
                        f"Could not {action}: lot {lot_id} of item {item_id} is not in this kiosk."
                    )
            items = self._execute(_ITEM_STOCK, {"item": item_id, "delta": delta})
            if items.rowcount != 1:
                raise NotFound(f"Could not {action}: item {item_id} is not in this kiosk.")
        # Cached and loaded copies carry the old quantity on hand.
        for known in self._memo.values():  # the memory's own copies, never handed out
            if isinstance(known, (Item, Lot)) and known.id in (item_id, lot_id):
                known.quantity_on_hand += delta
        self._expire(ItemRow, item_id, "quantity_on_hand")
        if lot_id is not None:
            self._expire(LotRow, lot_id, "quantity_on_hand")
