"""The sync status strip on every screen. It only renders: the sync thread belongs to a
``SyncController``, whose states arrive here on the GUI thread."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.common.sync_controller import (
    STOP_WAIT_S,
    SYNC_INTERVAL_S,
    SyncController,
    SyncFactory,
)
from kiosk.ui.common.widgets import hbox, message_label, named, set_tone, touch_button

__all__ = ["LOCAL_ONLY", "SyncBar", "SyncFactory"]

LOCAL_ONLY = "Local only (no central server)"

CONNECTION_TEXT = {
    Connection.UNKNOWN: ("Connecting…", ""),
    Connection.ONLINE: ("● Online", "ok"),
    Connection.OFFLINE: ("● Offline — retrying", "amber"),
    Connection.REFUSED: ("● Refused by the server", "red"),
}


class SyncBar(QWidget):
    """Shows the ``SyncState`` of ``controller`` (by default a new one over ``factory``; None:
    a local-only kiosk). Create, start and ``stop()`` it on the GUI thread."""

    state_changed = Signal(object)  # SyncState, on the GUI thread, after it is shown

    def __init__(self, factory: SyncFactory | None, timezone: str = "UTC",
                 interval_s: float = SYNC_INTERVAL_S, parent: QWidget | None = None, *,
                 controller: SyncController | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.controller = controller or SyncController(factory, interval_s, self)
        self._zone = ZoneInfo(timezone)
        self.state: SyncState | None = None
        self._build()
        self.controller.state_changed.connect(self.on_state)
        if self.controller.local_only:
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

    # the controller's, for the window and the tests ------------------------------------------
    @property
    def running(self) -> bool:
        return self.controller.running

    def start(self) -> None:
        self.controller.start()

    def stop(self, wait_s: float = STOP_WAIT_S) -> bool:
        return self.controller.stop(wait_s)

    def sync_now(self) -> None:
        self.controller.sync_now()

    # showing ----------------------------------------------------------------------------------
    def on_sync_now(self) -> None:
        self.sync_now()
        if self.running and self.state is not None and not self.state.syncing:
            self.on_state(replace(self.state, syncing=True))  # until the round reports

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
