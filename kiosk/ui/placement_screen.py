"""Scan the supplies of one placement, check the cart, confirm; void the last one if wrong."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from kiosk.domain.barcodes import ScanAssembler, ScanKind, ScanResult, parse_scan
from kiosk.domain.model import Staff, Usage
from kiosk.services.context import ServiceContext
from kiosk.ui import operations
from kiosk.ui.cart import Cart, CartLine
from kiosk.ui.cart_table import CartTable, money
from kiosk.ui.operations import PatientDay, StockAlert
from kiosk.ui.patient_panel import PatientPanel
from kiosk.ui.widgets import (
    TOUCH,
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)
from kiosk.ui.workers import Task, Worker

VOID_REASONS = ("Wrong patient", "Wrong item", "Dropped/contaminated", "Other")
LOT_LABEL_WAIT_S = 8.0  # a product scan without a lot waits this long for its lot label


class PlacementScreen(QWidget):
    """Emits ``signed_out`` when the user leaves. All store access goes through the worker."""

    signed_out = Signal()

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placementScreen")
        self._ctx = ctx
        self._worker = worker
        self.staff: Staff | None = None
        self.cart = Cart(ctx.settings.max_line_quantity)
        self.last_placement: tuple[str, ...] = ()
        self._placing = False
        self._assembler = ScanAssembler(LOT_LABEL_WAIT_S)
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.timeout.connect(self.on_lot_label_timeout)
        self._build()

    # layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.staff_label = named(QLabel(""), "staffLabel")
        self.stock_banner = message_label("lowStockBanner")
        self.sign_out_button = touch_button("Sign out", "signOutButton")
        self.patients = PatientPanel()
        self.scan_field = line_edit("scanField", "Scan a supply (or a CHART- code)")
        self.scan_field.setMinimumHeight(TOUCH + 8)
        self.message = message_label("placementMessage")
        self.cart_table = CartTable()
        self.total_label = named(QLabel("Total $0.00"), "totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.minus_button = touch_button("−", "minusButton", TOUCH + 24)
        self.plus_button = touch_button("+", "plusButton", TOUCH + 24)
        self.remove_button = touch_button("Remove line", "removeButton")
        self.confirm_button = touch_button("Confirm placement", "confirmButton", TOUCH + 16)
        self.void_reason = named(QComboBox(), "voidReasonCombo")
        self.void_reason.addItems(VOID_REASONS)
        self.void_reason.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.void_button = touch_button("Void last placement", "voidButton")

        right = vbox(self.scan_field, self.message, (self.cart_table, 1), self.total_label,
                     hbox(self.minus_button, self.plus_button, self.remove_button, 1,
                          self.confirm_button),
                     hbox(1, QLabel("Void reason"), self.void_reason, self.void_button))
        layout = vbox(hbox(self.staff_label, (self.stock_banner, 1), self.sign_out_button),
                      (hbox((self.patients, 2), (right, 3)), 1))
        self.setLayout(layout)

        self.scan_field.returnPressed.connect(self.on_scan)
        self.plus_button.clicked.connect(lambda: self.on_step(+1))
        self.minus_button.clicked.connect(lambda: self.on_step(-1))
        self.remove_button.clicked.connect(self.on_remove)
        self.confirm_button.clicked.connect(self.on_confirm)
        self.void_button.clicked.connect(self.on_void)
        self.sign_out_button.clicked.connect(self.on_sign_out)
        self.patients.changed.connect(self._keep_focus)
        self._update_buttons()

    # session ----------------------------------------------------------------------------------
    def start(self, staff: Staff) -> None:
        self.staff = staff
        self.staff_label.setText(f"{staff.name} ({staff.role.value})")
        self.cart.clear()
        self.last_placement = ()
        self._assembler.flush()
        self._render()
        self.say("", "Pick the patient, then scan each supply.")
        self.reload_day()
        self.refresh_stock()

    def on_sign_out(self) -> None:
        self._label_timer.stop()
        self._assembler.flush()
        self.cart.clear()
        self.last_placement = ()
        self.staff = None
        self._render()
        self.signed_out.emit()

    def _run(self, fn, on_ok, on_error=None) -> None:
        Task(self._worker, fn).success(on_ok).failure(on_error or self.on_error).run()

    def reload_day(self) -> None:
        ctx = self._ctx
        self._run(lambda: operations.load_day(ctx), self.patients.show_days)

    def refresh_stock(self) -> None:
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: operations.stock_alert(ctx, staff), self.on_stock)

    def on_stock(self, alert: StockAlert) -> None:
        if alert.out:
            tone = "red"
        elif alert.low:
            tone = "amber"
        else:
            tone = ""
        parts = []
        if alert.out:
            parts.append(f"{len(alert.out)} out of stock ({_first_few(alert.out)})")
        if alert.low:
            parts.append(f"{len(alert.low)} low ({_first_few(alert.low)})")
        set_tone(self.stock_banner, tone, "Stock: " + "; ".join(parts) if parts else "")

    # scanning -----------------------------------------------------------------------------------
    def on_scan(self) -> None:
        raw = self.scan_field.text().strip()
        self.scan_field.clear()
        if not raw or self.staff is None:
            return
        scan = parse_scan(raw)
        if scan.kind is ScanKind.PATIENT and scan.ok:
            self._pick_patient(scan.code or "")
            return
        if scan.kind is ScanKind.STAFF and scan.ok:
            self.say("error", "That is a staff badge; sign out first to change user.")
            return
        step = self._assembler.feed(scan, time.monotonic())
        for product in step.completed:
            scans = (product.raw,) if scan.has_product else (product.raw, raw)
            self._resolve(product, scans)
        if step.error:
            self.say("error", step.error)
        if step.pending is not None:
            self._label_timer.start(int(LOT_LABEL_WAIT_S * 1000))
            if not step.completed and not step.error:
                self.say("", "Scan its lot label now, or the next supply.")
        else:
            self._label_timer.stop()

    def on_lot_label_timeout(self) -> None:
        held = self._assembler.flush()
        if held is not None:
            self._resolve(held, (held.raw,))

    def _resolve(self, scan: ScanResult, scans: tuple[str, ...], note: str = "") -> None:
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: operations.resolve_line(ctx, staff, scan, scans),
                      lambda line: self.on_line(line, note))

    def on_line(self, line: CartLine, note: str = "") -> None:
        if self.staff is None:  # signed out while it was being looked up
            return
        row = self.cart.add(line)
        self._render(select=row)
        if line.expiring_soon:
            self.say("warn", f"Added {line.sku}: lot {line.lot_number} expires "
                             f"{line.expiry:%Y-%m-%d}, soon.{note}")
        else:
            self.say("warn" if note else "",
                     f"Added {line.sku} (now {self.cart.lines[row].quantity}).{note}")

    def _pick_patient(self, chart: str) -> None:
        day = self.patients.find_chart(chart)
        if day is not None:
            self.patients.select(day.patient.id)
            return
        ctx = self._ctx
        self._run(lambda: operations.load_patient(ctx, chart), self.on_patient_loaded)

    def on_patient_loaded(self, day: PatientDay) -> None:
        self.patients.add_or_select(day)

    # cart -----------------------------------------------------------------------------------
    def on_step(self, delta: int) -> None:
        row = self.cart_table.selected_row()
        if row is not None:
            self.cart.change_quantity(row, delta)
            self._render(select=row)
        self._keep_focus()

    def on_remove(self) -> None:
        row = self.cart_table.selected_row()
        if row is not None:
            self.cart.remove(row)
            self._render(select=min(row, len(self.cart) - 1))
        self._keep_focus()

    def on_confirm(self) -> None:
        self._keep_focus()
        held = self._assembler.flush()
        if held is not None:
            self._label_timer.stop()
            self._resolve(held, (held.raw,), " No lot label came; check the cart and press "
                                             "Confirm again.")
            return
        patient, record = self.patients.current_patient(), self.patients.current_record()
        if patient is None:
            self.say("error", "Pick the patient first.")
            return
        if not len(self.cart):
            self.say("error", "Scan at least one supply.")
            return
        ctx, staff = self._ctx, self.staff
        commands = self.cart.commands(patient.id, record)
        self._placing = True
        self._update_buttons()
        self.say("", "Recording…")
        self._run(lambda: operations.place(ctx, staff, commands), self.on_placed,
                  self.on_place_failed)

    def on_placed(self, usages: list[Usage]) -> None:
        self._placing = False
        self.last_placement = tuple(u.id for u in usages)
        self.cart.clear()
        self._render()
        self.say("ok", f"Recorded {len(usages)} usage{'s' if len(usages) != 1 else ''}.")
        self.reload_day()
        self.refresh_stock()

    def on_place_failed(self, sentence: str) -> None:
        self._placing = False
        self._update_buttons()
        self.say("error", sentence)

    def on_void(self) -> None:
        self._keep_focus()
        if not self.last_placement:
            self.say("error", "There is no placement to void in this session.")
            return
        ctx, staff, ids = self._ctx, self.staff, self.last_placement
        reason = self.void_reason.currentText()
        self.void_button.setEnabled(False)
        self._run(lambda: operations.void_placement(ctx, staff, ids, reason), self.on_voided,
                  self.on_void_failed)

    def on_voided(self, count: int) -> None:
        self.last_placement = ()
        self._update_buttons()
        self.say("ok", f"Voided {count} usage{'s' if count != 1 else ''}; stock restored.")
        self.refresh_stock()

    def on_void_failed(self, sentence: str) -> None:
        self.last_placement = ()  # part may be voided; never void twice from here
        self._update_buttons()
        self.say("error", sentence)

    def on_error(self, sentence: str) -> None:
        self.say("error", sentence)

    # helpers ----------------------------------------------------------------------------------
    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)

    def _render(self, select: int | None = None) -> None:
        self.cart_table.show_cart(self.cart, select)
        self.total_label.setText(f"Total {money(self.cart.total)}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_lines = bool(len(self.cart))
        for button in (self.minus_button, self.plus_button, self.remove_button):
            button.setEnabled(has_lines)
        self.confirm_button.setEnabled(has_lines and not self._placing)
        self.void_button.setEnabled(bool(self.last_placement))

    def _keep_focus(self) -> None:
        if self.isVisible():
            self.scan_field.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scan_field.setFocus()


def _first_few(skus: list[str], shown: int = 3) -> str:
    more = ", …" if len(skus) > shown else ""
    return ", ".join(skus[:shown]) + more
