"""Scan the supplies of one placement, check the cart, confirm; void the last one if wrong.

Alerts never open a modal dialog: overlays (``overlay.Overlay``) cover the screen and the scan
field keeps the keyboard. Each overlay lives in its own module.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.app import KioskApp
from kiosk.domain.barcodes import ScanAssembler, ScanKind, ScanResult, parse_scan
from kiosk.domain.barcodes.wording import shown_error
from kiosk.domain.model import ApplianceRecord, Patient, Staff, Usage
from kiosk.domain.permissions import role_label
from kiosk.services import chairside
from kiosk.services.cart import Cart, CartLine
from kiosk.services.chairside import Blocked, PatientDay
from kiosk.services.context import ServiceContext
from kiosk.services.parking import Resumed
from kiosk.services.sync_status import SyncState
from kiosk.ui.back_office.back_office_sections import sections_for
from kiosk.ui.common.recall_alerts import RecallAlertBanner
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
from kiosk.ui.placement.cart_table import money
from kiosk.ui.placement.confirm_question import ConfirmQuestion
from kiosk.ui.placement.move_prompt import MovePrompt
from kiosk.ui.placement.patient_banner import PatientBanner
from kiosk.ui.placement.patient_panel import PatientPanel
from kiosk.ui.placement.print_action import PrintAction
from kiosk.ui.placement.scan_alerts import ScanAlerts
from kiosk.ui.placement.stock_list import StockBanner, StockList
from kiosk.ui.placement.void_panel import VOID_REASONS, VoidPanel

__all__ = ["LOT_LABEL_WAIT_S", "VOID_REASONS", "PlacementScreen"]

ALERTS_REREAD_S = 300.0  # while online, the chair's recall banner is read again this often
LOT_LABEL_WAIT_S = 8.0  # a product scan without a lot waits this long for its lot label
OVERLAY_REFUSAL = "Scan refused: finish or close this panel first, then scan again."
log = logging.getLogger(__name__)


def items_text(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


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
        self._placing_for: Patient | None = None
        # the patient (and record) the cart is for; another pick with a full cart asks first
        self._patient: Patient | None = None
        self._record: ApplianceRecord | None = None
        self._had_lines = False
        self._pending_scan: ScanResult | None = None  # the held scan resolved for display
        self._assembler = ScanAssembler(LOT_LABEL_WAIT_S)
        self._last_watch: str | None = None  # the sync rounds' last recall watch sentence
        self._alerts_read_at = 0.0  # time.monotonic() of the last recall alert read
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.timeout.connect(self.on_lot_label_timeout)
        self._build()

    # layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.staff_label = named(QLabel(""), "staffLabel")
        self.stock_banner = StockBanner()
        self.recall_banner = RecallAlertBanner()
        self.sign_out_button = touch_button("Sign out", "signOutButton")
        self.back_office_button = touch_button("Back office", "backOfficeButton")
        self.printer = PrintAction(self._worker, self._kiosk, self)
        self.print_button = self.printer.button
        self.patients = PatientPanel(timezone=self._ctx.settings.timezone)
        self.patient_banner = PatientBanner(self._ctx.settings.timezone)
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
        self.void_panel = VoidPanel(self._ctx, self._worker, screen=self)
        self.void_reason = self.void_panel.void_reason
        self.void_button = self.void_panel.void_button

        right = vbox(self.patient_banner, hbox((self.scan_field, 1), self.kit_button),
                     hbox((self.message, 1), *self.alerts.buttons()),
                     (panel, 1))
        # Void… sits in the top bar, far from Confirm; the stock banner has its own row
        self.setLayout(vbox(hbox((self.staff_label, 1), self.void_panel, self.print_button,
                                 self.back_office_button, self.sign_out_button),
                            self.recall_banner,  # a recall waiting for a manager: above all
                            self.stock_banner,  # its own row: at most two lines, full width
                            (hbox((self.patients, 1), (right, 2)), 1)))

        self.stock_list = StockList(self)
        self.move_prompt = MovePrompt(self)
        self.confirm_question = ConfirmQuestion(self)
        for overlay in self._overlays():
            overlay.closed.connect(self._keep_focus)

        self.scan_field.returnPressed.connect(self.on_scan)
        panel.said.connect(self.say)
        panel.touched.connect(self._keep_focus)
        panel.rendered.connect(self._after_render)
        self.move_prompt.answered.connect(self.on_move_answer)
        self.confirm_question.answered.connect(self.on_confirm_answer)
        self.confirm_button.clicked.connect(self.on_confirm)
        self.void_panel.said.connect(self.on_voided)
        self.sign_out_button.clicked.connect(self.on_sign_out)
        self.back_office_button.clicked.connect(self.back_office.emit)
        self.print_button.clicked.connect(lambda: self.printer.print_for(
            self.staff, self.patients.current_patient()))
        self.printer.said.connect(self.say)
        self.stock_banner.tapped.connect(lambda: self.stock_list.show_alert(
            self.stock_banner.alert))
        self.alerts.again.connect(lambda scan, scans, options: self._resolve(
            scan, scans, **options))
        self.alerts.picked.connect(self.on_catalog_pick)
        self.patients.changed.connect(self.on_patient_changed)
        self.patients.changed.connect(self._keep_focus)

    def _overlays(self) -> tuple:
        return (*self.alerts.overlays(), self.stock_list, *self.cart_panel.overlays(),
                self.move_prompt, self.confirm_question, self.void_panel.sheet)

    # session ----------------------------------------------------------------------------------
    def start(self, staff: Staff) -> None:
        self.staff = staff
        self.staff_label.setText(f"{staff.name} ({role_label(staff.role)})")
        self.back_office_button.setVisible(bool(sections_for(staff)))
        self._reset()
        self.say("", "Pick the patient, then scan each supply.")
        self.reload_day()
        self.refresh_stock()
        kiosk, ctx = self._kiosk, self._ctx
        if kiosk is not None:
            self._run(lambda: chairside.named_kits(ctx, kiosk.load_kits()),
                      self.kit_picker.set_kits)

    def on_sign_out(self) -> None:
        """Ask to leave: the window parks a non-empty cart first, then clears the session."""
        self.signed_out.emit()

    def restore_parked(self, resumed: Resumed) -> None:
        """A resumed parked cart back on screen: its patient and record picked, its lines in."""
        if resumed.day is not None:
            self.patients.add_or_select(resumed.day)
            if resumed.record_id is not None:
                self.patients.select_record(resumed.record_id)
        for line in resumed.lines:
            self.cart.add(line)
        self._render(select=0)
        count = sum(line.quantity for line in resumed.lines)
        self.say("ok", f"Resumed the parked cart ({count} item{'s' if count != 1 else ''}); "
                       "check the patient and the lines, then Confirm.")

    def clear_session(self) -> None:
        """Forget the user, the cart and the patient (sign-out from here or from the back
        office): the next user starts with no patient picked."""
        self._reset()
        self.staff = None
        self.patients.clear_selection()

    def _reset(self) -> None:
        self._label_timer.stop()
        self._assembler.flush()
        self._pending_scan = None
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
        if staff is not None and self._kiosk is not None:
            self._read_recall_alerts()

    def _read_recall_alerts(self) -> None:
        assert self._kiosk is not None
        self._alerts_read_at = time.monotonic()
        self._run(self._kiosk.recall_alerts, self.recall_banner.show_alerts)

    def on_sync_state(self, state: SyncState) -> None:
        """After a sync round, with someone signed in: the recall banner is read again when
        the daily recall watch reported something new, and every few minutes while online
        (another chair may have applied or acknowledged a recall)."""
        news = state.recall_watch != self._last_watch
        self._last_watch = state.recall_watch
        if self.staff is None or self._kiosk is None or state.syncing:
            return
        due = state.online and time.monotonic() - self._alerts_read_at >= ALERTS_REREAD_S
        if news or due:
            self._read_recall_alerts()

    # scanning -----------------------------------------------------------------------------------
    def on_scan(self) -> None:
        raw = self.scan_field.text().strip()
        self.scan_field.clear()
        if not raw or self.staff is None:
            return
        if self._refuse_under_overlay():
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
            if shown_error(step.error) != step.error:
                log.info("scan %r not read: %s", raw, step.error)
            self.say("error", shown_error(step.error))
        if step.pending is not None:
            self._label_timer.start(int(LOT_LABEL_WAIT_S * 1000))
            if step.pending is not self._pending_scan:
                self._pending_scan = step.pending
                self._resolve_pending(step.pending)
            if not step.completed and not step.error:
                self.say("", "Scan its lot label now, or the next supply.")
        else:
            self._label_timer.stop()
            self._pending_scan = None

    def _refuse_under_overlay(self) -> bool:
        """A scan while a panel covers the cart is refused with the error sound (and said on
        the panel when it has an error line), never added unseen behind it."""
        shown = next((o for o in self._overlays() if o.isVisible()), None)
        if shown is None:
            return False
        error = getattr(shown, "error", None)
        if isinstance(error, QLabel):
            set_tone(error, "error", OVERLAY_REFUSAL)
        self.say("error", OVERLAY_REFUSAL)
        return True

    def _resolve_pending(self, held: ScanResult) -> None:
        """Look the held product up at once: its line shows "waiting for lot label…", and an
        unknown code says so now rather than when the lot-label window ends."""
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: chairside.resolve_line(ctx, staff, held, (held.raw,)),
                      lambda line: self.on_pending(held, line))

    def on_pending(self, held: ScanResult, line: CartLine | Blocked) -> None:
        if self.staff is None or self._assembler.pending is not held:
            return  # completed, replaced or signed out meanwhile
        if isinstance(line, Blocked):
            if line.kind == "unknown":  # no lot label can help: drop it and say so now
                self._assembler.flush()
                self._label_timer.stop()
                self._pending_scan = None
                self.on_blocked(line)
            return
        self.cart.pending = line
        self._render()
        self.say("", f"{line.name}: waiting for its lot label. Scan it now, or the next "
                     "supply.")

    def _clear_pending(self, first_scan: str) -> None:
        if self.cart.pending is not None and self.cart.pending.scans[:1] == (first_scan,):
            self.cart.pending = None

    def on_lot_label_timeout(self) -> None:
        held = self._assembler.flush()
        self._pending_scan = None
        if held is not None:
            self._resolve(held, (held.raw,))

    def _resolve(self, scan: ScanResult, scans: tuple[str, ...], note: str = "",
                 **options) -> None:
        """``options``: those of ``chairside.resolve_line`` (an override, a label expiry)."""
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: chairside.resolve_line(ctx, staff, scan, scans, **options),
                      lambda line: self.on_line(line, note))

    def on_line(self, line: CartLine | Blocked, note: str = "") -> None:
        if self.staff is None:  # signed out while it was being looked up
            return
        self._clear_pending(line.scans[0] if line.scans else "")
        if isinstance(line, Blocked):
            self._render()
            self.on_blocked(line)
            return
        row = self.cart.add(line)
        self._render(select=row)
        if line.override_reason:
            approved = f" (approved by {line.override_by_name})" if line.override_by_name else ""
            self.say("warn", f"Added {line.sku}: expired lot {line.lot_number} used – override: "
                             f"{line.override_reason}{approved}.{note}")
        elif line.label_expiry:
            self.say("warn", f"Added {line.sku} with the label's expiry; lot {line.lot_number} "
                             f"is flagged for the inventory manager.{note}")
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

    def on_patient_changed(self) -> None:
        """A pick in the list or a CHART- scan. With lines in the cart, another patient is
        asked about once (``MovePrompt``); the cart never moves silently."""
        patient, record = self.patients.current_patient(), self.patients.current_record()
        if self.move_prompt.isVisible():
            return  # the list shows the patient asked about until the answer
        if (patient is not None and self._patient is not None
                and patient.id != self._patient.id and len(self.cart)):
            self.move_prompt.ask(self.cart.item_count, self._patient.display_name,
                                 patient.display_name)
            return
        self._accept_patient(patient, record)

    def _accept_patient(self, patient: Patient | None, record: ApplianceRecord | None) -> None:
        new = (patient.id if patient else None) != (self._patient.id if self._patient else None)
        self._patient, self._record = patient, record
        self.patient_banner.show_patient(patient, record)
        self._update_confirm_text()
        if new and self.staff is not None:
            self.alerts.offer(None)  # what was said was about the previous patient
            self.say("", f"{patient.display_name}: scan each supply." if patient else
                     "Pick the patient, then scan each supply.")

    def on_move_answer(self, move: bool) -> None:
        kept = self._patient
        if move:
            moved = self.cart.item_count
            self._accept_patient(self.patients.current_patient(),
                                 self.patients.current_record())
            if self._patient is not None:
                self.say("", f"Moved {items_text(moved)} to {self._patient.display_name}.")
        elif kept is not None:
            self.patients.select(kept.id, self._record.id if self._record else None)
            self.say("", f"The cart stays with {kept.display_name}.")

    # cart -----------------------------------------------------------------------------------
    def on_confirm(self) -> None:
        """Record the cart; a scan still waiting for its lot label, or kit lines not
        scanned, are named first and asked about once (``ConfirmQuestion``)."""
        self._keep_focus()
        if self.patients.current_patient() is None:
            self.say("error", "Pick the patient first.")
            return
        held = self._assembler.pending
        if not len(self.cart) and held is None:
            self.say("error", "Scan at least one supply.")
            return
        questions = []
        if held is not None:
            what = self.cart.pending.name if self.cart.pending else "The last supply"
            questions.append(f"{what} is waiting for its lot label. Scan the label now, or "
                             "record it without a lot.")
        reconciliation = self.cart.reconciliation()
        if reconciliation is not None and reconciliation.expected and self.cart.kit:
            questions.append(f"Not scanned from the kit {self.cart.kit.name}: " + ", ".join(
                line.label for line in reconciliation.expected) + ". They are not recorded.")
        if questions:
            self.confirm_question.ask(questions, "Record it as it is")
            return
        self._place()

    def on_confirm_answer(self, record: bool) -> None:
        if not record:
            self.say("", "Scan what is missing, then Confirm.")
            return
        held = self._assembler.flush()
        self._label_timer.stop()
        self._pending_scan = None
        if held is None:
            self._place()
            return
        ctx, staff = self._ctx, self.staff
        if staff is not None:
            self._run(lambda: chairside.resolve_line(ctx, staff, held, (held.raw,)),
                      self._add_then_place)

    def _add_then_place(self, line: CartLine | Blocked) -> None:
        self.on_line(line, " No lot label: recorded without a lot.")
        if not isinstance(line, Blocked):
            self._place()

    def _place(self) -> None:
        patient, record = self.patients.current_patient(), self.patients.current_record()
        if patient is None or not len(self.cart):
            return
        ctx, staff = self._ctx, self.staff
        if staff is None:  # signed out meanwhile
            return
        commands = self.cart.commands(patient.id, record)
        self._placing_for = patient
        self._placing = True
        self._update_buttons()
        self.say("", "Recording…")
        self._run(lambda: chairside.place(ctx, staff, commands), self.on_placed,
                  self.on_place_failed, changes=True)

    def on_placed(self, usages: list[Usage]) -> None:
        self._placing = False
        self._update_buttons()
        unused = self.cart_panel.unused_from_kit()
        total = self.cart.total
        self.void_panel.arm(tuple(u.id for u in usages), self.staff)
        self.cart.clear()
        self._render()
        patient = self._placing_for
        whom = f" for {patient.display_name}" if patient else ""
        self.say("ok", f"Recorded {items_text(sum(u.quantity for u in usages))}{whom} · "
                       f"{money(total)}{unused}")

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

    def _after_render(self) -> None:
        """After every cart change: the Confirm text, and no stale "Added …" once the cart
        is emptied by hand."""
        self._update_confirm_text()
        has_lines = bool(len(self.cart)) or self.cart.pending is not None
        if self._had_lines and not has_lines and not self._placing and self.staff is not None:
            self.say("", "The cart is empty; scan each supply.")
        self._had_lines = has_lines

    def _update_confirm_text(self) -> None:
        count, patient = self.cart.item_count, self._patient
        if not count:
            text = "Confirm placement"
        elif patient is None:
            text = f"Confirm {items_text(count)}"
        else:
            text = f"Confirm {items_text(count)} for {patient.display_name}"
        self.confirm_button.setText(text)

    def _update_buttons(self) -> None:
        self.cart_panel.placing = self._placing
        self.cart_panel.update_buttons()

    def _keep_focus(self) -> None:
        if self.isVisible():
            self.scan_field.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scan_field.setFocus()
