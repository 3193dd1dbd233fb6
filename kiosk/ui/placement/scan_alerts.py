"""What the placement screen does with a scan that adds no line (``operations.Blocked``).

A recalled or quarantined lot covers the screen (``RecallBlock``); an expired lot offers an
"Override…" button to users with ``inventory:adjust`` (``OverridePanel`` takes the reason); an
unknown barcode offers "Search the catalog by name" (``CatalogSearch``). Nothing here is modal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.services.chairside import Blocked
from kiosk.services.context import ServiceContext
from kiosk.ui.common.widgets import touch_button
from kiosk.ui.common.workers import Worker
from kiosk.ui.placement.catalog_search import CatalogSearch
from kiosk.ui.placement.override_panel import OverridePanel
from kiosk.ui.placement.recall_block import RecallBlock


class ScanAlerts(QObject):
    """Emits ``override(scan, scans, reason)`` to resolve an expired scan again with a reason,
    and ``picked(sku)`` for an item found by name."""

    override = Signal(object, object, str)
    picked = Signal(str)

    def __init__(self, ctx: ServiceContext, worker: Worker, screen: QWidget) -> None:
        super().__init__(screen)
        self.held: Blocked | None = None  # the expired or unknown scan on offer
        self.override_button = touch_button("Override…", "overrideButton")
        self.catalog_button = touch_button("Search the catalog by name", "catalogButton")
        self.block = RecallBlock(screen)
        self.override_panel = OverridePanel(screen)
        self.catalog = CatalogSearch(ctx, worker, screen)
        self.override_button.clicked.connect(self.on_override)
        self.override_panel.chosen.connect(self.on_reason)
        self.catalog_button.clicked.connect(self.on_catalog)
        self.catalog.picked.connect(self.on_pick)
        self.offer(None)

    def overlays(self) -> tuple:
        return self.block, self.override_panel, self.catalog

    def show(self, blocked: Blocked, staff: Staff) -> None:
        if blocked.kind in ("recalled", "quarantined"):
            self.block.show_block(blocked)
        elif blocked.kind == "expired" and has_permission(staff.role, Permission.INVENTORY_ADJUST):
            self.offer(blocked, self.override_button)
        elif blocked.kind == "unknown":
            self.offer(blocked, self.catalog_button)

    def offer(self, blocked: Blocked | None, button: QPushButton | None = None) -> None:
        self.held = blocked
        self.override_button.setVisible(button is self.override_button)
        self.catalog_button.setVisible(button is self.catalog_button)

    def on_override(self) -> None:
        if self.held is not None:
            self.override_panel.ask(self.held.sentence)

    def on_reason(self, reason: str) -> None:
        held = self.held
        self.offer(None)
        if held is not None:
            self.override.emit(held.scan, held.scans, reason)

    def on_catalog(self) -> None:
        sentence = self.held.sentence if self.held else ""
        self.catalog.start(f"{sentence} Pick the item; it is added without a lot.".strip())

    def on_pick(self, sku: str) -> None:
        self.offer(None)
        self.picked.emit(sku)
