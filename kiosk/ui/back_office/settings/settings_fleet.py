"""The Settings screen's Workstations page: every workstation of the clinic as its last
heartbeat left it (version, last sync, events queued and quarantined, last error, stale when
not heard from for 15 min), with Refresh.

The list comes from the central server (``KioskApp.fleet``), so it is read on the network
thread, never the GUI thread nor the writer (a server that does not answer must not hold up a
placement queued behind it). A read still under way when the user signs out is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kiosk.app import KioskApp
from kiosk.domain.errors import ConfigError
from kiosk.services.fleet import Fleet, FleetStation, heard_ago
from kiosk.ui.back_office.settings.settings_central import heading
from kiosk.ui.common.widgets import hbox, message_label, named, set_tone, touch_button, vbox
from kiosk.ui.common.workers import NETWORK, Runner, Task, describe


def describe_station(station: FleetStation, fleet: Fleet, zone: ZoneInfo) -> str:
    """Two or three short lines (a list cell does not wrap one long line reliably): who and
    when heard; last sync and queue; the last error, when there is one."""
    seen = station.seen
    first = [seen.workstation_id, f"v{seen.version or '?'}", heard_ago(station, fleet.as_of)]
    if station.this_kiosk:
        first.append("this kiosk")
    synced = (f"last sync {seen.last_sync.astimezone(zone):%Y-%m-%d %H:%M}"
              if seen.last_sync else "never synced")
    lines = [" · ".join(first), f"{synced} · {seen.queued} queued, {seen.quarantined} "
                                "quarantined"]
    if seen.last_error:
        lines.append(f"last error: {seen.last_error}")
    return "\n".join(lines)


class FleetPanel(QWidget):
    """``refresh()`` asks the server for the clinic's workstations as ``actor()``."""

    def __init__(self, kiosk: KioskApp, runner: Runner, actor: Callable[[], str],
                 timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kiosk, self._runner, self._actor = kiosk, runner, actor
        self._zone = ZoneInfo(timezone)
        self._asked = 0  # which request the panel waits for (older answers are dropped)
        self.fleet: Fleet | None = None
        self.summary = message_label("settingsFleetSummary")
        self.refresh_button = touch_button("Refresh", "settingsFleetRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.stations = named(QListWidget(), "settingsFleetList")
        self.stations.setWordWrap(True)  # a long last error wraps instead of being cut
        self.stations.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.stations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stations.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setLayout(box := vbox(heading("Workstations of this clinic", "settingsFleetHeading"),
                                   hbox((self.summary, 1), self.refresh_button),
                                   (self.stations, 1)))
        box.setContentsMargins(0, 0, 0, 0)

    def refresh(self) -> None:
        actor = self._actor()
        if not actor or not self.refresh_button.isEnabled():
            return  # signed out, or a read is under way (its answer will show)
        self._asked += 1
        asked, kiosk = self._asked, self._kiosk
        self.refresh_button.setEnabled(False)
        set_tone(self.summary, "", "Asking the central server…")
        (Task(self._runner, lambda: kiosk.fleet(actor), NETWORK)
         .success(lambda fleet: self._on_fleet(asked, fleet))
         .failure(lambda error: self._on_failed(asked, error)).run())

    def _on_fleet(self, asked: int, fleet: Fleet) -> None:
        if asked != self._asked:
            return
        self.refresh_button.setEnabled(True)
        self.fleet = fleet
        troubled = any(s.stale or s.seen.queued or s.seen.quarantined or s.seen.last_error
                       for s in fleet.stations)
        set_tone(self.summary, "warn" if troubled else "ok", fleet.summary())
        self.stations.clear()
        for station in fleet.stations:
            self.stations.addItem(QListWidgetItem(describe_station(station, fleet, self._zone)))

    def _on_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.refresh_button.setEnabled(True)
        self.fleet = None
        self.stations.clear()
        set_tone(self.summary, "warn" if isinstance(error, ConfigError) else "error",
                 describe(error))

    def clear(self) -> None:
        self._asked += 1  # an answer still on its way is for the previous user
        self.fleet = None
        self.refresh_button.setEnabled(True)
        self.stations.clear()
        set_tone(self.summary, "", "")
