"""Pick a procedure kit: its lines join the cart as *expected*, filled by the scans."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.services.kits import Kit
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, touch_button, vbox


class KitPicker(Overlay):
    """Emits ``picked(kit)``; one big button per kit."""

    picked = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kitPicker", parent)
        self.kits: list[Kit] = []
        self.kit_buttons: list = []
        self._box = vbox(QLabel("Pick the procedure kit"))
        self.cancel_button = touch_button("Cancel", "kitCancelButton", TOUCH + 16)
        self.cancel_button.clicked.connect(self.close_overlay)
        self.setLayout(vbox(self._box, 1, hbox(1, self.cancel_button)))

    def set_kits(self, kits: list[Kit]) -> None:
        for button in self.kit_buttons:
            button.deleteLater()
        self.kits = list(kits)
        self.kit_buttons = []
        for number, kit in enumerate(self.kits):
            count = sum(line.quantity for line in kit.lines)
            button = touch_button(f"{kit.name}  ({len(kit.lines)} lines, {count} pieces)",
                                  f"kitButton{number}", TOUCH + 16)
            button.clicked.connect(lambda _checked=False, k=kit: self.on_pick(k))
            self._box.addWidget(button)
            self.kit_buttons.append(button)

    def on_pick(self, kit: Kit) -> None:
        self.hide()
        self.picked.emit(kit)
        self.closed.emit()
