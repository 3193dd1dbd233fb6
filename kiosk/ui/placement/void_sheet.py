"""The void sheet: which lines of the last placement to void, and why.

It names the patient, lists each line with a touch checkbox (all ticked at first, untick what
stays), has no reason picked until the user picks one, and voids only with its last button
("Void 2 lines"). It covers the screen, away from Confirm; it is not a modal dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QScrollArea, QVBoxLayout, QWidget

from kiosk.services.chairside import PlacedLine, PlacedLines
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, message_label, named, touch_button, vbox

VOID_REASONS = ("Wrong patient", "Wrong item", "Dropped/contaminated", "Other")
CHECKBOX_STYLE = (f"QCheckBox {{ min-height: {TOUCH}px; }} "
                  "QCheckBox::indicator { width: 36px; height: 36px; }")


def line_text(line: PlacedLine) -> str:
    lot = f" · lot {line.lot_number}" if line.lot_number else " · no lot"
    return f"{line.sku} · {line.name}{lot} · ×{line.quantity}"


class VoidSheet(Overlay):
    """Emits ``chosen(usage_ids, reason)`` when the user voids; ``closed`` when it goes."""

    chosen = Signal(object, str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("voidSheet", parent)
        self.heading = named(QLabel(""), "voidHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.note = message_label("voidSheetNote")
        self.checks: list[tuple[QCheckBox, PlacedLine]] = []
        self._box = QVBoxLayout()
        body = QWidget()
        body.setLayout(self._box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reasons = named(QListWidget(), "voidReasons")
        self.reasons.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reasons.addItems(VOID_REASONS)
        self.reasons.setMaximumHeight(4 * (TOUCH + 4))
        self.error = message_label("voidError")
        self.void_button = touch_button("Void", "voidSheetButton", TOUCH + 16)
        self.cancel_button = touch_button("Cancel — keep them", "voidCancelButton", TOUCH + 16)
        self.setLayout(vbox(self.heading, self.note, (scroll, 1), QLabel("Why void them?"),
                            self.reasons, self.error,
                            hbox(self.cancel_button, 1, self.void_button)))
        self.reasons.itemSelectionChanged.connect(self._update)
        self.void_button.clicked.connect(self.on_void)
        self.cancel_button.clicked.connect(self.close_overlay)

    def show_lines(self, placed: PlacedLines, note: str = "") -> None:
        """Open over the placement ``placed``: its open lines ticked, no reason picked."""
        for check, _line in self.checks:
            self._box.removeWidget(check)
            check.deleteLater()
        self.checks = []
        for line in placed.open_lines:
            check = named(QCheckBox(line_text(line)), f"voidLine{len(self.checks)}")
            check.setStyleSheet(CHECKBOX_STYLE)
            check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            check.setChecked(True)
            check.toggled.connect(self._update)
            self._box.addWidget(check)
            self.checks.append((check, line))
        self._box.addStretch(1)
        who = f"{placed.patient_name} ({placed.chart_number})" if placed.chart_number else "?"
        self.heading.setText(f"Void supplies recorded for {who}")
        self.note.setText(note)
        self.reasons.clearSelection()
        self.reasons.setCurrentRow(-1)
        self.reasons.clearSelection()
        self.error.setText("")
        self._update()
        self.open()

    def chosen_ids(self) -> tuple[str, ...]:
        return tuple(line.usage_id for check, line in self.checks if check.isChecked())

    def reason(self) -> str:
        items = self.reasons.selectedItems()
        return items[0].text() if items else ""

    def on_void(self) -> None:
        ids, reason = self.chosen_ids(), self.reason()
        if not ids or not reason:
            return
        self.hide()
        self.chosen.emit(ids, reason)
        self.closed.emit()

    def _update(self) -> None:
        count, reason = len(self.chosen_ids()), self.reason()
        self.void_button.setText(f"Void {count} line{'s' if count != 1 else ''}")
        self.void_button.setEnabled(bool(count and reason))
        if not count:
            self.error.setText("Tick the lines to void.")
        elif not reason:
            self.error.setText("Pick the reason first.")
        else:
            self.error.setText("")
