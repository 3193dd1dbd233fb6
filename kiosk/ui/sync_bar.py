"""The sync status strip on every screen, and the background thread that syncs.

``SyncService.run_forever`` runs on the bar's own thread (not the writer executor, so a long
push never delays a placement). The service calls back from that thread; the bar re-emits each
state as a Qt signal, queued to the GUI thread, where the labels are updated
(core → callbacks → signals).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.services.sync import SyncService
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.widgets import hbox, message_label, named, set_tone, touch_button
from kiosk.ui.workers import describe

log = logging.getLogger(__name__)

SYNC_INTERVAL_S = 30.0
STOP_WAIT_S = 15.0
LOCAL_ONLY = "Local only (no central server)"

SyncFactory = Callable[[], tuple[SyncService, Callable[[], None]] | None]

CONNECTION_TEXT = {
    Connection.UNKNOWN: ("Connecting…", ""),
    Connection.ONLINE: ("● Online", "ok"),
    Connection.OFFLINE: ("● Offline — retrying", "amber"),
    Connection.REFUSED: ("● Refused by the server", "red"),
}


class SyncBar(QWidget):
    """Shows a ``SyncState``; ``start()`` runs the sync thread built by ``factory`` (None:
    a local-only kiosk). Create, start and ``stop()`` it on the GUI thread."""

    state_changed = Signal(object)  # SyncState, on the GUI thread
    _from_sync_thread = Signal(object)

    def __init__(self, factory: SyncFactory | None, timezone: str = "UTC",
                 interval_s: float = SYNC_INTERVAL_S, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._factory = factory
        self._zone = ZoneInfo(timezone)
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._service: SyncService | None = None
        self._sync_asked = False
        self._thread: threading.Thread | None = None
        self.state: SyncState | None = None
        self._build()
        self._from_sync_thread.connect(self.on_state, Qt.ConnectionType.QueuedConnection)
        if factory is None:
            self._show_local_only()
        else:
            self.on_state(SyncState())

    def _build(self) -> None:
        self.connection_label = named(QLabel(""), "syncConnection")
        self.queue_label = named(QLabel(""), "syncQueue")
        self.last_sync_label = named(QLabel(""), "syncLast")
        self.error_label = message_label("syncError")
        self.error_label.setWordWrap(False)
        # a long error must not widen the window past 1280 px: the label gives way instead
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.alert_label = message_label("syncAlert")
        self.sync_now_button = touch_button("Sync now", "syncNowButton")
        self.setLayout(box := hbox(self.connection_label, self.queue_label, self.last_sync_label,
                                   (self.error_label, 1), self.alert_label, self.sync_now_button))
        box.setContentsMargins(12, 4, 12, 4)
        box.setSpacing(18)
        self.setMinimumHeight(48)
        self.sync_now_button.clicked.connect(self.on_sync_now)

    # the thread -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._factory is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, wait_s: float = STOP_WAIT_S) -> bool:
        """Stop after the round in progress; False if it did not end within ``wait_s``."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(wait_s)
        if thread.is_alive():
            log.warning("The sync thread was still busy when the window closed")
            return False
        return True

    def _run(self) -> None:
        """The sync thread: build the service (it reads the store), then sync until stopped."""
        factory = self._factory
        if factory is None:  # start() runs no thread then
            return
        try:
            built = factory()
        except Exception as error:  # a bad URI or an unreadable store: show it, stop syncing
            log.exception("The sync service could not be started")
            self._from_sync_thread.emit(SyncState(connection=Connection.REFUSED,
                                                  last_error=describe(error)))
            return
        if built is None:
            return
        service, close = built
        unsubscribe = service.on_state(self._from_sync_thread.emit)
        with self._lock:
            self._service = service
            asked = self._sync_asked
        try:
            if asked:
                service.sync_now()
            service.run_forever(self._stop, self._interval_s)
        finally:
            unsubscribe()
            with self._lock:
                self._service = None
            close()

    def sync_now(self) -> None:
        """Ask for a round at once (also lifts the hold after a refusal). Returns at once."""
        with self._lock:
            service = self._service
            self._sync_asked = service is None
        if service is not None:
            service.sync_now()

    # showing ----------------------------------------------------------------------------------
    def on_sync_now(self) -> None:
        self.sync_now()
        if self.running and self.state is not None and not self.state.syncing:
            self.on_state(replace(self.state, syncing=True))  # until the round reports

    @Slot(object)
    def on_state(self, state: SyncState) -> None:
        self.state = state
        text, tone = CONNECTION_TEXT[state.connection]
        if state.syncing:
            text += " · syncing…"
        set_tone(self.connection_label, tone, text)
        self.queue_label.setText(f"{state.queue_depth} queued")
        when = (state.last_sync.astimezone(self._zone).strftime("%H:%M")
                if state.last_sync else "never")
        self.last_sync_label.setText(f"Last sync {when}")
        error = state.last_error if state.connection is not Connection.ONLINE else None
        set_tone(self.error_label, "warn" if error else "", _shorten(error or ""))
        if state.quarantined:
            noun = "event" if state.quarantined == 1 else "events"
            set_tone(self.alert_label, "red",
                     f"⚠ {state.quarantined} {noun} quarantined — call IT")
        else:
            set_tone(self.alert_label, "", "")
        for label in (self.queue_label, self.last_sync_label, self.sync_now_button):
            label.setVisible(True)
        self.error_label.setVisible(bool(error))
        self.alert_label.setVisible(bool(state.quarantined))
        self.sync_now_button.setEnabled(not state.syncing)
        self.state_changed.emit(state)

    def _show_local_only(self) -> None:
        set_tone(self.connection_label, "", LOCAL_ONLY)
        for widget in (self.queue_label, self.last_sync_label, self.error_label,
                       self.alert_label, self.sync_now_button):
            widget.setVisible(False)

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
