"""Type a line's quantity on big keys: 0–9, back, clear, OK; kept within 1..maximum."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, message_label, named, touch_button, vbox

KEY = TOUCH + 32


class QtyKeypad(Overlay):
    """Emits ``chosen(quantity)`` on OK with a quantity within bounds."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("qtyKeypad", parent)
        self.maximum = 1
        self._fresh = False  # the shown quantity is the current one: the first key replaces it
        self.heading = message_label("qtyHeading")
        self.display = named(QLabel(""), "qtyDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setStyleSheet("font-size: 36pt; font-weight: bold;")
        self.error = message_label("qtyError")
        grid = QGridLayout()
        self.digit_buttons = {}
        for digit in range(10):
            button = touch_button(str(digit), f"qtyKey{digit}", KEY)
            button.clicked.connect(lambda _checked=False, d=digit: self.press(str(d)))
            self.digit_buttons[digit] = button
            row, column = (3, 1) if digit == 0 else divmod(digit - 1, 3)
            grid.addWidget(button, row, column)
        self.back_button = touch_button("⌫", "qtyBack", KEY)
        self.clear_button = touch_button("C", "qtyClear", KEY)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(self.back_button, 3, 2)
        self.ok_button = touch_button("OK", "qtyOk", KEY)
        self.cancel_button = touch_button("Cancel", "qtyCancel", KEY)
        self.back_button.clicked.connect(lambda: self._set(self.display.text()[:-1]))
        self.clear_button.clicked.connect(lambda: self._set(""))
        self.ok_button.clicked.connect(self.on_ok)
        self.cancel_button.clicked.connect(self.close_overlay)
        self.setLayout(vbox(1, self.heading, self.display, self.error,
                            hbox(1, grid, 1), hbox(1, self.cancel_button, self.ok_button, 1), 1))

    def ask(self, what: str, current: int, maximum: int) -> None:
        self.maximum = maximum
        self.heading.setText(f"Quantity of {what} (1 to {maximum})")
        self.error.setText("")
        self.display.setText(str(current))
        self.display.setToolTip(f"was {current}")
        self._fresh = True
        self.open()

    def press(self, digit: str) -> None:
        shown = "" if self._fresh else self.display.text()
        text = (shown + digit).lstrip("0")
        if len(text) <= len(str(self.maximum)):
            self._set(text)

    def _set(self, text: str) -> None:
        self._fresh = False
        self.display.setText(text)
        self.error.setText("")

    def on_ok(self) -> None:
        text = self.display.text()
        quantity = int(text) if text else 0
        if not 1 <= quantity <= self.maximum:
            self.error.setText(f"Give a quantity from 1 to {self.maximum}.")
            return
        self.hide()
        self.chosen.emit(quantity)
        self.closed.emit()
