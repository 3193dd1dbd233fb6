"""Confirm with something unfinished (a scan waiting for its lot label, kit lines not
scanned): say what, and ask once whether to record the cart as it is."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, named, touch_button, vbox


class ConfirmQuestion(Overlay):
    """Emits ``answered(record)``: True to record now, False to go back to the cart."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("confirmQuestion", parent)
        self.question = named(QLabel(""), "confirmQuestionText")
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setStyleSheet("font-size: 20pt;")
        self.record_button = touch_button("Record it as it is", "confirmAnywayButton",
                                          TOUCH + 32)
        self.back_button = touch_button("Go back to the cart", "confirmBackButton",
                                        TOUCH + 32)
        self.record_button.clicked.connect(lambda: self._answer(True))
        self.back_button.clicked.connect(lambda: self._answer(False))
        self.setLayout(vbox(1, self.question, 1, hbox(self.back_button, 1, self.record_button)))

    def ask(self, sentences: list[str], record_text: str) -> None:
        self.question.setText("\n\n".join(sentences))
        self.record_button.setText(record_text)
        self.open()

    def _answer(self, record: bool) -> None:
        self.hide()
        self.answered.emit(record)
        self.closed.emit()
