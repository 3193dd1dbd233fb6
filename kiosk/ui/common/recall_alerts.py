"""The recall alert banner: shown at the chair and in Recalls while a recall that marked
lots waits for a manager's acknowledgement (issue 16). Plain widget; reads nothing itself."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.services.recall_watch_ports import RecallAlert
from kiosk.ui.common.widgets import TOUCH, set_tone


class RecallAlertBanner(QLabel):
    """Red, one line per the newest alert ("+N more" for the rest); hidden when none.
    ``detailed`` (Recalls) adds the recall's firm, class and status, and the items it may
    mean by words only, for the manager who acknowledges it."""

    def __init__(self, name: str = "recallAlertBanner", detailed: bool = False) -> None:
        super().__init__("")
        self.detailed = detailed
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
        first = self.alerts[0]
        text = first.banner + (f" (+{more} more)" if more else "")
        if self.detailed:
            text += f". {first.identity}." if first.identity else "."
            text += f" {first.review}" if first.review else ""
        set_tone(self, "red", text)
        self.show()
