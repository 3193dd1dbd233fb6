"""A layout that wraps its widgets onto the next row when they do not fit, so a row of touch
buttons never cuts a word ("nfirm placeme") on a narrow screen.

Each widget keeps at least its size hint; the widgets of a row share out the spare width, the
ones given a stretch (``addWidget(w, stretch)``) taking it all when there are any.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}
        self._heights: dict[int, int] = {}  # width -> height, until the layout is invalidated
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    # QLayout --------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._stretch[id(item)] = stretch
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Qt asks this many times per layout pass; the answer only changes on invalidate()
        if width not in self._heights:
            self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return self._heights[width]

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        shown = self._shown()
        width = max((i.minimumSize().width() for i in shown), default=0)
        height = max((i.minimumSize().height() for i in shown), default=0)
        return QSize(width, height)

    # rows -----------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            wide = item.sizeHint().width()
            if rows[-1] and used + self.spacing() + wide > width:
                rows.append([])
                used = 0
            used += (self.spacing() if rows[-1] else 0) + wide
            rows[-1].append(item)
        return [row for row in rows if row]

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            hints = [item.sizeHint() for item in row]
            spare = area.width() - sum(h.width() for h in hints) - self.spacing() * (len(row) - 1)
            weights = [self._stretch.get(id(item), 0) for item in row]
            if not any(weights):
                weights = [1] * len(row)
            total = sum(weights)
            height = max(h.height() for h in hints)
            x = area.x()
            for item, hint, weight in zip(row, hints, weights, strict=True):
                wide = hint.width() + max(0, spare) * weight // total
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), QSize(wide, height)))
                x += wide + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - area.y() + margins.top() + margins.bottom()
