"""Another patient was picked while the cart holds lines: ask once whether the cart moves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, named, touch_button, vbox


def first_name(name: str) -> str:
    return name.split(maxsplit=1)[0] if name.split() else name


class MovePrompt(Overlay):
    """Emits ``answered(move)``: True to move the cart to the new patient, False to keep it
    on the patient it was scanned for. Either answer closes the prompt."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("movePrompt", parent)
        self.question = named(QLabel(""), "moveQuestion")
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setStyleSheet("font-size: 24pt; font-weight: bold;")
        self.move_button = touch_button("", "moveCartButton", TOUCH + 32)
        self.keep_button = touch_button("", "keepPatientButton", TOUCH + 32)
        self.move_button.clicked.connect(lambda: self._answer(True))
        self.keep_button.clicked.connect(lambda: self._answer(False))
        self.setLayout(vbox(1, self.question, 1,
                            hbox(self.keep_button, 1, self.move_button)))

    def ask(self, items: int, from_name: str, to_name: str) -> None:
        noun = "item" if items == 1 else "items"
        self.question.setText(f"Move {items} {noun} to {to_name}?\nThe cart was scanned for "
                              f"{from_name}.")
        self.move_button.setText(f"Move {items} {noun} to {first_name(to_name)}")
        self.keep_button.setText(f"Keep {first_name(from_name)}")
        self.open()

    def _answer(self, move: bool) -> None:
        self.hide()
        self.answered.emit(move)
        self.closed.emit()
