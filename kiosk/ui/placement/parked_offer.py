"""The carts parked at this kiosk, offered to whoever signs in next: Resume, or Discard with a
reason (picked from a list; none is preselected). Each choice is written on the writer thread
before the screen moves on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QWidget

from kiosk.domain.model import Staff
from kiosk.services import parking
from kiosk.services.context import ServiceContext
from kiosk.services.ports import ParkedCart
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, message_label, named, set_tone, touch_button, vbox
from kiosk.ui.common.workers import Task, Worker, sentence

BIG = TOUCH + 16


class ParkedOffer(Overlay):
    """``offer(staff)`` reads the parked carts and shows the oldest; emits ``resumed(Resumed)``
    once a resume is stored, and ``said(tone, text)`` for the screen's message line."""

    resumed = Signal(object)
    said = Signal(str, str)

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget) -> None:
        super().__init__("parkedOffer", parent)
        self._ctx, self._worker = ctx, worker
        self.staff: Staff | None = None
        self.carts: list[ParkedCart] = []
        self._busy = False
        self.heading = message_label("parkedHeading")
        self.lines_label = named(QLabel(""), "parkedLines")
        self.lines_label.setWordWrap(True)
        self.more = named(QLabel(""), "parkedMore")
        self.error = message_label("parkedError")
        self.resume_button = touch_button("Resume this cart", "resumeParkedButton", BIG)
        self.discard_button = touch_button("Discard with reason…", "discardParkedButton", BIG)
        self.later_button = touch_button("Not now (keep it parked)", "laterParkedButton", BIG)
        self.why = named(QLabel("Why is this cart discarded? Pick one:"), "discardWhy")
        self.reasons = QButtonGroup(self)
        self.reasons.setExclusive(True)
        self.reason_buttons: list[QPushButton] = []
        for text in parking.DISCARD_REASONS:
            button = touch_button(text, "discardReasonButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.reasons.addButton(button)
            self.reason_buttons.append(button)
        self.confirm_discard = touch_button("Discard the parked cart", "confirmDiscardButton", BIG)
        self.back_button = touch_button("Back", "discardBackButton", BIG)
        self.setLayout(vbox(self.heading, self.lines_label, self.more,
                            hbox(self.resume_button, self.discard_button, self.later_button),
                            self.why, *self.reason_buttons,
                            hbox(self.back_button, 1, self.confirm_discard),
                            self.error, 1))
        for widget in (*self.findChildren(QPushButton),):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.resume_button.clicked.connect(self.on_resume)
        self.discard_button.clicked.connect(lambda: self._asking(True))
        self.back_button.clicked.connect(lambda: self._asking(False))
        self.later_button.clicked.connect(self.close_overlay)
        self.reasons.buttonClicked.connect(lambda _b: self.confirm_discard.setEnabled(True))
        self.confirm_discard.clicked.connect(self.on_discard)

    @property
    def current(self) -> ParkedCart | None:
        return self.carts[0] if self.carts else None

    def offer(self, staff: Staff) -> None:
        """Read the carts parked here; show the oldest, if any."""
        self.staff = staff
        ctx = self._ctx
        Task(self._worker, lambda: parking.offered(ctx)).success(self.show_carts) \
            .failure(sentence(lambda text: self.said.emit("error", text))).run()

    def show_carts(self, carts: list[ParkedCart]) -> None:
        self.carts = list(carts)
        cart = self.current
        if cart is None or self.staff is None:
            self.close_overlay()
            return
        tz = self._ctx.settings.timezone
        self.heading.setText(parking.offer_sentence(cart, tz))
        self.lines_label.setText("\n".join(
            f"{line.quantity} × {line.name} ({line.sku})"
            + (f", lot {line.lot_number}" if line.lot_number else "") for line in cart.lines))
        rest = len(self.carts) - 1
        self.more.setText(f"{rest} more parked cart{'s' if rest != 1 else ''} after this one."
                          if rest else "")
        set_tone(self.error, "", "")
        self._asking(False)
        self.open()

    def _asking(self, asking: bool) -> None:
        """The reasons show only once Discard is tapped, with none picked."""
        self.reasons.setExclusive(False)
        for button in self.reason_buttons:
            button.setChecked(False)
            button.setVisible(asking)
        self.reasons.setExclusive(True)
        self.why.setVisible(asking)
        self.confirm_discard.setVisible(asking)
        self.confirm_discard.setEnabled(False)
        self.back_button.setVisible(asking)
        for button in (self.resume_button, self.discard_button, self.later_button):
            button.setVisible(not asking)

    def picked_reason(self) -> str:
        button = self.reasons.checkedButton()
        return button.text() if button is not None else ""

    def on_resume(self) -> None:
        cart, staff = self.current, self.staff
        if cart is None or staff is None or self._busy:
            return
        self._busy = True
        ctx = self._ctx
        Task(self._worker, lambda: parking.resume(ctx, staff, cart.id)) \
            .success(self.on_resumed).failure(sentence(self.on_failed)).run()

    def on_resumed(self, resumed: parking.Resumed) -> None:
        self._busy = False
        self.close_overlay()
        self.resumed.emit(resumed)

    def on_discard(self) -> None:
        cart, staff, reason = self.current, self.staff, self.picked_reason()
        if cart is None or staff is None or self._busy:
            return
        if not reason:
            set_tone(self.error, "error", "Pick why the parked cart is discarded, then tap "
                                          "Discard.")
            return
        self._busy = True
        ctx = self._ctx
        Task(self._worker, lambda: parking.discard(ctx, staff, cart.id, reason)) \
            .success(self.on_discarded).failure(sentence(self.on_failed)).run()

    def on_discarded(self, cart: ParkedCart) -> None:
        self._busy = False
        count = parking.item_count(cart)
        self.said.emit("warn", f"Parked cart of {count} item{'s' if count != 1 else ''} "
                               f"discarded: {cart.discard_reason}.")
        self.show_carts([c for c in self.carts if c.id != cart.id])

    def on_failed(self, text: str) -> None:
        self._busy = False
        set_tone(self.error, "error", text)

    def dismiss(self) -> None:
        """Hide without a choice (sign-out): the carts stay parked."""
        self.staff = None
        self.carts = []
        self.hide()
