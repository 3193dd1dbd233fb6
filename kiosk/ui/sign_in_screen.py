"""Sign in with a badge (scanned ``STAFF-…`` or typed) and a PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.domain.model import Staff
from kiosk.services.context import ServiceContext
from kiosk.ui import operations
from kiosk.ui.widgets import TOUCH, message_label, set_tone, touch_button
from kiosk.ui.workers import Task, Worker


class SignInScreen(QWidget):
    """Emits ``signed_in(staff)`` once the badge and PIN are verified on the writer thread."""

    signed_in = Signal(object)

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._worker = worker
        self.setObjectName("signInScreen")

        title = QLabel("Scan your badge, then enter your PIN")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge_field = QLineEdit()
        self.badge_field.setObjectName("badgeField")
        self.badge_field.setPlaceholderText("STAFF-… or badge number")
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("pinField")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setPlaceholderText("PIN")
        self.pin_field.setMaxLength(8)
        self.sign_in_button = touch_button("Sign in", "signInButton")
        self.sign_in_button.setMinimumHeight(TOUCH + 16)
        self.message = message_label("signInMessage")

        form = QFormLayout()
        form.addRow("Badge", self.badge_field)
        form.addRow("PIN", self.pin_field)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.sign_in_button)
        inner.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        self.badge_field.returnPressed.connect(self.on_badge_entered)
        self.pin_field.returnPressed.connect(self.on_sign_in)
        self.sign_in_button.clicked.connect(self.on_sign_in)

    def reset(self, message: str = "") -> None:
        self.badge_field.clear()
        self.pin_field.clear()
        self.sign_in_button.setEnabled(True)
        set_tone(self.message, "ok" if message else "", message)
        self.badge_field.setFocus()

    def on_badge_entered(self) -> None:
        if self.pin_field.text():
            self.on_sign_in()
        else:
            self.pin_field.setFocus()

    def on_sign_in(self) -> None:
        badge, pin = self.badge_field.text().strip(), self.pin_field.text()
        if not badge:
            set_tone(self.message, "error", "Scan or type your badge first.")
            self.badge_field.setFocus()
            return
        if not pin:
            set_tone(self.message, "error", "Enter your PIN.")
            self.pin_field.setFocus()
            return
        self.sign_in_button.setEnabled(False)
        set_tone(self.message, "", "Checking…")
        ctx = self._ctx
        Task(self._worker, lambda: operations.sign_in(ctx, badge, pin)) \
            .success(self.on_verified).failure(self.on_refused).run()

    def on_verified(self, staff: Staff) -> None:
        self.sign_in_button.setEnabled(True)
        self.pin_field.clear()
        set_tone(self.message, "", "")
        self.signed_in.emit(staff)

    def on_refused(self, sentence: str) -> None:
        self.sign_in_button.setEnabled(True)
        self.pin_field.clear()
        self.pin_field.setFocus()
        set_tone(self.message, "error", sentence)
