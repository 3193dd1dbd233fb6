"""The recall workbench: look up a lot (scan its label or type its number), see every patient
of the clinic who received it (at any chair) with date, provider and appliance, mark it
recalled, import a recall file, and print or save the patients' contact list. A RECALLED lot
shows its follow-through instead of the placements (``FollowUpPanel``): each patient's status
and a big button for the next step. When the central
server cannot be read, a line above the patients says that other chairs' patients may be
missing (and the contact list's title says so too).

Everything that reads the store, the network or a file runs on the writer thread. Marking a
lot recalled takes two taps (the second confirms) and a reason, the recall notice shown at the
chair; ``KioskApp.catalog.change_lot_status`` marks the central catalog first when there is one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from kiosk.domain.model import LotStatus
from kiosk.services.recall_watch_ports import RecallAlert
from kiosk.services.recall_workbench import LotInfo, LotLookup, look_up_lot
from kiosk.services.recalls import AffectedLot, Proposal
from kiosk.ui.back_office.recalls.follow_up_panel import FollowUpPanel
from kiosk.ui.back_office.recalls.recall_import import RecallImport
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.recall_alerts import RecallAlertBanner
from kiosk.ui.common.report_output import ReportOutput
from kiosk.ui.common.report_table import ReportTable
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

PATIENT_COLUMNS = ("chartNumber", "patientName", "usageDate", "usedBy", "applianceType",
                   "applianceRecordId", "quantity", "sku", "lotNumber")
MARK, CONFIRM = "Mark recalled", "Confirm recall"


def describe_lot(lot: LotInfo) -> str:
    expiry = f", expires {lot.expiration_date:%Y-%m-%d}" if lot.expiration_date else ""
    notice = f" ({lot.recall_notice})" if lot.recall_notice else ""
    return (f"{lot.sku} · {lot.item_name} · lot {lot.lot_number} · {lot.status.value}{notice}"
            f"{expiry} · {lot.quantity_on_hand} on hand")


class RecallScreen(Section):
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "recallsSection", parent)
        self.lookup: LotLookup | None = None
        self._asked = 0
        self._confirming = False
        self.lot_field = line_edit("recallLot", "Scan the lot label or type the lot number")
        self.look_up_button = touch_button("Look up", "recallLookUpButton")
        self.lot_list = named(QListWidget(), "recallLots")
        self.lot_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lot_list.setWordWrap(True)  # a recalled lot's line carries its notice too
        self.lot_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reason_field = line_edit("recallReason",
                                      "Recall notice or reason, e.g. FDA Z-0101-2027")
        self.mark_button = touch_button(MARK, "markRecalledButton")
        self.scope_warning = message_label("recallScopeWarning")
        self.scope_warning.hide()
        self.table = ReportTable("recallPatients", self.ctx.settings.timezone)
        self.output = ReportOutput(worker, kiosk, self._contacts, prefix="recallContacts",
                                   what="contact list", parent=self)
        self.importer = RecallImport(kiosk, worker, self)
        self.follow_up = FollowUpPanel(self)
        self.alert_banner = RecallAlertBanner("recallsAlertBanner", detailed=True)
        self.acknowledge_button = touch_button("Acknowledge", "acknowledgeRecallButton")
        self.acknowledge_button.hide()
        self.setLayout(vbox(hbox((self.alert_banner, 1), self.acknowledge_button),
                            hbox((self.lot_field, 1), self.look_up_button),
                            self.lot_list, hbox((self.reason_field, 1), self.mark_button),
                            self.message, self.scope_warning, (self.table, 1),
                            (self.follow_up, 1), self.output,
                            self.importer))
        self.look_up_button.clicked.connect(self.on_look_up)
        self.lot_field.returnPressed.connect(self.on_look_up)
        self.lot_list.currentRowChanged.connect(lambda _row: self._show_patients())
        self.reason_field.textEdited.connect(lambda _text: self._cancel_confirm())
        self.mark_button.clicked.connect(self.on_mark)
        self.output.said.connect(self.say)
        self.importer.said.connect(self.say)
        self.importer.imported.connect(self.on_imported)
        self.importer.proposed.connect(self.on_proposed)
        self.acknowledge_button.clicked.connect(self.on_acknowledge)
        self._show(None)

    # lifecycle ----------------------------------------------------------------------------------
    def on_start(self) -> None:
        self.importer.actor = self.actor
        self.load_alerts()
        if self.lookup is None:
            self.say("", "Scan a lot label or type the lot number, then tap Look up.")

    def on_stop(self) -> None:
        self._asked += 1
        self.lot_field.clear()
        self.reason_field.clear()
        self._show(None)
        self.output.clear()
        self.importer.clear()
        self.follow_up.clear()
        self.say("", "")

    def on_scanned(self, text: str) -> None:
        self.look_up(text)

    # looking up ---------------------------------------------------------------------------------
    def on_look_up(self) -> None:
        self.look_up(self.lot_field.text())

    def look_up(self, text: str, sku: str | None = None, then: str = "") -> None:
        """Show the lots ``text`` (a scan or a lot number) names, and their patients."""
        if self.staff is None:
            return
        self._asked += 1
        asked, actor = self._asked, self.actor
        self.run(lambda: look_up_lot(self.ctx, actor, text, sku),
                 lambda lookup: self._on_lookup(asked, lookup, then),
                 lambda sentence: self._on_lookup_failed(asked, sentence))

    def _on_lookup(self, asked: int, lookup: LotLookup, then: str) -> None:
        if asked != self._asked or self.staff is None:
            return
        self.lot_field.setText(lookup.lot_number)
        self._show(lookup)
        if then:
            self.say("warn" if lookup.warning else "ok", then)
            return
        patients = len({r["patientId"] for r in lookup.patients.rows})
        where = ("" if lookup.lots else
                 "; this lot number is not in the catalog, so it cannot be marked here")
        self.say("ok" if lookup.lots and not lookup.warning else "warn",
                 f"Lot {lookup.lot_number}: {patients} patient(s) received it{where}.")

    def _on_lookup_failed(self, asked: int, sentence: str) -> None:
        if asked == self._asked:
            self._show(None)
            self.say("error", sentence)

    def _show(self, lookup: LotLookup | None) -> None:
        self.lookup = lookup
        self._cancel_confirm()
        warning = lookup.warning if lookup else None
        set_tone(self.scope_warning, "warn" if warning else "", warning or "")
        self.scope_warning.setVisible(bool(warning))
        self.lot_list.blockSignals(True)
        self.lot_list.clear()
        for lot in lookup.lots if lookup else ():
            item = QListWidgetItem(describe_lot(lot))
            item.setData(Qt.ItemDataRole.UserRole, lot)
            self.lot_list.addItem(item)
        if self.lot_list.count():
            self.lot_list.setCurrentRow(0)
        self.lot_list.blockSignals(False)
        self._fit_lot_list()
        self._show_patients()

    def _fit_lot_list(self) -> None:
        """Room for up to three lots, each as many lines as its words wrap to."""
        shown = range(min(self.lot_list.count(), 3))
        high = sum(max(self.lot_list.sizeHintForRow(r), TOUCH) + 4 for r in shown) or TOUCH + 4
        self.lot_list.setFixedHeight(high + 2 * self.lot_list.frameWidth())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_lot_list()  # narrower, a lot's line may wrap onto more lines

    def selected_lot(self) -> LotInfo | None:
        item = self.lot_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_patients(self) -> None:
        self._cancel_confirm()
        contacts = self._contact_report()
        self.table.show_report(contacts, PATIENT_COLUMNS if contacts else None)
        lot = self.selected_lot()
        self.mark_button.setEnabled(lot is not None and lot.status is not LotStatus.RECALLED)
        self.follow_up.show_lot(lot if lot is not None and lot.status is LotStatus.RECALLED
                                else None)
        self.table.setVisible(self.follow_up.lot is None)  # a recalled lot: its follow-up

    def _contact_report(self):
        if self.lookup is None:
            return None
        lot = self.selected_lot()
        return self.lookup.contacts(lot.sku if lot else self.lookup.sku)

    def _contacts(self):
        report = self._contact_report()
        return (report, ()) if report is not None else None

    # marking ------------------------------------------------------------------------------------
    def on_mark(self) -> None:
        lot = self.selected_lot()
        if self.staff is None or lot is None:
            self.say("error", "Look up the lot first.")
            return
        reason = self.reason_field.text().strip()
        if not reason:
            self.say("error", "Type the recall notice or reason first; the chairs show it.")
            return
        if not self._confirming:
            self._confirming = True
            self.mark_button.setText(CONFIRM)
            patients = len({r["patientId"] for r in self._contact_report().rows})
            self.say("warn", f"Recall lot {lot.lot_number} of {lot.sku}? It will be blocked at "
                             f"every chair; {patients} patient(s) received it. Tap "
                             f"{CONFIRM} to mark it.")
            return
        self._cancel_confirm()
        self.mark_button.setEnabled(False)
        kiosk, actor = self.kiosk, self.actor
        self.run(lambda: kiosk.catalog.change_lot_status(actor, lot.sku, lot.lot_number,
                                                     LotStatus.RECALLED, reason),
                 lambda _lot: self._on_marked(lot), self._on_mark_failed, changes=True)

    def _on_marked(self, lot: LotInfo) -> None:
        self.reason_field.clear()
        self.look_up(lot.lot_number, lot.sku,
                     then=f"Lot {lot.lot_number} of {lot.sku} is RECALLED and blocked at every "
                          "chair; print or save the contact list below.")

    def _on_mark_failed(self, sentence: str) -> None:
        self._show_patients()
        self.say("error", sentence)

    def _cancel_confirm(self) -> None:
        self._confirming = False
        self.mark_button.setText(MARK)

    def on_proposed(self, review: list[Proposal]) -> None:
        """A name-only match of a file that marked nothing: its first lot is looked up with
        the recall number as the reason, so Mark recalled applies it after a look."""
        first = review[0]
        self.reason_field.setText(first.recall_number)
        self.look_up(first.lot_numbers[0], first.sku, then=self.message.text())

    def load_alerts(self) -> None:
        self.run(self.kiosk.recall_alerts, self._show_alerts)

    def _show_alerts(self, alerts: list[RecallAlert]) -> None:
        self.alert_banner.show_alerts(alerts)
        self.acknowledge_button.setVisible(bool(alerts))

    def on_acknowledge(self) -> None:
        """The manager acknowledges the newest recall alert (who and when are recorded)."""
        if not self.alert_banner.alerts:
            return
        number, actor = self.alert_banner.alerts[0].recall_number, self.actor
        self.run(lambda: self.kiosk.acknowledge_recall(actor, number), self._on_acknowledged,
                 changes=True)

    def _on_acknowledged(self, alert: RecallAlert) -> None:
        self.say("ok", f"Recall {alert.recall_number} acknowledged; its lots stay blocked.")
        self.load_alerts()

    def on_imported(self, affected: list[AffectedLot]) -> None:
        """Show the first lot the recall file marked (the message lists them all)."""
        self.load_alerts()
        if affected:
            said = self.message.text()
            self.look_up(affected[0].lot_number, affected[0].sku, then=said)
