"""One item on the inventory screen: stock and reorder point, its lots (expiry, status, on hand,
vendor, note) and its vendors with their costs. Display only; the screen loads it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.domain.rules import StockLevel
from kiosk.services.inventory_view import ItemDetail, LotRow
from kiosk.ui.common.widgets import TOUCH, message_label, named, set_tone, vbox

LOT_COLUMNS = ("Lot", "Expiry", "Status", "On hand", "Vendor", "Note")
VENDOR_COLUMNS = ("Vendor", "Vendor SKU", "Unit cost", "Preferred")
LEVEL_TONE = {StockLevel.OK: "", StockLevel.LOW: "warn", StockLevel.OUT: "error"}


def _table(name: str, columns: tuple[str, ...], stretch: tuple[int, ...]) -> QTableWidget:
    """A read-only table of touch-high rows; the ``stretch`` columns share the width left
    (their text is elided), the others fit their contents, so nothing scrolls sideways."""
    table = named(QTableWidget(0, len(columns)), name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(TOUCH)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def lot_cells(lot: LotRow) -> tuple[str, ...]:
    expiry = f"{lot.expiry:%Y-%m-%d}" if lot.expiry else "—"
    if lot.expired:
        expiry += " (expired)"
    elif lot.expiring_soon:
        expiry += " (soon)"
    return (lot.lot_number, expiry, lot.status, str(lot.on_hand), lot.vendor, lot.note)


class ItemDetailView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryDetail")
        self.detail: ItemDetail | None = None
        self.header = named(QLabel("Pick an item on the left, or scan it."), "inventoryItemHeader")
        self.header.setWordWrap(True)
        self.stock = message_label("inventoryStock")
        self.lots = _table("inventoryLots", LOT_COLUMNS, (4, 5))
        self.vendors = _table("inventoryVendors", VENDOR_COLUMNS, (0,))
        layout = vbox(self.header, self.stock, (self.lots, 3), (self.vendors, 2))
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)

    def show_detail(self, detail: ItemDetail) -> None:
        keep = self.selected_lot()
        self.detail = detail
        gtins = f" · GTIN {', '.join(detail.gtins)}" if detail.gtins else ""
        self.header.setText(f"{detail.sku} – {detail.name} ({detail.category}, "
                            f"{detail.unit_of_measure}){gtins}")
        level = {StockLevel.OK: "", StockLevel.LOW: " · LOW STOCK",
                 StockLevel.OUT: " · OUT OF STOCK"}[detail.level]
        set_tone(self.stock, LEVEL_TONE[detail.level],
                 f"On hand {detail.on_hand} · reorder point {detail.reorder_point} · reorder "
                 f"quantity {detail.reorder_quantity}{level}")
        _fill(self.lots, [lot_cells(lot) for lot in detail.lots])
        _fill(self.vendors, [(v.name, v.vendor_sku, f"{v.unit_cost}", "★" if v.preferred else "")
                             for v in detail.vendors])
        if keep is not None:
            self.select_lot(keep.lot_number)

    def selected_lot(self) -> LotRow | None:
        row = self.lots.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.lots):
            return None
        return self.detail.lots[row]

    def select_lot(self, lot_number: str) -> None:
        if self.detail is None:
            return
        for row, lot in enumerate(self.detail.lots):
            if lot.lot_number == lot_number:
                self.lots.selectRow(row)
                self.lots.setCurrentCell(row, 0)

    def clear(self) -> None:
        self.detail = None
        self.header.setText("Pick an item on the left, or scan it.")
        set_tone(self.stock, "", "")
        self.lots.setRowCount(0)
        self.vendors.setRowCount(0)
