"""The cart as a table: item, lot, expiry, quantity, unit cost, line cost."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kiosk.ui.cart import Cart, CartLine
from kiosk.ui.widgets import TOUCH

COLUMNS = ("Item", "Lot", "Expiry", "Qty", "Unit cost", "Line cost")
EXPIRING = QColor("#ffe08a")


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"${value.quantize(Decimal('0.01')):,}"


class CartTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setObjectName("cartTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(TOUCH + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def show_cart(self, cart: Cart, select: int | None = None) -> None:
        self.setRowCount(len(cart))
        for row, line in enumerate(cart.lines):
            for column, (text, tip) in enumerate(self._cells(line)):
                cell = QTableWidgetItem(text)
                if tip:
                    cell.setToolTip(tip)
                if column >= 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if line.expiring_soon and column == 2:
                    cell.setBackground(QBrush(EXPIRING))
                self.setItem(row, column, cell)
        if select is not None and 0 <= select < len(cart):
            self.selectRow(select)
        else:
            self.clearSelection()

    @staticmethod
    def _cells(line: CartLine) -> list[tuple[str, str]]:
        expiry = line.expiry.isoformat() if line.expiry else "—"
        if line.expiring_soon:
            expiry = f"⚠ {expiry} soon"
        return [
            (f"{line.sku} · {line.name}", line.name),
            (line.lot_number or "—", ""),
            (expiry, "This lot expires soon; use it first." if line.expiring_soon else ""),
            (str(line.quantity), ""),
            (money(line.unit_cost), "" if line.unit_cost is not None else "No cost on file"),
            (money(line.line_cost), ""),
        ]
