"""The kiosk window: the sync strip over a stack of screens, one kiosk, one writer executor.

The window owns the writer executor (unless given one), the sync thread (through its
``SyncBar``) and the idle watcher; closing it stops the sync thread and drains the writer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.ui.back_office.shell import BackOfficeScreen
from kiosk.ui.common.idle import IdleWatcher, idle_timeout_from
from kiosk.ui.common.onscreen_keyboard import KeyboardAttach, OnScreenKeyboard
from kiosk.ui.common.sync_bar import SyncBar, SyncFactory
from kiosk.ui.common.widgets import theme, vbox
from kiosk.ui.common.workers import Worker
from kiosk.ui.placement.placement_screen import PlacementScreen
from kiosk.ui.sign_in.sign_in_screen import SignInScreen


class MainWindow(QMainWindow):
    """Owns the worker unless one is given; closing the window drains and stops it."""

    def __init__(self, kiosk: Kiosk, worker: Worker | None = None,
                 parent: QWidget | None = None, *, sync: SyncFactory | None = None,
                 idle_timeout_s: float | None = None,
                 touch_keyboard: bool | None = None) -> None:
        """``sync`` builds the sync service on the sync thread; by default the kiosk's own
        (none for a local-only kiosk). ``idle_timeout_s`` overrides the config's.
        ``touch_keyboard`` (default: the config's ``touch_keyboard``, else on) opens the
        on-screen keyboard whenever a text field takes the focus."""
        super().__init__(parent)
        self.kiosk = kiosk
        self.worker = worker or Worker()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Ortho Supply Kiosk")
        self.setStyleSheet(theme())
        ctx = kiosk.context
        self.sign_in = SignInScreen(ctx, self.worker)
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
        self.sign_in.signed_in.connect(self.on_signed_in)
        self.placement.signed_out.connect(self.on_signed_out)
        self.placement.back_office.connect(self.on_back_office)
        self.back_office.signed_out.connect(self.on_signed_out)
        self.back_office.chairside.connect(self.on_chairside)
        self._idle_sign_out = False
        self._stopped = False
        self.sync_bar.start()
        self.idle.start()

    def on_scanned(self, text: str) -> None:
        """One scan from any scanner (wedge or serial), routed to the screen showing."""
        if self.stack.currentWidget() is self.placement:
            self.placement.scan_field.setText(text)
            self.placement.on_scan()
        elif self.stack.currentWidget() is self.back_office:
            self.back_office.on_scanned(text)
        else:
            self.sign_in.badge_field.setText(text)
            self.sign_in.on_badge_entered()
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

    def on_signed_out(self) -> None:
        self.placement.clear_session()
        if self.back_office.staff is not None:
            self.back_office.clear()
        self.stack.setCurrentWidget(self.sign_in)
        if self._idle_sign_out:
            minutes = self.idle.timeout_s / 60
            after = (f"{minutes:g} minute{'s' if minutes != 1 else ''}" if minutes >= 1
                     else f"{self.idle.timeout_s:g} seconds")
            self.sign_in.reset(f"Signed out after {after} without activity; the cart was "
                               "cleared.")
        else:
            self.sign_in.reset("Signed out.")
        self._idle_sign_out = False

    def on_idle(self) -> None:
        """No input for the idle time: sign out (or clear a half-typed sign-in), leaving
        nothing half-done behind."""
        if self.stack.currentWidget() is self.back_office:
            self._idle_sign_out = True
            self.back_office.on_sign_out()
            self.idle.start()
            return
        if self.stack.currentWidget() is not self.placement:
            if self.sign_in.has_input():  # someone walked away mid-PIN
                self.sign_in.reset()
            self.idle.start()
            return
        if getattr(self.placement, "_placing", False):  # a placement is being recorded
            self.idle.start()
            return
        self._idle_sign_out = True
        self.placement.on_sign_out()
        self.idle.start()

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
