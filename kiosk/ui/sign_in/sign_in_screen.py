"""Sign in: scan a badge (``STAFF-…``) or tap your name, then a PIN on the keypad.

The PIN is checked on the writer thread. Wrong PINs count per badge (``PinLockout``):
five within ten minutes lock that badge for five minutes, and the screen says until when.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.domain.lockout import MAX_WRONG, PinLockout
from kiosk.domain.model import Staff
from kiosk.services import chairside
from kiosk.services.context import ServiceContext
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, message_label, named, set_tone, vbox
from kiosk.ui.common.workers import Task, Worker, describe, sentence
from kiosk.ui.sign_in.keypad import KEY, Keypad

NAME_COLUMNS = 2


def staff_names(ctx: ServiceContext) -> list[tuple[str, str]]:
    """(name, badge) of every staff member, by name. Runs on the writer thread."""
    with ctx.store.read() as tx:
        return sorted(((s.name, s.badge) for s in tx.all_staff() if s.badge),
                      key=lambda pair: pair[0].casefold())


class SignInScreen(QWidget):
    """Emits ``signed_in(staff)`` once the badge and PIN are verified on the writer thread."""

    signed_in = Signal(object)

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget | None = None,
                 lockout: PinLockout | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._worker = worker
        self.lockout = lockout or PinLockout()
        self._picked: tuple[str, str] | None = None  # (name, badge) tapped in the list
        self._checking = False
        self.setObjectName("signInScreen")
        self._build()
        self.load_staff()

    def _build(self) -> None:
        title = named(QLabel("Scan your badge or tap your name"), "signInTitle")
        self.badge_field = line_edit("badgeField", "Scan badge (STAFF-…) or type badge number")
        self.badge_field.setMinimumHeight(TOUCH + 8)
        self.name_grid = QGridLayout()
        self.name_grid.setSpacing(10)
        names = named(QWidget(), "staffNames")
        names.setLayout(self.name_grid)
        scroll = named(QScrollArea(), "staffScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(names)
        self.staff_buttons: list[QPushButton] = []

        self.pin_for = named(QLabel("Then enter your PIN"), "pinForLabel")
        self.pin_for.setWordWrap(True)
        self.pin_field = line_edit("pinField", "PIN")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(8)
        self.pin_field.setMinimumHeight(TOUCH + 8)
        self.keypad = Keypad(self.pin_field)
        self.sign_in_button = self.keypad.key("OK")
        self.sign_in_button.setText("OK — Sign in")
        self.sign_in_button.setObjectName("signInButton")
        self.message = message_label("signInMessage")

        left = vbox(title, self.badge_field, (scroll, 1))
        right = vbox(self.pin_for, self.pin_field, self.keypad, self.message, 1)
        pad = QWidget()
        pad.setLayout(right)
        pad.setMinimumWidth(3 * KEY + 2 * 10 + 40)  # narrower at 1024×768: names need room
        pad.setMaximumWidth(3 * KEY + 2 * 10 + 220)
        self.setLayout(hbox((left, 3), (pad, 2)))

        self.badge_field.returnPressed.connect(self.on_badge_entered)
        self.badge_field.textEdited.connect(self.on_badge_typed)
        self.pin_field.returnPressed.connect(self.on_sign_in)
        self.keypad.submitted.connect(self.on_sign_in)

    # staff list -------------------------------------------------------------------------------
    def load_staff(self) -> None:
        ctx = self._ctx
        Task(self._worker, lambda: staff_names(ctx)).success(self.show_staff) \
            .failure(sentence(self.on_error)).run()

    def show_staff(self, people: list[tuple[str, str]]) -> None:
        for button in self.staff_buttons:
            self.name_grid.removeWidget(button)
            button.deleteLater()
        self.staff_buttons = []
        for index, (name, badge) in enumerate(people):
            button = QPushButton(name)
            button.setObjectName("staffButton")
            button.setProperty("badge", badge)
            button.setMinimumHeight(KEY)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name, b=badge: self.on_pick(n, b))
            self.name_grid.addWidget(button, index // NAME_COLUMNS, index % NAME_COLUMNS)
            self.staff_buttons.append(button)
        self.name_grid.setRowStretch(len(people) // NAME_COLUMNS + 1, 1)

    def staff_button(self, name: str) -> QPushButton:
        return next(b for b in self.staff_buttons if b.text() == name)

    # input --------------------------------------------------------------------------------------
    def reset(self, message: str = "") -> None:
        self.badge_field.clear()
        self.pin_field.clear()
        self._unpick()
        self._checking = False
        self.sign_in_button.setEnabled(True)
        set_tone(self.message, "ok" if message else "", message)
        self.badge_field.setFocus()
        if not self._worker.closed:
            self.load_staff()

    def has_input(self) -> bool:
        return bool(self.badge_field.text() or self.pin_field.text() or self._picked)

    def on_pick(self, name: str, badge: str) -> None:
        self._picked = (name, badge)
        self.badge_field.clear()
        for button in self.staff_buttons:
            button.setChecked(button.property("badge") == badge)
        self.pin_for.setText(f"PIN for {name}")
        self.pin_field.clear()
        self.pin_field.setFocus()

    def on_badge_typed(self, _text: str) -> None:
        if self._picked is not None:
            self._unpick()

    def _unpick(self) -> None:
        self._picked = None
        for button in self.staff_buttons:
            button.setChecked(False)
        self.pin_for.setText("Then enter your PIN")

    def on_badge_entered(self) -> None:
        if self.pin_field.text():
            self.on_sign_in()
        else:
            self.pin_for.setText("Now enter your PIN")
            self.pin_field.setFocus()

    def _badge(self) -> str:
        typed = self.badge_field.text().strip()
        return typed or (self._picked[1] if self._picked else "")

    # verification -----------------------------------------------------------------------------
    def on_sign_in(self) -> None:
        if self._checking:
            return
        badge, pin = self._badge(), self.pin_field.text()
        if not badge:
            set_tone(self.message, "error", "Scan your badge or tap your name first.")
            self.badge_field.setFocus()
            return
        until = self.lockout.locked_until(badge, self._ctx.clock.now())
        if until is not None:
            self.pin_field.clear()
            set_tone(self.message, "error", self._locked_sentence(until))
            return
        if not pin:
            set_tone(self.message, "error", "Enter your PIN.")
            self.pin_field.setFocus()
            return
        self._checking = True
        self.sign_in_button.setEnabled(False)
        set_tone(self.message, "", "Checking…")
        ctx = self._ctx
        Task(self._worker, lambda: chairside.sign_in(ctx, badge, pin)) \
            .success(lambda staff: self.on_verified(staff, badge)) \
            .failure(lambda error: self.on_refused(describe(error), badge)).run()

    def on_verified(self, staff: Staff, badge: str = "") -> None:
        self._checking = False
        self.lockout.record_success(badge or staff.badge)
        self.sign_in_button.setEnabled(True)
        self.badge_field.clear()
        self.pin_field.clear()
        self._unpick()
        set_tone(self.message, "", "")
        self.signed_in.emit(staff)

    def on_refused(self, sentence: str, badge: str = "") -> None:
        self._checking = False
        self.sign_in_button.setEnabled(True)
        self.pin_field.clear()
        self.pin_field.setFocus()
        if badge and sentence == chairside.SIGN_IN_REFUSED:
            until = self.lockout.record_wrong(badge, self._ctx.clock.now())
            if until is not None:
                sentence = self._locked_sentence(until)
        set_tone(self.message, "error", sentence)

    def on_error(self, sentence: str) -> None:
        set_tone(self.message, "error", sentence)

    def _locked_sentence(self, until: datetime) -> str:
        local = until.astimezone(ZoneInfo(self._ctx.settings.timezone))
        if local.second or local.microsecond:  # never say a minute earlier than it unlocks
            local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return (f"Too many wrong PINs ({MAX_WRONG}): this badge is locked until "
                f"{local:%H:%M}. Ask a colleague or wait until then.")
