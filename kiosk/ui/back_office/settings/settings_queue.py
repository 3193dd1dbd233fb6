"""The Settings screen's sync queue: what waits to reach the central server, what was
quarantined and why, and "Sync now" (which wakes the window's sync thread).

The queue is read on the writer thread (``KioskApp.outbox_view``, admin:configure). After a
sync round the view reads it again, so "Sync now" shows its effect here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kiosk.services.ports import OutboxEntry
from kiosk.services.settings import QueueView
from kiosk.services.sync_status import SyncState
from kiosk.ui.back_office.settings.settings_central import heading
from kiosk.ui.common.sync_bar import SyncBar
from kiosk.ui.common.widgets import hbox, message_label, named, set_tone, touch_button, vbox


def describe_entry(entry: OutboxEntry, zone: ZoneInfo) -> str:
    when = entry.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry.event_type).replace("_", " ").lower()
    what = f"#{entry.kiosk_seq} {kind} · {when}"
    if entry.state == "QUARANTINED":
        return f"{what} · QUARANTINED: {entry.last_error or 'no reason was recorded'}"
    tries = f"{entry.attempts} attempt{'s' if entry.attempts != 1 else ''}"
    if entry.last_error:
        return f"{what} · waiting ({tries}; last error: {entry.last_error})"
    return f"{what} · waiting to sync"


def summary(view: QueueView) -> str:
    waiting = f"{view.pending} event{'s' if view.pending != 1 else ''} waiting to sync"
    if not view.quarantined:
        return f"{waiting}; none quarantined."
    return (f"{waiting}; {view.quarantined} quarantined: the server would not take them "
            "(the reason is on each line), so call IT.")


class QueuePanel(QWidget):
    """``refresh`` asks for the queue; ``load`` (run on the writer thread by the caller)
    is injected so this panel needs no kiosk of its own."""

    def __init__(self, load: Callable[[], None], timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._zone = ZoneInfo(timezone)
        self.bar: SyncBar | None = None
        self.view: QueueView | None = None
        self.summary = message_label("settingsQueueSummary")
        self.entries = named(QListWidget(), "settingsQueueList")
        self.entries.setWordWrap(True)
        self.sync_state = message_label("settingsSyncState")
        self.sync_button = touch_button("Sync now", "settingsSyncNow")
        self.refresh_button = touch_button("Refresh", "settingsQueueRefresh")
        self.sync_button.clicked.connect(self.on_sync_now)
        self.refresh_button.clicked.connect(self.refresh)
        self.setLayout(box := vbox(heading("Sync queue", "settingsQueueHeading"),
                                   hbox((self.summary, 1), self.refresh_button, self.sync_button),
                                   self.sync_state, (self.entries, 1)))
        box.setContentsMargins(0, 0, 0, 0)

    def attach(self, bar: SyncBar | None) -> None:
        """The window's sync strip (None outside a window): its thread is what "Sync now"
        wakes, and each round it reports refreshes this view."""
        if bar is self.bar:
            return
        if self.bar is not None:
            self.bar.state_changed.disconnect(self._on_sync_state)
        self.bar = bar
        if bar is not None:
            bar.state_changed.connect(self._on_sync_state)

    def refresh(self) -> None:
        self._load()

    def show_view(self, view: QueueView) -> None:
        self.view = view
        set_tone(self.summary, "error" if view.quarantined else "", summary(view))
        self.entries.clear()
        for entry in view.entries:
            item = QListWidgetItem(describe_entry(entry, self._zone))
            item.setData(Qt.ItemDataRole.UserRole, entry.event_id)
            self.entries.addItem(item)

    def on_sync_now(self) -> None:
        if self.bar is None or not self.bar.running:
            set_tone(self.sync_state, "warn", "This kiosk does not sync: it has no central "
                                              "server, or one was saved since it started. "
                                              "Restart the kiosk after saving an address.")
            return
        self.bar.on_sync_now()
        set_tone(self.sync_state, "", "Syncing…")

    def _on_sync_state(self, state: SyncState) -> None:
        if not self.isVisible():
            return
        if state.syncing:
            set_tone(self.sync_state, "", "Syncing…")
            return
        if state.last_error:
            set_tone(self.sync_state, "warn", f"Last round: {state.last_error}")
        elif state.last_sync is not None:
            when = state.last_sync.astimezone(self._zone).strftime("%H:%M:%S")
            set_tone(self.sync_state, "ok", f"Synced at {when}.")
        self.refresh()

    def clear(self) -> None:
        self.view = None
        self.entries.clear()
        set_tone(self.summary, "", "")
        set_tone(self.sync_state, "", "")
