"""The inventory screen's changes, for users with inventory:adjust only: a counted stock
adjustment (whole item or one lot) and quarantining or releasing a lot, each with a reason.
The panel collects the input; the screen runs the change on the writer thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from kiosk.domain.model import LotStatus
from kiosk.services.inventory_view import ItemDetail, LotRow
from kiosk.ui.common.widgets import hbox, line_edit, named, touch_button, vbox

WHOLE_ITEM = "Whole item (no lot)"


class InventoryActions(QWidget):
    """``adjust(lot_number or "", delta_text, reason)`` and ``set_status(lot_number, status,
    reason)`` ask the screen to make a change."""

    adjust = Signal(str, str, str)
    set_status = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryActions")
        self.reason_field = line_edit("inventoryReason", "Reason (needed for every change)")
        self.adjust_lot = named(QComboBox(), "inventoryAdjustLot")
        self.delta_field = line_edit("inventoryAdjustDelta", "Units +/−")
        self.delta_minus = touch_button("−", "inventoryDeltaMinus")
        self.delta_plus = touch_button("+", "inventoryDeltaPlus")
        self.adjust_button = touch_button("Adjust", "inventoryAdjustButton")
        self.lot_label = named(QLabel("Select a lot in the table."), "inventorySelectedLot")
        self.lot_label.setWordWrap(True)
        self.quarantine_button = touch_button("Quarantine", "inventoryQuarantineButton")
        self.release_button = touch_button("Release", "inventoryReleaseButton")
        layout = vbox(self.reason_field, self.adjust_lot,
                      hbox(self.delta_minus, (self.delta_field, 1), self.delta_plus,
                           self.adjust_button),
                      self.lot_label, hbox(self.quarantine_button, self.release_button))
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.delta_minus.clicked.connect(lambda: self._step(-1))
        self.delta_plus.clicked.connect(lambda: self._step(1))
        self.adjust_button.clicked.connect(self._on_adjust)
        self.quarantine_button.clicked.connect(lambda: self._on_status(LotStatus.QUARANTINED))
        self.release_button.clicked.connect(lambda: self._on_status(LotStatus.ACTIVE))
        self._lot: LotRow | None = None
        self.show_item(None)

    def _step(self, delta: int) -> None:
        text = self.delta_field.text().strip()
        try:
            value = int(text) if text not in ("", "-", "+") else 0
        except ValueError:
            value = 0
        self.delta_field.setText(f"{value + delta:+d}" if value + delta else "")

    def show_item(self, detail: ItemDetail | None) -> None:
        current = self.adjust_lot.currentData()
        self.adjust_lot.clear()
        if detail is not None:
            self.adjust_lot.addItem(WHOLE_ITEM, "")
            for lot in detail.lots:
                self.adjust_lot.addItem(f"Lot {lot.lot_number} ({lot.on_hand})", lot.lot_number)
            index = self.adjust_lot.findData(current)
            self.adjust_lot.setCurrentIndex(max(index, 0))
        self.adjust_button.setEnabled(detail is not None)
        for widget in (self.adjust_lot, self.delta_field, self.delta_minus, self.delta_plus):
            widget.setEnabled(detail is not None)
        self.show_lot(None)

    def show_lot(self, lot: LotRow | None) -> None:
        self._lot = lot
        if lot is None:
            self.lot_label.setText("Tap a lot to quarantine or release it.")
        else:
            self.lot_label.setText(f"Lot {lot.lot_number}: {lot.status}")
            index = self.adjust_lot.findData(lot.lot_number)
            if index >= 0:
                self.adjust_lot.setCurrentIndex(index)
        status = lot.status if lot else None
        self.quarantine_button.setEnabled(status == LotStatus.ACTIVE.value)
        self.release_button.setEnabled(status == LotStatus.QUARANTINED.value)

    def _on_adjust(self) -> None:
        self.adjust.emit(self.adjust_lot.currentData() or "", self.delta_field.text(),
                         self.reason_field.text())

    def _on_status(self, status: LotStatus) -> None:
        if self._lot is not None:
            self.set_status.emit(self._lot.lot_number, status, self.reason_field.text())

    def done(self) -> None:
        """A change was made: the next one needs its own count and reason."""
        self.delta_field.clear()
        self.reason_field.clear()

    def clear(self) -> None:
        self.done()
        self.show_item(None)
