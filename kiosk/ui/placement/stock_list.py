"""The low-stock banner (amber low, red out) and, on a tap, the list of low and out items."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
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
        set_tone(self, tone, self._fitting_text())

    def _fitting_text(self) -> str:
        """As many SKUs as fit in two lines at the banner's width; "+N more" for the rest."""
        if not self.alert.rows:
            return ""
        names = len(self.alert.out) + len(self.alert.low)
        width = self.contentsRect().width() - 2 * self.margin()
        for shown in range(min(names, 6), -1, -1):
            text = banner_text(self.alert, shown)
            if width <= 0 or _lines(self, text, width) <= MAX_LINES:
                return text
        return banner_text(self.alert, 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.alert.rows:
            text = self._fitting_text()
            if text != self.text():
                self.setText(text)

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


MAX_LINES = 2  # the banner never grows past two lines; the list has the rest


def banner_text(alert: StockAlert, shown: int) -> str:
    """"Stock: 2 out (A, B), 5 low (C) +4 more — tap for the list", naming ``shown`` SKUs."""
    out, low = alert.out[:shown], alert.low[:max(0, shown - len(alert.out))]
    parts = []
    if alert.out:
        parts.append(f"{len(alert.out)} out of stock" + (f" ({', '.join(out)})" if out else ""))
    if alert.low:
        parts.append(f"{len(alert.low)} low" + (f" ({', '.join(low)})" if low else ""))
    hidden = len(alert.out) + len(alert.low) - len(out) - len(low)
    more = f" +{hidden} more" if hidden and (out or low) else ""
    return "Stock: " + ", ".join(parts) + more + " — tap for the list"


def _lines(label: QLabel, text: str, width: int) -> int:
    metrics = label.fontMetrics()
    high = metrics.boundingRect(QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap),
                                text).height()
    return max(1, round(high / metrics.lineSpacing()))
