"""Use an expired lot anyway: a permitted user gives the reason (picked or typed)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, message_label, named, touch_button, vbox

OVERRIDE_REASONS = (
    "No other lot in stock; patient in chair",
    "Sealed package, manufacturer confirms stability",
    "Used for a non-patient (training) purpose",
)


class OverridePanel(Overlay):
    """Emits ``chosen(reason)``; closing without a reason emits only ``closed``."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("overridePanel", parent)
        self.heading = message_label("overrideHeading")
        self.reasons = named(QListWidget(), "overrideReasons")
        self.reasons.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reasons.addItems(OVERRIDE_REASONS)
        self.typed = line_edit("overrideReasonField", "…or type the reason")
        self.typed.setMinimumHeight(TOUCH)
        self.error = message_label("overrideError")
        self.ok_button = touch_button("Use it, with this reason", "overrideOkButton", TOUCH + 16)
        self.cancel_button = touch_button("Cancel — do not use", "overrideCancelButton",
                                          TOUCH + 16)
        self.setLayout(vbox(self.heading, QLabel("Why is it used anyway?"), (self.reasons, 1),
                            self.typed, self.error,
                            hbox(self.cancel_button, 1, self.ok_button)))
        self.reasons.currentRowChanged.connect(lambda _row: self.typed.clear())
        self.typed.textEdited.connect(lambda _text: self.reasons.clearSelection())
        self.ok_button.clicked.connect(self.on_ok)
        self.cancel_button.clicked.connect(self.close_overlay)

    def ask(self, sentence: str) -> None:
        self.heading.setText(sentence)
        self.reasons.setCurrentRow(-1)
        self.reasons.clearSelection()
        self.typed.clear()
        self.error.setText("")
        self.open()

    def reason(self) -> str:
        typed = self.typed.text().strip()
        if typed:
            return typed
        items = self.reasons.selectedItems()
        return items[0].text() if items else ""

    def on_ok(self) -> None:
        reason = self.reason()
        if not reason:
            self.error.setText("Pick or type a reason first.")
            return
        self.hide()
        self.chosen.emit(reason)
        self.closed.emit()
