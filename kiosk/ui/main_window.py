"""The kiosk window: the sync strip over a stack of screens, one kiosk, one writer executor.

The window owns the writer executor (unless given one), the sync thread (through its
``SyncBar``) and the idle watcher; closing it stops the sync thread and drains the writer.

Leaving never throws a cart away: a non-empty cart is parked in the store (``CartParker``)
and the window says "signed out" only once that write is committed. Idle time first shows a
countdown any tap, key or scan cancels; the cart is parked when the countdown starts, so a
crash during it loses nothing. The next user at this kiosk is offered the parked carts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.services import parking
from kiosk.services.ports import ParkedCart
from kiosk.ui.back_office.shell import BackOfficeScreen
from kiosk.ui.common.countdown import DEFAULT_COUNTDOWN_S, SignOutCountdown
from kiosk.ui.common.idle import IdleWatcher, idle_timeout_from
from kiosk.ui.common.onscreen_keyboard import KeyboardAttach, OnScreenKeyboard
from kiosk.ui.common.sync_bar import SyncBar, SyncFactory
from kiosk.ui.common.widgets import theme, vbox
from kiosk.ui.common.workers import Worker
from kiosk.ui.placement.cart_parking import CartParker
from kiosk.ui.placement.parked_offer import ParkedOffer
from kiosk.ui.placement.placement_screen import PlacementScreen
from kiosk.ui.sign_in.sign_in_screen import SignInScreen


class MainWindow(QMainWindow):
    """Owns the worker unless one is given; closing the window drains and stops it."""

    def __init__(self, kiosk: Kiosk, worker: Worker | None = None,
                 parent: QWidget | None = None, *, sync: SyncFactory | None = None,
                 idle_timeout_s: float | None = None,
                 countdown_s: float = DEFAULT_COUNTDOWN_S,
                 touch_keyboard: bool | None = None) -> None:
        """``sync`` builds the sync service on the sync thread; by default the kiosk's own
        (none for a local-only kiosk). ``idle_timeout_s`` overrides the config's;
        ``countdown_s`` is how long the sign-out countdown after it lasts.
        ``touch_keyboard`` (default: the config's ``touch_keyboard``, else on) opens the
        on-screen keyboard whenever a text field takes the focus."""
        super().__init__(parent)
        self.kiosk = kiosk
        self.worker = worker or Worker()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Ortho Supply Kiosk")
        self.setStyleSheet(theme())
        ctx = kiosk.context
        self.sign_in = SignInScreen(kiosk, self.worker)
        self.placement = PlacementScreen(ctx, self.worker, kiosk=kiosk)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.placement)
        self.back_office = BackOfficeScreen(kiosk, self.worker)
        self.stack.addWidget(self.back_office)
        if sync is None and kiosk.config.mongo_uri:
            sync = kiosk.sync_service
        self.sync_bar = SyncBar(sync, ctx.settings.timezone)
        self.sync_bar.state_changed.connect(self.placement.on_sync_state)
        self.scanner_state = QLabel()
        self.scanner_state.setObjectName("scannerState")
        self.scanner_state.setVisible(False)
        body = QWidget()
        body.setObjectName("body")
        layout = vbox(self.sync_bar, self.scanner_state, (self.stack, 1))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        body.setLayout(layout)
        self.setCentralWidget(body)
        self.keyboard = OnScreenKeyboard(ctx.today, body)  # floats over the screens
        if touch_keyboard is None:
            touch_keyboard = bool(getattr(kiosk.config, "touch_keyboard", True))
        self.keyboard_attach = KeyboardAttach(self, self.keyboard) if touch_keyboard else None
        self.idle = IdleWatcher(idle_timeout_s or idle_timeout_from(kiosk.config), self)
        self.idle.timed_out.connect(self.on_idle)
        self._build_leaving(countdown_s)
        self.sign_in.signed_in.connect(self.on_signed_in)
        self.placement.back_office.connect(self.on_back_office)
        self.back_office.chairside.connect(self.on_chairside)
        self._stopped = False
        self.sync_bar.start()
        self.idle.start()

    def _build_leaving(self, countdown_s: float) -> None:
        """The sign-out countdown, the cart parker and the parked-cart offer."""
        ctx = self.kiosk.context
        self.countdown = SignOutCountdown(self.stack, countdown_s)
        self.countdown.expired.connect(self.on_countdown_expired)
        self.countdown.cancelled.connect(self.on_countdown_cancelled)
        self.parker = CartParker(ctx, self.worker, self.placement)
        self.parker.done.connect(self.on_cart_parked)
        self.parker.failed.connect(self.on_park_failed)
        self.parked_offer = ParkedOffer(ctx, self.worker, self.placement)
        self.parked_offer.resumed.connect(self.placement.restore_parked)
        self.parked_offer.said.connect(self.placement.say)
        self.parked_offer.closed.connect(self.placement.scan_field.setFocus)
        self.placement.signed_out.connect(lambda: self.leave(parking.SIGN_OUT))
        self.back_office.signed_out.connect(lambda: self.leave(parking.SIGN_OUT))
        self._idle_sign_out = False
        self._leaving: str | None = None  # why we sign out once the cart is parked
        self._keep_after_park = False  # the countdown was cancelled while the park was written
        self._parked: ParkedCart | None = None

    def on_scanned(self, text: str) -> None:
        """One scan from any scanner (wedge or serial), routed to the screen showing."""
        self.countdown.cancel()  # a scan is a reason to stay
        if self.stack.currentWidget() is self.placement:
            self.placement.scan_field.setText(text)
            self.placement.on_scan()
        elif self.stack.currentWidget() is self.back_office:
            self.back_office.on_scanned(text)
        else:
            self.sign_in.on_scanned(text)
        self.idle.start()  # a scan is activity

    def on_scanner_state(self, state: str, detail: str) -> None:
        """The serial scanner's state, shown until it is connected again."""
        self.scanner_state.setVisible(state != "connected")
        self.scanner_state.setText(f"Scanner: {detail}")

    def on_signed_in(self, staff: Staff) -> None:
        """Chairside staff start at the placement screen; the others (inventory manager,
        IT) at the back office."""
        if has_permission(staff.role, Permission.APPLIANCE_UPDATE):
            self.stack.setCurrentWidget(self.placement)
            self.placement.start(staff)
            self.parked_offer.offer(staff)  # the carts parked here, if any
        else:
            self.stack.setCurrentWidget(self.back_office)
            self.back_office.start(staff)
        self.idle.start()  # a fresh idle period for the new session

    def on_back_office(self) -> None:
        staff = self.placement.staff
        if staff is not None:
            self.stack.setCurrentWidget(self.back_office)
            self.back_office.start(staff)

    def on_chairside(self) -> None:
        """Back to the placement screen, its cart as it was left."""
        staff = self.back_office.staff
        if staff is not None and has_permission(staff.role, Permission.APPLIANCE_UPDATE):
            self.stack.setCurrentWidget(self.placement)
            if self.placement.staff is None:
                self.placement.start(staff)

    # leaving: park the cart, then sign out ---------------------------------------------------
    def leave(self, cause: str) -> None:
        """Sign out (``cause`` is parking.SIGN_OUT or IDLE) once the cart is parked."""
        if getattr(self.placement, "_placing", False):  # a placement is being recorded
            self.stack.setCurrentWidget(self.placement)
            self.placement.say("error", "The placement is still being recorded; sign out "
                                        "once it says Recorded.")
            return
        self._leaving = cause
        if not self.parker.pending:
            self.parker.park(cause)  # done/failed follow; done at once for an empty cart

    def on_cart_parked(self, _cart: ParkedCart | None) -> None:
        if self._keep_after_park:  # the user stayed while it was being written
            self._keep_after_park = False
            self.parker.keep()
            if self._leaving is not None:  # ...then signed out: park the cart as it is now
                self.parker.park(self._leaving)
            return
        if self._leaving is not None:
            self._finish_sign_out()

    def on_park_failed(self, text: str) -> None:
        """Not parked, so not signed out: the cart stays on screen and the user is told."""
        self._leaving = None
        self._keep_after_park = False
        self.countdown.stop()
        if self.placement.staff is not None:
            self.stack.setCurrentWidget(self.placement)
        self.placement.say("error", f"Could not park the cart, so you are still signed in: "
                                    f"{text} Confirm the cart, or try Sign out again.")
        self.idle.start()

    def _finish_sign_out(self) -> None:
        self._idle_sign_out = self._leaving == parking.IDLE
        self._leaving = None
        self._parked = self.parker.take()
        self.on_signed_out()

    def on_signed_out(self) -> None:
        self.countdown.stop()
        self.parked_offer.dismiss()
        self.placement.clear_session()
        if self.back_office.staff is not None:
            self.back_office.clear()
        self.stack.setCurrentWidget(self.sign_in)
        parked, self._parked = self._parked, None
        kept = (f" The cart ({parking.item_count(parked)} items) was parked; it is offered at "
                "the next sign-in." if parked is not None else "")
        if self._idle_sign_out:
            minutes = self.idle.timeout_s / 60
            after = (f"{minutes:g} minute{'s' if minutes != 1 else ''}" if minutes >= 1
                     else f"{self.idle.timeout_s:g} seconds")
            self.sign_in.reset(f"Signed out after {after} without activity.{kept}")
        else:
            self.sign_in.reset(f"Signed out.{kept}")
        self._idle_sign_out = False
        self.idle.start()

    def on_idle(self) -> None:
        """No input for the idle time: a countdown, then sign out (or clear a half-typed
        sign-in), leaving nothing half-done behind and no cart thrown away."""
        signed_in = (self.stack.currentWidget() is self.back_office
                     or self.stack.currentWidget() is self.placement)
        if not signed_in:
            if self.sign_in.has_input():  # someone walked away mid-PIN
                self.sign_in.reset()
            self.idle.start()
            return
        if getattr(self.placement, "_placing", False) or self._leaving is not None:
            self.idle.start()
            return
        count = sum(line.quantity for line in self.placement.cart.lines)
        self.countdown.run(f"The cart ({count} item{'s' if count != 1 else ''}) is kept for "
                           "the next sign-in." if count else "")
        self.parker.park(parking.IDLE)  # durable before the countdown ends

    def on_countdown_cancelled(self) -> None:
        """Someone is here: stay, and close the copy parked when the countdown started."""
        if self.parker.pending:
            self._keep_after_park = True
        else:
            self.parker.keep()
        self.idle.start()

    def on_countdown_expired(self) -> None:
        if getattr(self.placement, "_placing", False):
            self.on_countdown_cancelled()
            return
        self._leaving = parking.IDLE
        if not self.parker.pending:
            self._finish_sign_out()

    def shutdown(self) -> None:
        """Stop the sync thread, let queued work (perhaps a placement being committed)
        finish, then stop the writer thread."""
        if not self._stopped:
            self._stopped = True
            self.idle.stop()
            if self.keyboard_attach is not None:
                self.keyboard_attach.detach()
            self.sync_bar.stop()
            self.worker.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
