"""Scan the supplies of one placement, check the cart, confirm; void the last one if wrong.

Alerts never open a modal dialog: overlays (``overlay.Overlay``) cover the screen and the scan
field keeps the keyboard. Each overlay lives in its own module.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.app import KioskApp
from kiosk.domain.barcodes import ScanAssembler, ScanKind, ScanResult, parse_scan
from kiosk.domain.model import Staff, Usage
from kiosk.services import chairside
from kiosk.services.cart import Cart, CartLine
from kiosk.services.chairside import Blocked, PatientDay
from kiosk.services.context import ServiceContext
from kiosk.ui.back_office.back_office_sections import sections_for
from kiosk.ui.common.widgets import (
    TOUCH,
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)
from kiosk.ui.common.workers import Task, Worker, sentence
from kiosk.ui.placement.cart_panel import CartPanel
from kiosk.ui.placement.patient_panel import PatientPanel
from kiosk.ui.placement.print_action import PrintAction
from kiosk.ui.placement.scan_alerts import ScanAlerts
from kiosk.ui.placement.stock_list import StockBanner, StockList
from kiosk.ui.placement.void_panel import VOID_REASONS, VoidPanel

__all__ = ["LOT_LABEL_WAIT_S", "VOID_REASONS", "PlacementScreen"]

LOT_LABEL_WAIT_S = 8.0  # a product scan without a lot waits this long for its lot label


class PlacementScreen(QWidget):
    """Emits ``signed_out`` when the user leaves. All store access goes through the worker."""

    signed_out = Signal()
    back_office = Signal()  # the user asked for the back-office screens
    said = Signal(str)  # the tone of each message shown ("ok", "error", ...), for feedback

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget | None = None,
                 *, kiosk: KioskApp | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk  # for the printouts (data folder, clinic name)
        self.setObjectName("placementScreen")
        self._ctx = ctx
        self._worker = worker
        worker.changed.connect(self.on_store_changed)
        self.staff: Staff | None = None
        self.cart = Cart(ctx.settings.max_line_quantity)
        self._placing = False
        self._assembler = ScanAssembler(LOT_LABEL_WAIT_S)
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.timeout.connect(self.on_lot_label_timeout)
        self._build()

    # layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.staff_label = named(QLabel(""), "staffLabel")
        self.stock_banner = StockBanner()
        self.sign_out_button = touch_button("Sign out", "signOutButton")
        self.back_office_button = touch_button("Back office", "backOfficeButton")
        self.printer = PrintAction(self._worker, self._kiosk, self)
        self.print_button = self.printer.button
        self.patients = PatientPanel()
        self.scan_field = line_edit("scanField", "Scan a supply (or a CHART- code)")
        self.scan_field.setMinimumHeight(TOUCH + 8)
        self.message = message_label("placementMessage")
        self.alerts = ScanAlerts(self._ctx, self._worker, self)
        self.override_button = self.alerts.override_button
        self.catalog_button = self.alerts.catalog_button
        self.cart_panel = panel = CartPanel(self.cart, self)
        self.kit_button, self.cart_table, self.total_label = (
            panel.kit_button, panel.cart_table, panel.total_label)
        self.minus_button, self.plus_button, self.qty_button = (
            panel.minus_button, panel.plus_button, panel.qty_button)
        self.remove_button, self.confirm_button = panel.remove_button, panel.confirm_button
        self.kit_picker, self.keypad = panel.kit_picker, panel.keypad
        self.void_panel = VoidPanel(self._ctx, self._worker)
        self.void_reason = self.void_panel.void_reason
        self.void_button = self.void_panel.void_button

        right = vbox(hbox((self.scan_field, 1), self.kit_button),
                     hbox((self.message, 1), self.override_button, self.catalog_button),
                     (panel, 1))
        self.setLayout(vbox(hbox((self.staff_label, 1), self.print_button,
                                 self.back_office_button, self.sign_out_button),
                            self.stock_banner,  # its own row: at most two lines, full width
                            (hbox((self.patients, 1), (right, 2)), 1),
                            self.void_panel))  # full width: fits at 1024×768

        self.stock_list = StockList(self)
        for overlay in self._overlays():
            overlay.closed.connect(self._keep_focus)

        self.scan_field.returnPressed.connect(self.on_scan)
        panel.said.connect(self.say)
        panel.touched.connect(self._keep_focus)
        self.confirm_button.clicked.connect(self.on_confirm)
        self.void_panel.said.connect(self.on_voided)
        self.sign_out_button.clicked.connect(self.on_sign_out)
        self.back_office_button.clicked.connect(self.back_office.emit)
        self.print_button.clicked.connect(lambda: self.printer.print_for(
            self.staff, self.patients.current_patient()))
        self.printer.said.connect(self.say)
        self.stock_banner.tapped.connect(lambda: self.stock_list.show_alert(
            self.stock_banner.alert))
        self.alerts.override.connect(lambda scan, scans, reason: self._resolve(
            scan, scans, override_reason=reason))
        self.alerts.picked.connect(self.on_catalog_pick)
        self.patients.changed.connect(self._keep_focus)

    def _overlays(self) -> tuple:
        return (*self.alerts.overlays(), self.stock_list, *self.cart_panel.overlays())

    # session ----------------------------------------------------------------------------------
    def start(self, staff: Staff) -> None:
        self.staff = staff
        self.staff_label.setText(f"{staff.name} ({staff.role.value})")
        self.back_office_button.setVisible(bool(sections_for(staff)))
        self._reset()
        self.say("", "Pick the patient, then scan each supply.")
        self.reload_day()
        self.refresh_stock()
        if self._kiosk is not None:
            self._run(self._kiosk.load_kits, self.kit_picker.set_kits)

    def on_sign_out(self) -> None:
        self.clear_session()
        self.signed_out.emit()

    def clear_session(self) -> None:
        """Forget the user and the cart (sign-out from here or from the back office)."""
        self._reset()
        self.staff = None

    def _reset(self) -> None:
        self._label_timer.stop()
        self._assembler.flush()
        self.cart.clear()
        self.void_panel.clear()
        self.alerts.offer(None)
        for overlay in self._overlays():
            overlay.hide()
        self._render()

    @property
    def last_placement(self) -> tuple[str, ...]:
        return self.void_panel.usage_ids

    def _run(self, fn, on_ok, on_error=None, *, changes: bool = False) -> None:
        task = Task(self._worker, fn).success(on_ok).failure(sentence(on_error or self.on_error))
        (task.changes() if changes else task).run()

    def on_store_changed(self) -> None:
        """After any write through the runner (a placement, a void, a receipt, an adjustment):
        the day's patients and the stock banner are read again."""
        if self.staff is not None:
            self.reload_day()
            self.refresh_stock()

    def reload_day(self) -> None:
        ctx = self._ctx
        self._run(lambda: chairside.load_day(ctx), self.patients.show_days)

    def refresh_stock(self) -> None:
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: chairside.stock_alert(ctx, staff), self.stock_banner.show_alert)

    # scanning -----------------------------------------------------------------------------------
    def on_scan(self) -> None:
        raw = self.scan_field.text().strip()
        self.scan_field.clear()
        if not raw or self.staff is None:
            return
        self.alerts.offer(None)
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

    def _resolve(self, scan: ScanResult, scans: tuple[str, ...], note: str = "",
                 override_reason: str | None = None) -> None:
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: chairside.resolve_line(ctx, staff, scan, scans, override_reason),
                      lambda line: self.on_line(line, note))

    def on_line(self, line: CartLine | Blocked, note: str = "") -> None:
        if self.staff is None:  # signed out while it was being looked up
            return
        if isinstance(line, Blocked):
            self.on_blocked(line)
            return
        row = self.cart.add(line)
        self._render(select=row)
        if line.override_reason:
            self.say("warn", f"Added {line.sku}: expired lot {line.lot_number} used – override: "
                             f"{line.override_reason}.{note}")
        elif line.expiring_soon:
            self.say("warn", f"Added {line.sku}: lot {line.lot_number} expires "
                             f"{line.expiry:%Y-%m-%d}, soon.{note}")
        else:
            self.say("warn" if note else "",
                     f"Added {line.sku} (now {self.cart.lines[row].quantity}).{note}")

    def on_blocked(self, blocked: Blocked) -> None:
        self.say("error", blocked.sentence)
        if self.staff is not None:
            self.alerts.show(blocked, self.staff)

    def on_catalog_pick(self, sku: str) -> None:
        ctx = self._ctx
        self._run(lambda: chairside.catalog_line(ctx, sku),
                  lambda line: self.on_line(line, " Picked by name: no lot recorded."))

    def _pick_patient(self, chart: str) -> None:
        day = self.patients.find_chart(chart)
        if day is not None:
            self.patients.select(day.patient.id)
            return
        ctx = self._ctx
        self._run(lambda: chairside.load_patient(ctx, chart), self.on_patient_loaded)

    def on_patient_loaded(self, day: PatientDay) -> None:
        self.patients.add_or_select(day)

    # cart -----------------------------------------------------------------------------------
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
        if staff is None:  # signed out meanwhile
            return
        commands = self.cart.commands(patient.id, record)
        self._placing = True
        self._update_buttons()
        self.say("", "Recording…")
        self._run(lambda: chairside.place(ctx, staff, commands), self.on_placed,
                  self.on_place_failed, changes=True)

    def on_placed(self, usages: list[Usage]) -> None:
        self._placing = False
        self._update_buttons()
        unused = self.cart_panel.unused_from_kit()
        self.void_panel.arm(tuple(u.id for u in usages), self.staff)
        self.cart.clear()
        self._render()
        self.say("ok", f"Recorded {len(usages)} usage{'s' if len(usages) != 1 else ''}.{unused}")

    def on_place_failed(self, sentence: str) -> None:
        self._placing = False
        self._update_buttons()
        self.say("error", sentence)

    def on_voided(self, tone: str, sentence: str) -> None:
        self._keep_focus()
        self.say(tone, sentence)

    def on_error(self, sentence: str) -> None:
        self.say("error", sentence)

    # helpers ----------------------------------------------------------------------------------
    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)
        self.said.emit(tone)

    def _render(self, select: int | None = None) -> None:
        self.cart_panel.render(select)

    def _update_buttons(self) -> None:
        self.cart_panel.placing = self._placing
        self.cart_panel.update_buttons()

    def _keep_focus(self) -> None:
        if self.isVisible():
            self.scan_field.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scan_field.setFocus()
