"""The cart side of the placement screen: table, total, quantity controls, kits, confirm.

Quantities change with big −/+ buttons or the ``QtyKeypad`` overlay; a picked kit
(``KitPicker`` overlay) adds *expected* rows that the scans fill. Nothing here touches the store.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.services.cart import Cart
from kiosk.services.kits import Kit
from kiosk.ui.common.flow_layout import FlowLayout
from kiosk.ui.common.qty_keypad import QtyKeypad
from kiosk.ui.common.widgets import TOUCH, named, touch_button, vbox
from kiosk.ui.placement.cart_table import CartTable, money
from kiosk.ui.placement.kit_picker import KitPicker


class CartPanel(QWidget):
    """Emits ``said(tone, text)`` for the screen's message and ``touched`` after each tap, so
    the screen gives the focus back to the scan field. Overlays cover ``screen``."""

    said = Signal(str, str)
    touched = Signal()
    rendered = Signal()  # after each redraw of the cart (a line added, changed or removed)

    def __init__(self, cart: Cart, screen: QWidget) -> None:
        super().__init__()
        self.cart = cart
        self.placing = False
        self._keypad_row: int | None = None
        self.kit_button = touch_button("Procedure kit…", "kitButton")
        self.cart_table = CartTable()
        self.total_label = named(QLabel("Total $0.00"), "totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.minus_button = touch_button("−", "minusButton", TOUCH + 24)
        self.plus_button = touch_button("+", "plusButton", TOUCH + 24)
        self.qty_button = touch_button("Qty…", "qtyButton", TOUCH + 24)
        self.remove_button = touch_button("Remove line", "removeButton")
        self.confirm_button = touch_button("Confirm placement", "confirmButton", TOUCH + 16)
        self.kit_picker = KitPicker(screen)
        self.keypad = QtyKeypad(screen)
        buttons = named(QWidget(), "cartButtons")  # wraps to two rows on a narrow screen
        flow = FlowLayout(buttons)
        for button in (self.minus_button, self.plus_button, self.qty_button,
                       self.remove_button):
            flow.addWidget(button)
        flow.addWidget(self.confirm_button, 1)
        layout = vbox((self.cart_table, 1), self.total_label, buttons)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.plus_button.clicked.connect(lambda: self.on_step(+1))
        self.minus_button.clicked.connect(lambda: self.on_step(-1))
        self.qty_button.clicked.connect(self.on_keypad)
        self.keypad.chosen.connect(self.on_quantity)
        self.remove_button.clicked.connect(self.on_remove)
        self.kit_button.clicked.connect(self.kit_picker.open)
        self.kit_picker.picked.connect(self.on_kit)
        self.update_buttons()

    def overlays(self) -> tuple:
        return self.kit_picker, self.keypad

    def on_kit(self, kit: Kit) -> None:
        self.cart.kit = kit
        self.render()
        self.said.emit("", f"Kit {kit.name}: {len(kit.lines)} lines expected; scan each "
                           "supply used.")

    def unused_from_kit(self) -> str:
        """" Not used from the kit: …" for the kit lines still expected, else ""."""
        reconciliation = self.cart.reconciliation()
        if reconciliation is None or not reconciliation.expected:
            return ""
        return " Not used from the kit: " + ", ".join(
            line.label for line in reconciliation.expected) + "."

    def on_step(self, delta: int) -> None:
        row = self.cart_table.selected_row()
        if row is not None:
            self.cart.change_quantity(row, delta)
            self.render(select=row)
        self.touched.emit()

    def on_keypad(self) -> None:
        self._keypad_row = row = self.cart_table.selected_row()
        if row is None:
            self.said.emit("error", "Tap a line first, then Qty….")
            return
        line = self.cart.lines[row]
        self.keypad.ask(line.sku, line.quantity, self.cart.max_quantity)

    def on_quantity(self, quantity: int) -> None:
        row = self._keypad_row
        if row is not None and row < len(self.cart):
            self.cart.set_quantity(row, quantity)
            self.render(select=row)

    def on_remove(self) -> None:
        row = self.cart_table.selected_row()
        if row is not None:
            self.cart.remove(row)
            self.render(select=min(row, len(self.cart) - 1))
        self.touched.emit()

    def render(self, select: int | None = None) -> None:  # type: ignore[override]  # hides QWidget.render
        self.cart_table.show_cart(self.cart, select)
        self.total_label.setText(f"Total {money(self.cart.total)}")
        self.update_buttons()
        self.rendered.emit()

    def update_buttons(self) -> None:
        has_lines = bool(len(self.cart))
        for button in (self.minus_button, self.plus_button, self.qty_button, self.remove_button):
            button.setEnabled(has_lines)
        waiting = self.cart.pending is not None  # Confirm then asks about it
        self.confirm_button.setEnabled((has_lines or waiting) and not self.placing)
