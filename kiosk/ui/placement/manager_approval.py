"""A manager approves a step at the chair with badge and PIN, on the spot.

The assistant stays signed in and the cart stays as it is: the manager's badge and PIN are
checked by ``chairside.authorize_override`` (the sign-in check plus the permission), nobody is
signed in or out. The PIN is typed on a touch keypad and never shown in clear.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.domain.model import Staff
from kiosk.services import chairside
from kiosk.services.context import ServiceContext
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, message_label, touch_button, vbox
from kiosk.ui.common.workers import Task, Worker, sentence

PIN_MAX = 12


class ManagerApproval(Overlay):
    """Emits ``approved(staff)`` with the manager who approved; ``closed`` when it goes away."""

    approved = Signal(object)

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget) -> None:
        super().__init__("managerApproval", parent)
        self._ctx = ctx
        self._worker = worker
        self._checking = False
        self.heading = message_label("managerHeading")
        self.badge_field = line_edit("managerBadgeField", "Manager: scan or type your badge")
        self.badge_field.setMinimumHeight(TOUCH)
        self.pin_field = line_edit("managerPinField", "PIN on the keypad")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(PIN_MAX)
        self.pin_field.setMinimumHeight(TOUCH)
        self.error = message_label("managerError")
        self.digit_buttons: list[QPushButton] = [
            touch_button(str(digit), f"managerDigit{digit}", TOUCH + 16) for digit in range(10)]
        self.clear_button = touch_button("Clear", "managerClearButton", TOUCH + 16)
        self.back_button = touch_button("⌫", "managerBackButton", TOUCH + 16)
        grid = QGridLayout()
        for index, digit in enumerate((1, 2, 3, 4, 5, 6, 7, 8, 9)):
            grid.addWidget(self.digit_buttons[digit], index // 3, index % 3)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(self.digit_buttons[0], 3, 1)
        grid.addWidget(self.back_button, 3, 2)
        self.approve_button = touch_button("Approve", "managerApproveButton", TOUCH + 16)
        self.cancel_button = touch_button("Cancel — do not use", "managerCancelButton",
                                          TOUCH + 16)
        self.setLayout(vbox(self.heading, self.badge_field, self.pin_field, grid, self.error,
                            1, hbox(self.cancel_button, 1, self.approve_button)))
        for digit, button in enumerate(self.digit_buttons):
            button.clicked.connect(lambda _checked=False, d=digit: self.pin_field.insert(str(d)))
        self.clear_button.clicked.connect(self.pin_field.clear)
        self.back_button.clicked.connect(self.pin_field.backspace)
        self.badge_field.returnPressed.connect(self.pin_field.setFocus)
        self.pin_field.returnPressed.connect(self.on_approve)
        self.approve_button.clicked.connect(self.on_approve)
        self.cancel_button.clicked.connect(self.close_overlay)

    def ask(self, what: str) -> None:
        """Open for ``what`` (one sentence naming the step the manager approves)."""
        self.heading.setText(f"{what} A manager approves here with badge and PIN; you stay "
                             "signed in and the cart is kept.")
        self.badge_field.clear()
        self.pin_field.clear()
        self.error.setText("")
        self._checking = False
        self.approve_button.setEnabled(True)
        self.open()
        self.badge_field.setFocus()

    def on_approve(self) -> None:
        badge, pin = self.badge_field.text().strip(), self.pin_field.text()
        if not badge:
            self.error.setText("Scan or type the manager's badge first.")
            self.badge_field.setFocus()
            return
        if not pin:
            self.error.setText("Enter the manager's PIN on the keypad.")
            return
        if self._checking:
            return
        self._checking = True
        self.approve_button.setEnabled(False)
        ctx = self._ctx
        Task(self._worker, lambda: chairside.authorize_override(ctx, badge, pin)).success(
            self.on_approved).failure(sentence(self.on_refused)).run()

    def on_approved(self, manager: Staff) -> None:
        self._checking = False
        self.approve_button.setEnabled(True)
        self.pin_field.clear()
        if not self.isVisible():  # cancelled while the PIN was checked
            return
        self.hide()
        self.approved.emit(manager)
        self.closed.emit()

    def on_refused(self, text: str) -> None:
        self._checking = False
        self.approve_button.setEnabled(True)
        self.pin_field.clear()
        self.error.setText(text)
