"""Sign in: scan a badge (``STAFF-…``) or tap your name, then a PIN on the keypad.

The badge and PIN go to ``KioskApp.sign_in`` on the writer thread, which counts wrong PINs
per person in the store (``kiosk.services.sign_in``): each refusal says how many attempts
are left, a lock says until when, and a "Manager unlock" button lets a clinic manager lift it
with their own badge and PIN. The PIN is never shown: its field is masked, and a PIN typed at
scanner speed (which the wedge filter reports as a scan) is taken as the PIN, never put in
the badge field. Messages belong to the person they were for: the next badge or name clears
them, and so does ``message_timeout_ms`` without input.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.app import KioskApp
from kiosk.domain.model import Staff
from kiosk.services.context import ServiceContext
from kiosk.services.sign_in import SignInRefused
from kiosk.ui.common.widgets import (
    TOUCH,
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)
from kiosk.ui.common.workers import Task, Worker, describe, sentence
from kiosk.ui.sign_in.keypad import KEY, Keypad

NAME_COLUMNS = 2
MESSAGE_TIMEOUT_MS = 30_000  # then the screen is as the next person should find it
PIN_PROMPT = "Then enter your PIN"
UNLOCK = "Manager unlock"
CANCEL_UNLOCK = "Cancel unlock"
SIGN_IN_KEY, UNLOCK_KEY = "OK — Sign in", "OK — Unlock"


def staff_names(ctx: ServiceContext) -> list[tuple[str, str]]:
    """(name, badge) of every active staff member, by name. Runs on the writer thread."""
    with ctx.store.read() as tx:
        return sorted(((s.name, s.badge) for s in tx.all_staff() if s.badge and s.active),
                      key=lambda pair: pair[0].casefold())


class SignInScreen(QWidget):
    """Emits ``signed_in(staff)`` once the badge and PIN are verified on the writer thread."""

    signed_in = Signal(object)

    def __init__(self, kiosk: KioskApp, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._ctx = kiosk.context
        self._worker = worker
        self._picked: tuple[str, str] | None = None  # (name, badge) tapped in the list
        self._checking = False
        self._locked: tuple[str, str] | None = None  # (badge, how to name it) shown as locked
        self._unlocking: tuple[str, str] | None = None  # the same, while a manager signs
        self.message_timeout_ms = MESSAGE_TIMEOUT_MS
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.on_message_timeout)
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

        self.pin_for = named(QLabel(PIN_PROMPT), "pinForLabel")
        self.pin_for.setWordWrap(True)
        self.pin_field = line_edit("pinField", "PIN")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(8)
        self.pin_field.setMinimumHeight(TOUCH + 8)
        self.keypad = Keypad(self.pin_field)
        self.sign_in_button = self.keypad.key("OK")
        self.sign_in_button.setText(SIGN_IN_KEY)
        self.sign_in_button.setObjectName("signInButton")
        self.message = message_label("signInMessage")
        self.unlock_button = touch_button(UNLOCK, "unlockButton")
        self.unlock_button.setVisible(False)

        left = vbox(title, self.badge_field, (scroll, 1))
        right = vbox(self.pin_for, self.pin_field, self.keypad, self.message,
                     self.unlock_button, 1)
        pad = QWidget()
        pad.setLayout(right)
        pad.setMinimumWidth(3 * KEY + 2 * 10 + 40)  # narrower at 1024×768: names need room
        pad.setMaximumWidth(3 * KEY + 2 * 10 + 220)
        self.setLayout(hbox((left, 3), (pad, 2)))

        self.badge_field.returnPressed.connect(self.on_badge_entered)
        self.badge_field.textEdited.connect(self.on_badge_typed)
        self.pin_field.returnPressed.connect(self.on_sign_in)
        self.keypad.submitted.connect(self.on_sign_in)
        self.unlock_button.clicked.connect(self.on_unlock_button)
        for field in (self.badge_field, self.pin_field):
            field.textChanged.connect(self._keep_message)

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

    # messages ---------------------------------------------------------------------------------
    def _say(self, tone: str, text: str) -> None:
        """Show ``text``; it (and whatever was typed) goes after ``message_timeout_ms``
        without input."""
        set_tone(self.message, tone, text)
        if text:
            self._message_timer.start(self.message_timeout_ms)
        else:
            self._message_timer.stop()

    def _keep_message(self, _text: str = "") -> None:
        """Input restarts the message's time: someone is still there."""
        if self._message_timer.isActive():
            self._message_timer.start(self.message_timeout_ms)

    def on_message_timeout(self) -> None:
        if not self._checking:
            self.reset()

    def _new_person(self) -> None:
        """A badge or name that starts a new attempt: the last person's message goes."""
        if self._unlocking is None:
            self._forget_lock()
            self._say("", "")

    def _forget_lock(self) -> None:
        self._locked = None
        self._unlocking = None
        self.unlock_button.setText(UNLOCK)
        self.unlock_button.setVisible(False)
        self.sign_in_button.setText(SIGN_IN_KEY)

    # input --------------------------------------------------------------------------------------
    def reset(self, message: str = "") -> None:
        self.badge_field.clear()
        self.pin_field.clear()
        self._unpick()
        self._checking = False
        self._forget_lock()
        self.sign_in_button.setEnabled(True)
        self._say("ok" if message else "", message)
        self.badge_field.setFocus()
        if not self._worker.closed:
            self.load_staff()

    def has_input(self) -> bool:
        return bool(self.badge_field.text() or self.pin_field.text() or self._picked
                    or self._unlocking)

    def on_pick(self, name: str, badge: str) -> None:
        self._new_person()
        self._picked = (name, badge)
        self.badge_field.clear()
        for button in self.staff_buttons:
            button.setChecked(button.property("badge") == badge)
        self.pin_for.setText(self._prompt(f"PIN for {name}"))
        self.pin_field.clear()
        self.pin_field.setFocus()

    def on_badge_typed(self, _text: str) -> None:
        if self._picked is not None:
            self._unpick()

    def _unpick(self) -> None:
        self._picked = None
        for button in self.staff_buttons:
            button.setChecked(False)
        self.pin_for.setText(self._prompt(PIN_PROMPT))

    def _prompt(self, default: str) -> str:
        if self._unlocking is None:
            return default
        return f"Unlock {self._unlocking[1]}: manager's badge or name, then PIN."

    def on_scanned(self, text: str) -> None:
        """A scan (wedge or serial) while this screen shows. Digits while a PIN is due (the
        PIN field has the focus, or a badge or name is given) are that PIN typed at scanner
        speed: they go to the masked field and are submitted, never shown as a badge."""
        text = text.strip()
        if text.isdigit() and (self.pin_field.hasFocus() or self._picked is not None
                               or self.badge_field.text().strip()):
            self.pin_field.setText(text[: self.pin_field.maxLength()])
            self.on_sign_in()
            return
        self.badge_field.setText(text)
        self.on_badge_entered()

    def on_badge_entered(self) -> None:
        if self.pin_field.text():
            self.on_sign_in()
            return
        self._new_person()
        self.pin_for.setText(self._prompt("Now enter your PIN"))
        self.pin_field.setFocus()

    def _badge(self) -> str:
        typed = self.badge_field.text().strip()
        return typed or (self._picked[1] if self._picked else "")

    def _who(self) -> str:
        """How to name the person a refusal was for: their name when tapped, else the badge."""
        return self._picked[0] if self._picked else self._badge()

    # verification -----------------------------------------------------------------------------
    def on_sign_in(self) -> None:
        if self._checking:
            return
        badge, pin = self._badge(), self.pin_field.text()
        if not badge:
            self._say("error", "Scan your badge or tap your name first.")
            self.badge_field.setFocus()
            return
        if not pin:
            self._say("error", "Enter your PIN.")
            self.pin_field.setFocus()
            return
        self._checking = True
        self.sign_in_button.setEnabled(False)
        self._say("", "Checking…")
        kiosk, unlocking, who = self._kiosk, self._unlocking, self._who()
        if unlocking is not None:
            Task(self._worker, lambda: kiosk.unlock_sign_in(badge, pin, unlocking[0])) \
                .success(self.on_unlocked).failure(self.on_refused).run()
            return
        Task(self._worker, lambda: kiosk.sign_in(badge, pin)) \
            .success(self.on_verified) \
            .failure(lambda error: self.on_refused(error, (badge, who))).run()

    def on_verified(self, staff: Staff) -> None:
        self._checking = False
        self.sign_in_button.setEnabled(True)
        self.badge_field.clear()
        self.pin_field.clear()
        self._unpick()
        self._forget_lock()
        self._say("", "")
        self.signed_in.emit(staff)

    def on_refused(self, error: BaseException, person: tuple[str, str] | None = None) -> None:
        """``person`` is (badge, how to name it) for a sign-in; None for an unlock."""
        self._checking = False
        self.sign_in_button.setEnabled(True)
        self.pin_field.clear()
        self.pin_field.setFocus()
        locked = isinstance(error, SignInRefused) and error.locked_until is not None
        if person is not None and locked:
            self._locked = person
            self.unlock_button.setText(UNLOCK)
            self.unlock_button.setVisible(True)
        self._say("error", describe(error))

    def on_unlock_button(self) -> None:
        """Start a manager unlock of the person shown as locked, or cancel it."""
        if self._unlocking is not None:
            self._unlocking = None
        elif self._locked is not None:
            self._unlocking = self._locked
        unlocking = self._unlocking is not None
        self.unlock_button.setText(CANCEL_UNLOCK if unlocking else UNLOCK)
        self.sign_in_button.setText(UNLOCK_KEY if unlocking else SIGN_IN_KEY)
        self.badge_field.clear()
        self.pin_field.clear()
        self._unpick()
        self._say("", "")
        self.badge_field.setFocus()

    def on_unlocked(self, name: str) -> None:
        self.reset(f"{name} can sign in again.")

    def on_error(self, sentence: str) -> None:
        self._say("error", sentence)
