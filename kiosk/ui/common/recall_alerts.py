"""The recall alert banner: shown at the chair and in Recalls while a recall that marked
lots waits for a manager's acknowledgement (issue 16). Plain widget; reads nothing itself."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.services.recall_watch_ports import RecallAlert
from kiosk.ui.common.widgets import TOUCH, set_tone


class RecallAlertBanner(QLabel):
    """Red, one line per the newest alert ("+N more" for the rest); hidden when none."""

    def __init__(self, name: str = "recallAlertBanner") -> None:
        super().__init__("")
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setMinimumHeight(TOUCH)
        self.alerts: list[RecallAlert] = []
        self.hide()

    def show_alerts(self, alerts: list[RecallAlert]) -> None:
        self.alerts = list(alerts)
        if not self.alerts:
            set_tone(self, "", "")
            self.hide()
            return
        more = len(self.alerts) - 1
        text = self.alerts[0].banner + (f" (+{more} more)" if more else "")
        set_tone(self, "red", text)
        self.show()
