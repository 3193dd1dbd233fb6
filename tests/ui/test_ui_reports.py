"""The reports section: each report on screen, its charts, and the PDF and CSV files it
writes, checked against the report services on the same SQLite file."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fake_printer import fake_lp
from ui_helpers import WAIT_MS, back_office, click, gs1, sign_in_as, staff_row, usable_lot

from kiosk.domain.errors import PermissionDenied
from kiosk.domain.model import ApplianceType
from kiosk.services.corrections import void_usage
from kiosk.services.manager_reports import KINDS, manager_report
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.ports import UsageFilter
from kiosk.services.report_charts import cost_charts
from kiosk.services.report_export import cell
from kiosk.services.reports import lot_tracking, supply_costs, usage_report

MANAGER = staff_row("clinic_manager")
BRACKET, WIRE, ELASTIC = "BRK-MBT-U1R", "WIR-NTI-014-U", "ELA-18-35"


class At:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def now(self) -> datetime:
        return self.when


def place(kiosk, when, badge, chart, kind, sku, qty):
    ctx = replace(kiosk.context, clock=At(when))
    lot = usable_lot(sku)["lot_number"]
    return deduct_for_appliance(ctx, badge, PlaceSupplies(chart, kind, [gs1(sku, lot)], qty))[0]


@pytest.fixture
def day(kiosk):
    """Usage over two months by two assistants and an orthodontist, one of them voided."""
    sep, oct_ = datetime(2026, 9, 14, 15, tzinfo=UTC), datetime(2026, 10, 2, 16, tzinfo=UTC)
    place(kiosk, sep, "B1001", "C-10239", "BRACKET", BRACKET, 4)
    place(kiosk, sep, "B1002", "C-10231", "WIRE", WIRE, 1)
    place(kiosk, oct_, "B1001", "C-10239", "ELASTIC", ELASTIC, 2)
    wrong = place(kiosk, oct_, "B1005", "C-10247", "BRACKET", BRACKET, 3)
    void_usage(kiosk.context, "B1005", wrong.id, "wrong patient")
    return kiosk


def shown(qtbot, section, kind):
    qtbot.waitUntil(lambda: section.result is not None and section.result.kind == kind,
                    timeout=WAIT_MS)
    return section.result


def saved_file(qtbot, section, button):
    with qtbot.waitSignal(section.output.saved, timeout=WAIT_MS) as blocker:
        click(qtbot, button)
    return blocker.args[0]


def pdf_text(path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        return re.sub(r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range()
                                            for i in range(len(pdf))))
    finally:
        pdf.close()


def test_supply_costs_with_charts_saved_as_csv_and_pdf(qtbot, window, day, tmp_path):
    section = back_office(qtbot, window, "clinic_manager", "reports")
    click(qtbot, section.kind_buttons["supply-costs"])
    result = shown(qtbot, section, "supply-costs")
    service = supply_costs(day.context, MANAGER["badge"])
    charts = cost_charts(day.context, MANAGER["badge"])
    assert section.charts.isVisible()
    assert section.type_chart.bars == charts.by_case_type
    assert [b.label for b in section.month_chart.bars] == ["2026-09", "2026-10"]
    assert section.table.rowCount() == len(service.rows) == len(result.report.rows) == 3
    voided_case = next(r for r in service.rows if r["chartNumber"] == "C-10247")
    assert voided_case["totalCost"] == 0  # its only placement was voided

    click(qtbot, section.output.browse_button)  # a save dialog picks the file
    dialog = section.output.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.selectFile(str(tmp_path / "costs.csv"))
    dialog.accept()
    assert section.output.path_field.text() == str(tmp_path / "costs.csv")
    path = saved_file(qtbot, section, section.output.csv_button)
    assert path == str(tmp_path / "costs.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["# " + service.scope.sentence()]  # issue 15: where it came from
    written = written[1:]
    assert written[0] == list(service.columns)
    assert written[1:] == [[cell(r[c]) for c in service.columns] for r in service.rows]
    total = sum((Decimal(row[written[0].index("totalCost")]) for row in written[1:]),
                Decimal(0))
    assert total == sum((r["totalCost"] for r in service.rows), Decimal(0)) == charts.total
    live = [r for r in usage_report(day.context, None).rows if not r["voided"]]
    assert total == sum((r["lineCost"] for r in live), Decimal(0)) > 0
    assert f"total supply cost {total:,.2f}" in section.summary.text()

    click(qtbot, section.output.pdf_button)  # a PDF into a file named .csv: refused
    qtbot.waitUntil(lambda: section.message.property("tone") == "error", timeout=WAIT_MS)
    assert "ends in .csv" in section.message.text()
    assert list(csv.reader(Path(path).read_text(encoding="utf-8").splitlines()))[1:] == written

    section.output.path_field.setText(str(tmp_path))  # a folder: a file named for the report
    path = saved_file(qtbot, section, section.output.pdf_button)
    assert path.startswith(str(tmp_path)) and path.endswith(".pdf")
    text = pdf_text(path)
    assert "Patient supply costs" in text and "C-10239" in text and "C-10231" in text
    assert "Supply costs per provider" in text and "Zoë Álvarez" in text
    assert "Net supply cost per month" in text
    for bar in charts.by_month:  # the chart's figures are printed too
        assert f"{bar.label} {bar.amount:,.2f}" in text
    assert f"Total: {total:,.2f}" in text


def test_usage_filters_as_in_the_cli_and_a_bad_date_says_so(qtbot, window, day):
    section = back_office(qtbot, window, "clinic_manager", "reports")
    everything = shown(qtbot, section, "usage")  # the first report shows on its own
    assert len(everything.report.rows) == 4
    qtbot.waitUntil(lambda: section.provider_combo.count() > 1, timeout=WAIT_MS)
    section.from_field.setText("2026-10-01")
    section.type_combo.setCurrentIndex(section.type_combo.findData("BRACKET"))
    section.provider_combo.setCurrentIndex(section.provider_combo.findText("Łukasz Nowak"))
    click(qtbot, section.show_button)
    qtbot.waitUntil(lambda: section.result is not None and section.result is not everything,
                    timeout=WAIT_MS)
    with day.context.store.read() as tx:
        provider = tx.staff_by_badge("B1005").id
    expected = usage_report(day.context, None, UsageFilter(
        from_date=date(2026, 10, 1), appliance_type=ApplianceType.BRACKET, used_by=provider))
    assert [r["id"] for r in section.result.report.rows] == [r["id"] for r in expected.rows]
    assert section.table.rowCount() == 1 and section.table.cell_text(0, "voided") == "yes"

    section.to_field.setText("2026-13-01")
    click(qtbot, section.show_button)
    qtbot.waitUntil(lambda: section.message.property("tone") == "error", timeout=WAIT_MS)
    assert "not a real date" in section.message.text()
    assert section.result is None and section.table.rowCount() == 0

    click(qtbot, section.kind_buttons["supply-costs"])
    shown(qtbot, section, "supply-costs")
    click(qtbot, window.back_office.sign_out_button)  # the next user sees none of it
    assert section.result is None and section.table.rowCount() == 0
    assert section.from_field.text() == "" and section.type_chart.bars == ()


def test_low_stock_order_list_goes_to_the_printer(qtbot, window, kiosk, tmp_path,
                                                 monkeypatch):
    argv = fake_lp(tmp_path, monkeypatch, delay_s=0.2)
    section = back_office(qtbot, window, "inventory_manager", "reports")
    click(qtbot, section.kind_buttons["low-stock"])
    result = shown(qtbot, section, "low-stock")
    assert result.report.rows and "orderQuantity" in section.table.columns
    with qtbot.waitSignal(section.output.printed, timeout=WAIT_MS) as blocker:
        click(qtbot, section.output.print_button)
    assert blocker.args == [True]
    assert "sent to the printer" in section.message.text()
    [pdf] = (Path(kiosk.config.data_dir) / "printouts").glob("*.pdf")
    assert str(pdf) in argv.read_text(encoding="utf-8").splitlines()
    text = pdf_text(pdf)
    assert "Order total" in text and f"{result.order_total:,.2f}" in text
    assert result.report.rows[0]["sku"] in text


def test_a_scanned_lot_label_is_tracked(qtbot, window, day):
    section = back_office(qtbot, window, "clinic_manager", "reports")
    shown(qtbot, section, "usage")
    lot = usable_lot(BRACKET)["lot_number"]
    window.on_scanned(gs1(BRACKET, lot))
    result = shown(qtbot, section, "lot-tracking")
    expected = lot_tracking(day.context, None, lot)
    assert result.report.rows == expected.rows and len(expected.rows) == 1  # the void left out
    assert section.table.cell_text(0, "chartNumber") == "C-10239"
    assert "1 patient(s) received this lot" in section.summary.text()


def test_it_cannot_reach_reports_and_the_service_refuses_it(qtbot, window, kiosk):
    it = staff_row("it_admin")
    assert sign_in_as(qtbot, window, "it_admin") is window.back_office
    assert "reports" not in window.back_office.tabs
    assert window.back_office.open("reports") is None
    for kind in KINDS:
        with pytest.raises(PermissionDenied):
            manager_report(kiosk.context, it["badge"], kind)
    with pytest.raises(PermissionDenied):
        cost_charts(kiosk.context, it["badge"])


def test_the_screen_says_where_each_report_came_from(qtbot, window, day):
    """Issue 15 item 3: the same one-line scope as the CLI table, the PDF and the CSV."""
    section = back_office(qtbot, window, "clinic_manager", "reports")
    lines = {}
    for kind in ("usage", "supply-costs", "low-stock"):
        click(qtbot, section.kind_buttons[kind])
        result = shown(qtbot, section, kind)
        assert result.report.scope is not None
        assert section.scope_label.isVisible()
        assert section.scope_label.text() == result.report.scope.sentence()
        lines[kind] = section.scope_label.text()
    local = "No central server is set up: this kiosk's usages only."
    assert lines["usage"] == lines["supply-costs"] == local  # the demo kiosk has no server
    assert lines["low-stock"] == "No central server is set up: stock as this kiosk knows it."
    click(qtbot, window.back_office.sign_out_button)
    assert section.scope_label.text() == ""
