"""A generic layout check for any window: no visible text is elided or clipped, and every
visible button is a touch target (>= TOUCH px high) lying wholly inside the window.

``layout_problems(window)`` walks every visible QLabel, QAbstractButton and item view (table
and list cells, header sections) and compares the text's extent, measured with the widget's
own font metrics (word wrap included), with the room the widget gives it. It returns one
sentence per problem, so a failing test says which text does not fit where.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.ui.common.widgets import TOUCH

SLACK = 1  # px of rounding allowed


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _name(widget: QWidget, text: str = "") -> str:
    shown = (text or "").replace("\n", " ")
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"{type(widget).__name__} {widget.objectName() or '?'} {shown!r}"


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible() and widget.width() > 0


def text_fits(fm: QFontMetrics, text: str, room: QRect, wrap: bool) -> tuple[bool, str]:
    """Whether ``text`` fits ``room``; the reason when it does not."""
    if not text:
        return True, ""
    lines = text.split("\n")
    if wrap:
        words = max((fm.horizontalAdvance(w) for w in text.split()), default=0)
        if words > room.width() + SLACK:
            return False, f"a word needs {words} px, has {room.width()} px"
        needed = fm.boundingRect(QRect(0, 0, room.width(), 100_000),
                                 int(Qt.TextFlag.TextWordWrap), text)
        if needed.height() > room.height() + SLACK:
            return False, f"needs {needed.height()} px high wrapped, has {room.height()} px"
        return True, ""
    wide = max(fm.horizontalAdvance(line) for line in lines)
    if wide > room.width() + SLACK:
        return False, f"needs {wide} px wide, has {room.width()} px"
    high = fm.lineSpacing() * (len(lines) - 1) + fm.height()
    if high > room.height() + SLACK:
        return False, f"needs {high} px high, has {room.height()} px"
    return True, ""


def label_problems(label: QLabel) -> list[str]:
    text = label.text()
    if not text or label.textFormat() == Qt.TextFormat.RichText or ("<" in text and ">" in text):
        return []
    room = label.contentsRect()
    margin = label.margin()
    room = room.adjusted(margin, margin, -margin, -margin)
    if label.indent() > 0:
        room = room.adjusted(label.indent(), 0, 0, 0)
    ok, why = text_fits(QFontMetrics(label.font()), text, room, label.wordWrap())
    return [] if ok else [f"{_name(label, text)} is cut: {why}"]


def button_problems(window: QWidget, button: QAbstractButton) -> list[str]:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    problems = []
    name = _name(button, text)
    if button.height() < TOUCH:
        problems.append(f"{name} is {button.height()} px high (< {TOUCH})")
    where = rect_in(window, button)
    if not window.rect().contains(where):
        problems.append(f"{name} at {where.getRect()} leaves the window {window.size()}")
    if button.visibleRegion().boundingRect() != button.rect():
        problems.append(f"{name} is clipped by its parent")
    if text and isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents,
                                             option, button)
        if not button.icon().isNull():
            room.setWidth(room.width() - button.iconSize().width() - 4)
        ok, why = text_fits(QFontMetrics(button.font()), text, room, wrap=False)
        if not ok:
            problems.append(f"{name} text is cut: {why}")
    elif text and button.sizeHint().width() > button.width() + SLACK:
        # check boxes, radio and tool buttons: the text must fit beside the indicator
        problems.append(f"{name} text is cut: needs {button.sizeHint().width()} px wide, "
                        f"has {button.width()} px")
    return problems


def _cell_problems(view: QAbstractItemView, index: QModelIndex) -> list[str]:
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return []
    rect = view.visualRect(index)
    viewport = view.viewport().rect()
    if not rect.intersects(viewport):
        return []  # scrolled away vertically: a list may scroll
    problems = []
    where = f"{type(view).__name__} {view.objectName() or '?'} cell ({index.row()}, " \
            f"{index.column()}) {text[:40]!r}"
    if rect.right() > viewport.right() + SLACK or rect.left() < viewport.left() - SLACK:
        problems.append(f"{where} runs past the view's right edge")
    font = index.data(Qt.ItemDataRole.FontRole) or view.font()
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    room = rect.adjusted(margin, 0, -margin, 0)
    wrap = bool(getattr(view, "wordWrap", lambda: False)())
    ok, why = text_fits(QFontMetrics(font), text, room, wrap)
    if not ok:
        problems.append(f"{where} is cut: {why}")
    return problems


def view_problems(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    problems: list[str] = []
    if isinstance(view, QHeaderView):
        return problems
    columns = 1 if isinstance(view, QListView) else model.columnCount(QModelIndex())
    for row in range(model.rowCount(QModelIndex())):
        if getattr(view, "isRowHidden", None) and _row_hidden(view, row):
            continue
        for column in range(columns):
            if getattr(view, "isColumnHidden", None) and view.isColumnHidden(column):
                continue
            problems += _cell_problems(view, model.index(row, column))
    header = getattr(view, "horizontalHeader", lambda: None)()
    if header is not None and header.isVisible():
        fm = QFontMetrics(header.font())
        for column in range(columns):
            if header.isSectionHidden(column):
                continue
            title = model.headerData(column, Qt.Orientation.Horizontal)
            if isinstance(title, str) and title:
                need = fm.horizontalAdvance(title) + 2 * 6  # the theme's header padding
                if need > header.sectionSize(column) + SLACK:
                    problems.append(f"{type(view).__name__} {view.objectName() or '?'} header "
                                    f"{title!r} needs {need} px, has "
                                    f"{header.sectionSize(column)} px")
    return problems


def _row_hidden(view, row: int) -> bool:
    try:
        return view.isRowHidden(row)
    except TypeError:  # QTreeView.isRowHidden(row, parent)
        return view.isRowHidden(row, QModelIndex())


def layout_problems(window: QWidget, root: QWidget | None = None) -> list[str]:
    """Every layout problem of the visible widgets under ``root`` (the window by default)."""
    root = root or window
    problems: list[str] = []
    for label in root.findChildren(QLabel):
        if _shown(label, window):
            problems += label_problems(label)
    buttons = [b for b in root.findChildren(QAbstractButton) if _shown(b, window)]
    for button in buttons:
        if isinstance(button.parent(), QAbstractItemView):
            continue  # a table's corner button
        problems += button_problems(window, button)
    for view in root.findChildren(QAbstractItemView):
        if _shown(view, window):
            problems += view_problems(view)
    return problems
