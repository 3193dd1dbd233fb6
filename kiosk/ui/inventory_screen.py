"""Placeholder for the inventory section, being built (issue 6)."""

from __future__ import annotations

from kiosk.ui.section import Section
from kiosk.ui.widgets import vbox


class InventoryScreen(Section):
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "inventorySection", parent)
        self.setLayout(vbox(self.message, 1))

    def on_start(self) -> None:
        self.say("warn", "This screen is not built yet.")
