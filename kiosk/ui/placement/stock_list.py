"""The low-stock banner (amber low, red out) and, on a tap, the list of low and out items."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.services.chairside import StockAlert
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, message_label, named, set_tone, touch_button, vbox

COLUMNS = ("SKU", "Name", "On hand", "Reorder point")


class StockBanner(QLabel):
    """A tappable label named ``lowStockBanner``; emits ``tapped``."""

    tapped = Signal()

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("lowStockBanner")
        self.setWordWrap(True)
        self.setProperty("tone", "")
        self.setMinimumHeight(TOUCH)
        self.alert = StockAlert((), ())

    def show_alert(self, alert: StockAlert) -> None:
        self.alert = alert
        tone = "red" if alert.out else "amber" if alert.low else ""
        parts = []
        if alert.out:
            parts.append(f"{len(alert.out)} out of stock ({_first_few(alert.out)})")
        if alert.low:
            parts.append(f"{len(alert.low)} low ({_first_few(alert.low)})")
        text = "Stock: " + "; ".join(parts) + " — tap for the list" if parts else ""
        set_tone(self, tone, text)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self.alert.rows and event.button() == Qt.MouseButton.LeftButton:
            self.tapped.emit()


class StockList(Overlay):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("stockList", parent)
        self.heading = message_label("stockListHeading")
        self.table = named(QTableWidget(0, len(COLUMNS)), "stockTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(TOUCH)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.close_button = touch_button("Close", "stockListCloseButton", TOUCH + 16)
        self.close_button.clicked.connect(self.close_overlay)
        self.setLayout(vbox(self.heading, (self.table, 1), hbox(1, self.close_button)))

    def show_alert(self, alert: StockAlert) -> None:
        self.heading.setText(f"{len(alert.out)} out of stock, {len(alert.low)} low. "
                             "Tell the inventory manager.")
        self.table.setRowCount(len(alert.rows))
        for row, stock in enumerate(alert.rows):
            cells = (stock.sku, stock.name, str(stock.on_hand), str(stock.reorder_point))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if stock.level == "OUT":
                    cell.setForeground(Qt.GlobalColor.darkRed)
                if column >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        self.open()


def _first_few(skus: tuple[str, ...], shown: int = 3) -> str:
    more = ", …" if len(skus) > shown else ""
    return ", ".join(skus[:shown]) + more
