"""Full-screen block for a recalled (red) or quarantined (amber) lot, ended by an explicit tap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.services.chairside import Blocked
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, named, touch_button, vbox

TONES = {"recalled": ("#b71c1c", "white", "RECALLED LOT"),
         "quarantined": ("#ffb300", "#2b1d00", "QUARANTINED LOT")}


def _label(name: str, size: int) -> QLabel:
    label = named(QLabel(""), name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"font-size: {size}pt; font-weight: bold; background: transparent;")
    return label


class RecallBlock(Overlay):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("lotBlock", parent, TONES["recalled"][0])
        self.kind = ""
        self.title = _label("blockTitle", 34)
        self.item = _label("blockItem", 20)
        self.lot = _label("blockLot", 24)
        self.notice = _label("blockNotice", 18)
        self.instruction = _label("blockInstruction", 26)
        self.dismiss_button = touch_button("I have set it aside", "dismissBlockButton",
                                           TOUCH + 32)
        self.dismiss_button.clicked.connect(self.close_overlay)
        self.setLayout(vbox(1, self.title, self.item, self.lot, self.notice, self.instruction, 1,
                            self.dismiss_button))

    def show_block(self, blocked: Blocked) -> None:
        self.kind = blocked.kind
        background, colour, title = TONES.get(blocked.kind, TONES["recalled"])
        self.setStyleSheet(f"QWidget#lotBlock {{ background: {background}; }} "
                           f"QWidget#lotBlock QLabel {{ color: {colour}; }}")
        self.title.setText(title)
        self.item.setText(f"{blocked.sku} · {blocked.name}")
        self.lot.setText(f"Lot {blocked.lot_number}")
        if blocked.kind == "recalled":
            self.notice.setText(blocked.notice or "Recall notice: see the inventory manager.")
        else:
            self.notice.setText("This lot is on hold until the inventory manager releases it.")
        self.instruction.setText("Set it aside — do not use")
        self.open()
