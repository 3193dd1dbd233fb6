"""The cart as a table: item, lot, expiry, quantity, unit cost, line cost.

The item cell holds the whole name, wrapped, over the SKU: what tells two items apart (tooth,
wire size, force) ends the name and must stay visible, so nothing in the cart is elided; rows
grow to fit instead.

Scanned lines come first; a picked kit's lines not yet scanned follow as grey *expected* rows,
which cannot be selected (nothing is deducted for them)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kiosk.services.cart import Cart, CartLine
from kiosk.services.kits import KitLine
from kiosk.ui.common.widgets import TOUCH

COLUMNS = ("Item", "Lot", "Expiry", "Qty", "Each", "Cost")
UNIT_COST = 4
NARROW = 760  # px: below this table width the unit cost column gives its room to the names
EXPIRING = QColor("#ffe08a")
EXPIRED = QColor("#ef9a9a")
EXPECTED = QColor("#e0e0e0")


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
        self.verticalHeader().setMinimumSectionSize(TOUCH + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.scanned_rows = 0
        self.expected_rows = 0
        self._shown: list[tuple[object, ...]] = []  # what each scanned row shows now

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        narrow = self.width() < NARROW
        if self.isColumnHidden(UNIT_COST) != narrow:
            self.setColumnHidden(UNIT_COST, narrow)

    def selected_row(self) -> int | None:
        """The selected scanned line (expected kit rows are not lines)."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows and rows[0].row() < self.scanned_rows else None

    def show_cart(self, cart: Cart, select: int | None = None) -> None:
        reconciliation = cart.reconciliation()
        expected = reconciliation.expected if reconciliation else ()
        self.scanned_rows, self.expected_rows = len(cart), len(expected)
        waiting = 1 if cart.pending is not None else 0
        self.setRowCount(len(cart) + waiting + len(expected))
        if cart.pending is not None:
            self._pending_row(len(cart), cart.pending)
        for offset, kit_line in enumerate(expected):
            self._expected_row(len(cart) + waiting + offset, kit_line)
        shown = []
        for row, line in enumerate(cart.lines):
            cells = self._cells(line)
            look = (*cells, line.expiring_soon, bool(line.override_reason))
            shown.append(look)
            if row < len(self._shown) and self._shown[row] == look:
                continue  # a scan changes one row: the others are not built again
            self._fill_row(row, line, cells)
        self._shown = shown
        if select is not None and 0 <= select < len(cart):
            self.selectRow(select)
        else:
            self.clearSelection()

    def _fill_row(self, row: int, line: CartLine, cells: list[tuple[str, str]]) -> None:
        """The row's cells, announced to the view once: each cell announced alone would make
        the resize-to-contents headers measure the whole table again, six times a scan."""
        model = self.model()
        blocked = model.blockSignals(True)
        try:
            for column, (text, tip) in enumerate(cells):
                cell = QTableWidgetItem(text)
                if tip:
                    cell.setToolTip(tip)
                if column >= 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if line.expiring_soon and column == 2:
                    cell.setBackground(QBrush(EXPIRING))
                if line.override_reason and column == 2:
                    cell.setBackground(QBrush(EXPIRED))
                self.setItem(row, column, cell)
        finally:
            model.blockSignals(blocked)
        model.dataChanged.emit(model.index(row, 0), model.index(row, len(COLUMNS) - 1))

    def _pending_row(self, row: int, line: CartLine) -> None:
        """A product scanned without its lot: shown at once, not a line until its label."""
        texts = (f"{line.sku} · {line.name} · waiting for lot label…", "…", "—",
                 str(line.quantity), money(line.unit_cost), money(line.line_cost))
        for column, text in enumerate(texts):
            cell = QTableWidgetItem(text)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            cell.setBackground(QBrush(EXPECTED))
            cell.setToolTip("Scan its lot label now, or the next supply.")
            self.setItem(row, column, cell)

    def _expected_row(self, row: int, line: KitLine) -> None:
        what = f"{line.sku} · {line.name}" if line.name else line.sku
        texts = (f"{what} · expected (kit)", "—", "—", str(line.quantity), "", "")
        for column, text in enumerate(texts):
            cell = QTableWidgetItem(text)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            cell.setBackground(QBrush(EXPECTED))
            cell.setToolTip("Expected by the kit; scan it to use it. Not deducted.")
            self.setItem(row, column, cell)

    @staticmethod
    def _cells(line: CartLine) -> list[tuple[str, str]]:
        expiry = line.expiry.isoformat() if line.expiry else "—"
        if line.expiring_soon:
            expiry = f"⚠ {expiry}\nsoon"  # two short lines leave the names room
        if line.label_expiry:
            expiry = f"{expiry}\n(label; lot flagged)"
        if line.override_reason:
            expiry = f"expired – override: {line.override_reason}"
            if line.override_by_name:
                expiry += f" (approved by {line.override_by_name})"
        return [
            (f"{line.name}\n{line.sku}", line.name),
            (line.lot_number or "—", ""),
            (expiry, "This lot expires soon; use it first." if line.expiring_soon else ""),
            (str(line.quantity), ""),
            (money(line.unit_cost), "" if line.unit_cost is not None else "No cost on file"),
            (money(line.line_cost), ""),
        ]
