"""A small bar chart drawn with QPainter (PySide6-Essentials has no QtCharts).

The bars come from a service (``report_charts.Bar``: a label and a Decimal amount); the
amounts are printed exactly above their bars and turned into float only to size them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.services.report_charts import Bar

BAR = QColor("#4a6a85")
INK = QColor("#1a1a1a")
AXIS = QColor("#888888")


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,}"


class BarChart(QWidget):
    """``set_bars(bars)`` shows them; ``bars`` is what is drawn (for tests and screenshots)."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = title
        self.bars: tuple[Bar, ...] = ()
        self.setMinimumHeight(190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars: Iterable[Bar]) -> None:
        self.bars = tuple(bars)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        area = QRectF(self.rect()).adjusted(8, 4, -8, -4)
        font = QFont(self.font())
        font.setPointSizeF(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(INK)
        line = painter.fontMetrics().height()
        painter.drawText(area.adjusted(0, 0, 0, -(area.height() - line)),
                         Qt.AlignmentFlag.AlignLeft, self.title)
        font.setBold(False)
        font.setPointSizeF(9)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        small = metrics.height()
        plot = area.adjusted(0, line + small + 4, 0, -(small + 4))
        if not self.bars:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No supply costs to chart.")
            return
        top = max((bar.amount for bar in self.bars), default=Decimal(0))
        top = top if top > 0 else Decimal(1)
        slot = plot.width() / len(self.bars)
        width = max(4.0, min(slot * 0.6, 90.0))
        painter.setPen(AXIS)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        for n, bar in enumerate(self.bars):
            share = float(max(bar.amount, Decimal(0)) / top)  # float only to size the bar
            height = plot.height() * share
            x = plot.left() + slot * n + (slot - width) / 2
            rect = QRectF(x, plot.bottom() - height, width, height)
            painter.fillRect(rect, BAR)
            painter.setPen(INK)
            label_box = QRectF(plot.left() + slot * n, 0, slot, small)
            painter.drawText(label_box.translated(0, rect.top() - small - 2),
                             Qt.AlignmentFlag.AlignHCenter,
                             metrics.elidedText(money(bar.amount), Qt.TextElideMode.ElideRight,
                                                int(slot)))
            painter.drawText(label_box.translated(0, plot.bottom() + 3),
                             Qt.AlignmentFlag.AlignHCenter,
                             metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight,
                                                int(slot)))
