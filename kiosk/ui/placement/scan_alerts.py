"""What the placement screen does with a scan that adds no line (``chairside.Blocked``).

A recalled or quarantined lot covers the screen (``RecallBlock``); an expired lot offers an
override: a user with ``inventory:adjust`` gives the reason (``OverridePanel``), anyone else
gives the reason and then a manager approves on the spot with badge and PIN
(``ManagerApproval``), without signing the user out. A label whose expiry contradicts the
catalog offers to go on with the label's expiry (the lot is flagged for the inventory manager);
an unknown barcode offers "Search the catalog by name" (``CatalogSearch``). Nothing is modal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.services.chairside import Blocked
from kiosk.services.context import ServiceContext
from kiosk.ui.common.catalog_search import CatalogSearch
from kiosk.ui.common.widgets import touch_button
from kiosk.ui.common.workers import Worker
from kiosk.ui.placement.manager_approval import ManagerApproval
from kiosk.ui.placement.override_panel import OverridePanel
from kiosk.ui.placement.recall_block import RecallBlock

OVERRIDE_LABEL = "Override…"
MANAGER_OVERRIDE_LABEL = "Manager override…"
LABEL_EXPIRY_LABEL = "Use the label's expiry"


class ScanAlerts(QObject):
    """Emits ``again(scan, scans, options)`` to resolve a held scan again with the options of
    ``chairside.resolve_line`` (override_reason, approver, label_expiry), and ``picked(sku)``
    for an item found by name."""

    again = Signal(object, object, object)
    picked = Signal(str)

    def __init__(self, ctx: ServiceContext, worker: Worker, screen: QWidget) -> None:
        super().__init__(screen)
        self.held: Blocked | None = None  # the expired, mismatched or unknown scan on offer
        self.staff: Staff | None = None
        self._reason = ""
        self.override_button = touch_button(OVERRIDE_LABEL, "overrideButton")
        self.label_expiry_button = touch_button(LABEL_EXPIRY_LABEL, "labelExpiryButton")
        self.catalog_button = touch_button("Search the catalog by name", "catalogButton")
        self.block = RecallBlock(screen)
        self.override_panel = OverridePanel(screen)
        self.manager = ManagerApproval(ctx, worker, screen)
        self.catalog = CatalogSearch(ctx, worker, screen)
        self.override_button.clicked.connect(self.on_override)
        self.override_panel.chosen.connect(self.on_reason)
        self.manager.approved.connect(self.on_approved)
        self.label_expiry_button.clicked.connect(self.on_label_expiry)
        self.catalog_button.clicked.connect(self.on_catalog)
        self.catalog.picked.connect(self.on_pick)
        self.offer(None)

    def overlays(self) -> tuple:
        return self.block, self.override_panel, self.manager, self.catalog

    def buttons(self) -> tuple[QPushButton, ...]:
        return self.override_button, self.label_expiry_button, self.catalog_button

    def show(self, blocked: Blocked, staff: Staff) -> None:
        self.staff = staff
        if blocked.kind in ("recalled", "quarantined"):
            self.block.show_block(blocked)
        elif blocked.kind == "expired":
            self.override_button.setText(OVERRIDE_LABEL if self._may_override()
                                         else MANAGER_OVERRIDE_LABEL)
            self.offer(blocked, self.override_button)
        elif blocked.kind == "mismatch":
            self.offer(blocked, self.label_expiry_button)
        elif blocked.kind == "unknown":
            self.offer(blocked, self.catalog_button)

    def offer(self, blocked: Blocked | None, button: QPushButton | None = None) -> None:
        self.held = blocked
        for each in self.buttons():
            each.setVisible(each is button)

    def _may_override(self) -> bool:
        return self.staff is not None and has_permission(self.staff.role,
                                                         Permission.INVENTORY_ADJUST)

    def on_override(self) -> None:
        if self.held is not None:
            self.override_panel.ask(self.held.sentence)

    def on_reason(self, reason: str) -> None:
        if self.held is None:
            return
        if self._may_override():
            self._again(override_reason=reason)
            return
        self._reason = reason
        what = f"Use expired lot {self.held.lot_number} ({self.held.sku}) because “{reason}”."
        # after the reason panel has closed (its ``closed`` hands the focus to the scan field)
        QTimer.singleShot(0, lambda: self.manager.ask(what))

    def on_approved(self, manager: Staff) -> None:
        self._again(override_reason=self._reason, approver=manager)

    def on_label_expiry(self) -> None:
        self._again(label_expiry=True)

    def _again(self, **options: object) -> None:
        held = self.held
        self.offer(None)
        if held is None:
            return
        if held.label_expiry:
            options.setdefault("label_expiry", True)
        self.again.emit(held.scan, held.scans, options)

    def on_catalog(self) -> None:
        sentence = self.held.sentence if self.held else ""
        self.catalog.start(f"{sentence} Pick the item; it is added without a lot.".strip())

    def on_pick(self, sku: str) -> None:
        self.offer(None)
        self.picked.emit(sku)
