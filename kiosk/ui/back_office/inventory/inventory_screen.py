"""Inventory: find items by SKU, name or a scanned barcode; see one item's lots (expiry,
status, on hand), stock, reorder point and vendors with costs. Users with inventory:adjust
also adjust stock with a reason and quarantine or release a lot (central catalog first,
through ``KioskApp.catalog.change_lot_status``). Every load and change runs on the writer thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from kiosk.domain.model import LotStatus
from kiosk.domain.permissions import Permission
from kiosk.services.corrections import adjust_stock
from kiosk.services.inventory_view import ItemDetail, ItemRow, item_detail, search_items
from kiosk.ui.back_office.inventory.inventory_actions import InventoryActions
from kiosk.ui.back_office.inventory.inventory_detail import ItemDetailView
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, named, touch_button, vbox

LEVEL_MARK = {"OK": "", "LOW": " · LOW", "OUT": " · OUT"}
STATUS_DONE = {LotStatus.QUARANTINED: "quarantined", LotStatus.ACTIVE: "released",
               LotStatus.RECALLED: "recalled"}


class InventoryScreen(Section):
    actions: InventoryActions  # type: ignore[assignment]  # hides QWidget.actions(), unused here
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "inventorySection", parent)
        self.rows: list[ItemRow] = []
        self.search_field = line_edit("inventorySearch", "SKU, name or GTIN – or scan the item")
        self.search_field.setMinimumHeight(TOUCH + 8)
        self.search_button = touch_button("Search", "inventorySearchButton")
        self.results = named(QListWidget(), "inventoryResults")
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)  # rewrap on every resize
        # a scroll bar that appears after the wrap would leave the rows too wide for the view
        self.results.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.detail = ItemDetailView()
        self.actions = InventoryActions()
        left = vbox(hbox((self.search_field, 1), self.search_button), (self.results, 1),
                    self.actions)
        self.setLayout(vbox(self.message, (hbox((left, 2), (self.detail, 3)), 1)))
        self.search_field.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.results.currentRowChanged.connect(self._on_pick)
        self.detail.lots.currentCellChanged.connect(
            lambda *_: self.actions.show_lot(self.detail.selected_lot()))
        self.actions.adjust.connect(self.on_adjust)
        self.actions.set_status.connect(self.on_set_status)
        self.loading = 0  # loads and changes still running on the writer thread
        self._done = ""  # the sentence of the change just made

    # lifecycle --------------------------------------------------------------------------------
    def on_start(self) -> None:
        self.actions.setVisible(self.can(Permission.INVENTORY_ADJUST))
        self.say("", "Search an item by SKU or name, or scan it.")
        self.search()

    def on_stop(self) -> None:
        self.rows = []
        self.results.clear()
        self.search_field.clear()
        self.detail.clear()
        self.actions.clear()
        self._done = ""
        self.say("", "")

    def on_scanned(self, text: str) -> None:
        self.search_field.setText(text.strip())
        self.search()

    def _run(self, fn, on_ok, *, changes: bool = False) -> None:
        self.loading += 1

        def ok(result) -> None:
            self.loading -= 1
            if self.staff is not None:
                on_ok(result)

        def failed(sentence: str) -> None:
            self.loading -= 1
            if self.staff is not None:
                self.say("error", sentence)

        self.run(fn, ok, failed, changes=changes)

    # search and show ----------------------------------------------------------------------------
    def search(self) -> None:
        if self.staff is None:
            return
        ctx, actor, text = self.ctx, self.actor, self.search_field.text()
        self._run(lambda: search_items(ctx, actor, text), self.show_results)

    def show_results(self, rows: list[ItemRow]) -> None:
        self.rows = rows
        self.results.blockSignals(True)
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.sku} – {row.name}\n   on hand {row.on_hand}"
                                   f"{LEVEL_MARK[row.level.value]}")
            self.results.addItem(item)
        shown = self.detail.detail.sku if self.detail.detail else None
        for n, row in enumerate(rows):
            if row.sku == shown:
                self.results.setCurrentRow(n)
        self.results.blockSignals(False)
        if not rows:
            self.say("warn", "No item matches; try part of the SKU or name.")
        elif len(rows) == 1:
            self.results.setCurrentRow(0)
            if rows[0].sku != shown:
                self._on_pick(0)
        elif self._done:
            pass
        else:
            self.say("", f"{len(rows)} items; tap one to see its lots and vendors.")

    def _on_pick(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.open_item(self.rows[row].sku)

    def open_item(self, sku: str) -> None:
        ctx, actor = self.ctx, self.actor
        self._run(lambda: item_detail(ctx, actor, sku), self.show_detail)

    def show_detail(self, detail: ItemDetail) -> None:
        self.detail.show_detail(detail)
        self.actions.show_item(detail)
        self.actions.show_lot(self.detail.selected_lot())
        done, self._done = self._done, ""
        if done:
            self.say("ok", done)
        else:
            self.say("", f"{detail.sku}: {len(detail.lots)} lot(s), {detail.on_hand} on hand.")

    # changes ------------------------------------------------------------------------------------
    def on_adjust(self, lot_number: str, delta: str, reason: str) -> None:
        detail = self.detail.detail
        if detail is None or self.staff is None:
            return
        ctx, actor, sku = self.ctx, self.actor, detail.sku
        self._run(lambda: adjust_stock(ctx, actor, sku, lot_number=lot_number or None,
                                       delta=delta, reason=reason),
                  lambda adjustment: self._changed(
                      sku, f"Adjusted {sku}{f' lot {lot_number}' if lot_number else ''} by "
                           f"{adjustment.quantity_delta:+d} ({adjustment.reason})."),
                  changes=True)

    def on_set_status(self, lot_number: str, status: LotStatus, reason: str) -> None:
        detail = self.detail.detail
        if detail is None or self.staff is None:
            return
        kiosk, actor, sku = self.kiosk, self.actor, detail.sku
        self._run(lambda: kiosk.catalog.change_lot_status(actor, sku, lot_number, status,
                                                      reason),
                  lambda lot: self._changed(sku, f"Lot {lot.lot_number} of {sku} "
                                                 f"{STATUS_DONE[lot.status]}."),
                  changes=True)

    def _changed(self, sku: str, sentence: str) -> None:
        self.actions.done()
        self.say("ok", sentence)
        self._done = sentence  # said again once the item is shown afresh
        self.search()
        self.open_item(sku)
