"""A panel drawn over the whole screen it belongs to: no modal dialog, no event loop of its own.

The scan field underneath keeps the keyboard focus unless the overlay has a text field the
user taps; closing an overlay hands the focus back through ``closed``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget


class Overlay(QWidget):
    closed = Signal()

    def __init__(self, name: str, parent: QWidget, background: str = "#f4f4f4") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#{name} {{ background: {background}; }}")
        self.hide()

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            # follow the parent's size while shown; a hidden overlay filters nothing (the
            # screen under it has many overlays and sees every key of a wedge scan)
            parent.installEventFilter(self)
        self.show()
        self.raise_()

    def hideEvent(self, event) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        super().hideEvent(event)

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if event.type() == QEvent.Type.Resize and parent is not None and watched is parent:
            self.setGeometry(parent.rect())
        return False
