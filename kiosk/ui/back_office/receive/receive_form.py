"""The receive screen's form for one box: item, lot, expiry, quantity, vendor, unit cost and
how many lot labels to print. Touch-sized: the quantity has − / + keys and a big keypad.
No store access here; the screen (``receive_screen``) loads and saves."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLayout, QLineEdit, QWidget

from kiosk.domain.rules import MAX_ADJUST_QUANTITY
from kiosk.services.labels import MAX_COPIES
from kiosk.services.receipts import BoxEntry, ReceiptDraft
from kiosk.ui.common.qty_keypad import QtyKeypad
from kiosk.ui.common.widgets import hbox, line_edit, named, touch_button, vbox

DEFAULT_LABELS = 1


def _step(field: QLineEdit, delta: int, low: int, high: int) -> None:
    try:
        value = int(field.text().strip() or 0)
    except ValueError:
        value = 0
    field.setText(str(min(high, max(low, value + delta))))


class ReceiveForm(QWidget):
    """Shows one ``ReceiptDraft`` for confirming; ``entry()`` is what the person confirmed."""

    def __init__(self, keypad_parent: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiveForm")
        self.draft: ReceiptDraft | None = None
        self.item_label = named(QLabel("No box scanned yet."), "receiveItem")
        self.item_label.setWordWrap(True)
        self.lot_field = line_edit("receiveLot", "Lot number on the box")
        self.expiry_field = line_edit("receiveExpiry", "YYYY-MM-DD (empty if none)")
        self.qty_field = line_edit("receiveQuantity", "Units received")
        self.qty_minus = touch_button("−", "receiveQtyMinus")
        self.qty_plus = touch_button("+", "receiveQtyPlus")
        self.qty_keypad_button = touch_button("Keypad", "receiveQtyKeypad")
        self.vendor_box = named(QComboBox(), "receiveVendor")
        self.cost_field = line_edit("receiveCost", "Unit cost, e.g. 3.36")
        self.labels_field = line_edit("receiveLabels", "Labels")
        self.labels_field.setText(str(DEFAULT_LABELS))
        self.labels_minus = touch_button("−", "receiveLabelsMinus")
        self.labels_plus = touch_button("+", "receiveLabelsPlus")
        self.keypad = QtyKeypad(keypad_parent)
        grid = QGridLayout()
        rows: tuple[tuple[str, QWidget | QLayout], ...] = (
                ("Item", self.item_label), ("Lot", self.lot_field),
                ("Expiry", self.expiry_field),
                ("Quantity", hbox(self.qty_minus, (self.qty_field, 1), self.qty_plus,
                                  self.qty_keypad_button)),
                ("Vendor", self.vendor_box), ("Unit cost", self.cost_field),
                ("Lot labels", hbox(self.labels_minus, (self.labels_field, 1),
                                    self.labels_plus)))
        for row, (title, part) in enumerate(rows):
            grid.addWidget(QLabel(title), row, 0)
            if isinstance(part, QWidget):
                grid.addWidget(part, row, 1)
            else:
                grid.addLayout(part, row, 1)
        grid.setColumnStretch(1, 1)
        self.setLayout(vbox(grid))
        self.qty_minus.clicked.connect(lambda: _step(self.qty_field, -1, 1, MAX_ADJUST_QUANTITY))
        self.qty_plus.clicked.connect(lambda: _step(self.qty_field, 1, 1, MAX_ADJUST_QUANTITY))
        self.labels_minus.clicked.connect(lambda: _step(self.labels_field, -1, 0, MAX_COPIES))
        self.labels_plus.clicked.connect(lambda: _step(self.labels_field, 1, 0, MAX_COPIES))
        self.qty_keypad_button.clicked.connect(self.open_keypad)
        self.keypad.chosen.connect(lambda n: self.qty_field.setText(str(n)))
        self.vendor_box.currentIndexChanged.connect(self._vendor_changed)
        self._set_enabled(False)

    def _fields(self) -> tuple[QWidget, ...]:
        return (self.lot_field, self.expiry_field, self.qty_field, self.qty_minus, self.qty_plus,
                self.qty_keypad_button, self.vendor_box, self.cost_field, self.labels_field,
                self.labels_minus, self.labels_plus)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in self._fields():
            widget.setEnabled(enabled)

    def show_draft(self, draft: ReceiptDraft) -> None:
        self.draft = draft
        known = " (lot already in stock)" if draft.known_lot else ""
        self.item_label.setText(f"{draft.sku} – {draft.item_name}{known}")
        self.lot_field.setText(draft.lot or "")
        self.expiry_field.setText(f"{draft.expiry:%Y-%m-%d}" if draft.expiry else "")
        self.qty_field.setText(str(draft.quantity) if draft.quantity else "")
        self.vendor_box.blockSignals(True)
        self.vendor_box.clear()
        for vendor in draft.vendors:
            star = " ★" if vendor.preferred else ""
            self.vendor_box.addItem(f"{vendor.name} – {vendor.unit_cost}{star}", vendor.name)
        self.vendor_box.blockSignals(False)
        default = draft.default_vendor
        if default is not None:
            self.vendor_box.setCurrentIndex(self.vendor_box.findData(default.name))
        self._vendor_changed()
        self._set_enabled(True)

    def fill_lot(self, lot: str | None, expiry) -> None:
        """A separate lot label (HIBCC secondary, GS1 without a product) completes the box."""
        if lot:
            self.lot_field.setText(lot)
        if expiry:
            self.expiry_field.setText(f"{expiry:%Y-%m-%d}")

    def _vendor_changed(self, _index: int = -1) -> None:
        draft, name = self.draft, self.vendor_box.currentData()
        vendor = next((v for v in draft.vendors if v.name == name), None) if draft else None
        self.cost_field.setText(str(vendor.unit_cost) if vendor else "")

    def open_keypad(self) -> None:
        current = self.qty_field.text().strip()
        self.keypad.ask(self.draft.sku if self.draft else "units",
                        int(current) if current.isdigit() else 0, MAX_ADJUST_QUANTITY)

    def entry(self) -> BoxEntry:
        return BoxEntry(lot=self.lot_field.text(), expiry=self.expiry_field.text(),
                        quantity=self.qty_field.text(), vendor=self.vendor_box.currentData() or "",
                        unit_cost=self.cost_field.text())

    def label_copies(self) -> int | str:
        """How many labels to print, or the sentence saying why the count is wrong."""
        text = self.labels_field.text().strip() or "0"
        if not text.isdigit() or int(text) > MAX_COPIES:
            return f"Print 0 to {MAX_COPIES} lot labels."
        return int(text)

    def clear(self) -> None:
        self.draft = None
        self.keypad.hide()
        self.item_label.setText("No box scanned yet.")
        for field in (self.lot_field, self.expiry_field, self.qty_field, self.cost_field):
            field.clear()
        self.vendor_box.clear()
        self._set_enabled(False)

    def reset(self) -> None:
        """Signed out: also the label count goes back (it is kept from box to box)."""
        self.clear()
        self.labels_field.setText(str(DEFAULT_LABELS))
