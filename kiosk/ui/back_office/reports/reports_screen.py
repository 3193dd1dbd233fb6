"""Reports for managers: usage, supply costs (with charts per case type and per month), low
stock with the order list, and lot tracking; each shown as a table, printable, and saved as PDF
or CSV.

Every report is computed on the writer thread (``manager_reports.manager_report``, which checks
inventory:read and appliance:read again); what is printed or saved is exactly the report on
screen. A scan while this screen shows tracks the scanned lot. Above the table, one line says
where the report came from (the whole clinic as of when, and which chairs may be missing;
or this kiosk only), the sentence the CLI, the PDF and the CSV print (issue 15).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QStackedWidget, QWidget

from kiosk.domain.model import ApplianceType
from kiosk.services import manager_reports
from kiosk.services.clinic_reads import CLINIC
from kiosk.services.manager_reports import KINDS, ManagerReport, ReportFilters
from kiosk.ui.back_office.reports.report_chart import BarChart
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.report_output import ReportOutput
from kiosk.ui.common.report_table import ReportTable
from kiosk.ui.common.widgets import (
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)

HIDDEN_COLUMNS = ("id", "patientId", "applianceRecordId")
ZERO = Decimal(0)


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class ReportsScreen(Section):
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "reportsSection", parent)
        self.kind = "usage"
        self.result: ManagerReport | None = None
        self._asked = 0  # the latest request; older answers are dropped
        self.kind_buttons = {}
        group = QButtonGroup(self)
        for key, title in KINDS.items():
            button = touch_button(title, f"{key}ReportButton")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, key=key: self.pick(key))
            group.addButton(button)
            self.kind_buttons[key] = button
        self._build_filters()
        self.show_button = touch_button("Show", "showReportButton")
        self.summary = named(QLabel(""), "reportSummary")
        self.scope_label = message_label("reportScope")
        self.scope_label.setVisible(False)
        self.type_chart = BarChart("costPerTypeChart", "Net supply cost per case type")
        self.month_chart = BarChart("costPerMonthChart", "Net supply cost per month")
        self.charts = QWidget()
        self.charts.setObjectName("reportCharts")
        charts = hbox((self.type_chart, 1), (self.month_chart, 1))
        charts.setContentsMargins(0, 0, 0, 0)
        self.charts.setLayout(charts)
        self.charts.setVisible(False)
        self.table = ReportTable("reportTable", self.ctx.settings.timezone)
        self.output = ReportOutput(worker, kiosk, self._current, prefix="reports",
                                   what="report", parent=self)
        self.output.said.connect(self.say)
        self.setLayout(vbox(hbox(*self.kind_buttons.values(), 1),
                            hbox((self.filters, 1), self.show_button),
                            hbox((self.summary, 1)), self.scope_label, self.message,
                            (self.charts, 2),
                            (self.table, 3), self.output))
        self.show_button.clicked.connect(self.on_show)
        for field in (self.from_field, self.to_field, self.patient_field, self.lot_field):
            field.returnPressed.connect(self.on_show)
        self.kind_buttons[self.kind].setChecked(True)

    def _build_filters(self) -> None:
        self.from_field = line_edit("reportFrom", "From YYYY-MM-DD")
        self.to_field = line_edit("reportTo", "To YYYY-MM-DD")
        self.type_combo = named(QComboBox(), "reportType")
        self.type_combo.addItem("Any appliance", "")
        for kind in ApplianceType:
            self.type_combo.addItem(kind.value.capitalize(), kind.value)
        self.provider_combo = named(QComboBox(), "reportProvider")
        self.provider_combo.addItem("Any provider", "")
        self.patient_field = line_edit("reportPatient", "Patient chart number (blank: all)")
        self.lot_field = line_edit("reportLot", "Scan or type the lot number")
        self.filters = named(QStackedWidget(), "reportFilters")
        pages = {
            "usage": hbox((self.from_field, 1), (self.to_field, 1), self.type_combo,
                          self.provider_combo),
            "supply-costs": hbox((self.patient_field, 1)),
            "low-stock": hbox((QLabel("Items at or below their reorder point, with the "
                                      "order list."), 1)),
            "lot-tracking": hbox((self.lot_field, 1)),
        }
        self._pages = {}
        for key, layout in pages.items():
            layout.setContentsMargins(0, 0, 0, 0)
            page = QWidget()
            page.setLayout(layout)
            self.filters.addWidget(page)
            self._pages[key] = page

    # lifecycle ----------------------------------------------------------------------------------
    def on_start(self) -> None:
        actor = self.actor
        self.run(lambda: manager_reports.providers(self.ctx, actor), self._on_providers)
        self.pick(self.kind)

    def on_stop(self) -> None:
        self._asked += 1
        self.result = None
        for field in (self.from_field, self.to_field, self.patient_field, self.lot_field):
            field.clear()
        self.type_combo.setCurrentIndex(0)
        while self.provider_combo.count() > 1:
            self.provider_combo.removeItem(1)
        self._show(None)
        self.output.clear()
        self.say("", "")

    def on_scanned(self, text: str) -> None:
        """A scanned lot label: track that lot."""
        self.lot_field.setText(text.strip())
        self.pick("lot-tracking")

    def _on_providers(self, providers: list[tuple[str, str]]) -> None:
        if self.staff is None:
            return
        while self.provider_combo.count() > 1:
            self.provider_combo.removeItem(1)
        for staff_id, name in providers:
            self.provider_combo.addItem(name, staff_id)

    # reports ------------------------------------------------------------------------------------
    def pick(self, kind: str) -> None:
        """Show report ``kind``: at once, unless it still needs a lot number."""
        self.kind = kind
        self.kind_buttons[kind].setChecked(True)
        self.filters.setCurrentWidget(self._pages[kind])
        self._show(None)
        if kind == "lot-tracking" and not self.lot_field.text().strip():
            self.say("", "Scan a lot label or type the lot number, then tap Show.")
            return
        self.on_show()

    def filters_typed(self) -> ReportFilters:
        return ReportFilters(
            from_date=self.from_field.text(), to_date=self.to_field.text(),
            appliance_type=self.type_combo.currentData() or "",
            provider=self.provider_combo.currentData() or "",
            patient=self.patient_field.text(), lot=self.lot_field.text())

    def on_show(self) -> None:
        if self.staff is None:
            return
        self._asked += 1
        asked, kind, actor, filters = self._asked, self.kind, self.actor, self.filters_typed()
        self.say("", f"Preparing the {KINDS[kind].lower()} report…")
        self.run(lambda: manager_reports.manager_report(self.ctx, actor, kind, filters),
                 lambda result: self._on_report(asked, result),
                 lambda sentence: self._on_failed(asked, sentence))

    def _on_report(self, asked: int, result: ManagerReport) -> None:
        if asked != self._asked or self.staff is None:
            return
        self._show(result)
        rows = len(result.report.rows)
        self.say("ok" if rows else "warn",
                 f"{result.report.title}: {rows} row(s)." if rows else
                 "No rows match; change the filters and tap Show.")

    def _on_failed(self, asked: int, sentence: str) -> None:
        if asked == self._asked:
            self._show(None)
            self.say("error", sentence)

    def _show(self, result: ManagerReport | None) -> None:
        self.result = result
        report = result.report if result else None
        columns = [c for c in report.columns if c not in HIDDEN_COLUMNS] if report else None
        self.table.show_report(report, columns)
        charts = result.charts if result else None
        self.charts.setVisible(charts is not None)
        self.type_chart.set_bars(charts.by_case_type if charts else ())
        self.month_chart.set_bars(charts.by_month if charts else ())
        self.summary.setText(summary(result) if result else "")
        scope = report.scope if report else None
        notes = report.notes if report else ()
        whole = scope is not None and scope.kind == CLINIC and not scope.pending
        set_tone(self.scope_label, "" if scope is None or (whole and not notes) else "warn",
                 "\n".join([scope.sentence(), *notes]) if scope else "")
        self.scope_label.setVisible(scope is not None)

    def _current(self):
        return (self.result.report, self.result.extra) if self.result else None


def summary(result: ManagerReport) -> str:
    rows = result.report.rows
    if result.kind == "usage":
        live = [r for r in rows if not r["voided"]]
        cost = sum((r["lineCost"] for r in live), ZERO)
        return (f"{len(rows)} usage(s), {len(rows) - len(live)} voided; net supply cost "
                f"{money(cost)}.")
    if result.kind == "supply-costs":
        total = sum((r["totalCost"] for r in rows), ZERO)
        return f"{len(rows)} case(s); total supply cost {money(total)}."
    if result.kind == "low-stock":
        return (f"{len(rows)} item(s) low or out of stock; order total "
                f"{money(result.order_total or ZERO)}.")
    patients = len({r["patientId"] for r in rows})
    return f"{patients} patient(s) received this lot ({len(rows)} usage(s), voids left out)."
