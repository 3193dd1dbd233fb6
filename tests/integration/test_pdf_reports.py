"""Cost sheets and manager reports as PDF (issue 5): totals, voids, pages, fonts, charts."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from kiosk.adapters.pdf import PdfRenderer
from kiosk.services.clinic_reads import CLINIC, PendingStation, Scope
from kiosk.services.reports import Report

BRACKETS = "(01)00812345671018(10)B25E392"
ACCENTED = ("Zoë Álvarez", "Łukasz Nowak", "Thảo Nguyen")


def pages_text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            texts.append(page.get_textpage().get_text_range())
            bitmap = page.render(scale=1).to_numpy()  # every page renders
            assert bitmap.size and bitmap.min() < 128
        return texts
    finally:
        pdf.close()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def day(cli, demo_csvs, tmp_path):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    extra = tmp_path / "more_patients.csv"
    extra.write_text("patient_id,chart_number,first_name,last_name\n"
                     "64b2000000000000000000f1,C-20001,Zoë,Álvarez\n", encoding="utf-8")
    cli.ok("import", "patients", str(extra))
    usages = []
    for actor, qty in (("B1001", "4"), ("B1005", "2"), ("B1002", "3")):
        out = cli.ok("deduct", "--patient", "C-20001", "--appliance-type", "BRACKET", "--scan",
                     BRACKETS, "--qty", qty, "--actor", actor, "--json")
        usages += json.loads(out)["usages"]
    cli.ok("void", usages[1]["id"], "--actor", "B1005", "--reason", "dropped on the floor")
    return cli


def test_cost_sheet_total_equals_supply_costs_report_with_a_void(day, tmp_path):
    out = tmp_path / "sheet.pdf"
    said = day.ok("cost-sheet", "--patient", "C-20001", "-o", str(out))
    rows = json.loads(day.ok("report", "supply-costs", "--patient", "C-20001", "--format",
                             "json"))["rows"]
    total = sum(Decimal(r["totalCost"]) for r in rows)
    assert total == Decimal("3.36") * 7  # 4 + 3 brackets; the voided 2 netted out
    assert f"(total {total})" in said
    data = out.read_bytes()
    [page] = pages_text(data)
    text = flat(page)
    assert "Zoë Álvarez" in text and "C-20001" in text and "Lakeside Orthodontics" in text
    assert "Void: dropped on the floor" in text and "(voided)" in text and "-6.72" in text
    assert f"Total (voids netted) {total:,.2f}" in text
    assert "Brackets and bands" in text and "Page 1 of 1" in text
    assert b"/FontFile2" in data and b"DejaVuSans" in data  # the TrueType font is embedded


def test_the_four_reports_as_pdf_with_accented_names(day, tmp_path):
    texts = {}
    for name, extra in (("usage", ()), ("supply-costs", ()), ("low-stock", ()),
                        ("lot-tracking", ("B25E392",))):
        out = tmp_path / f"{name}.pdf"
        assert "Wrote" in day.ok("report", name, *extra, "--format", "pdf", "-o", str(out))
        texts[name] = flat(" ".join(pages_text(out.read_bytes())))
    usage = texts["usage"]
    for who in ACCENTED:
        assert who in usage  # providers; Łukasz's usage is voided but still listed there
    assert "Usage by appliance type" in usage and "Usage by provider" in usage
    assert "Usage by month" in usage and "Net supply cost by month" in usage  # the chart
    assert "Zoë Álvarez" in texts["lot-tracking"] and "C-20001" in texts["lot-tracking"]
    costs = texts["supply-costs"]
    assert "Average per case" in costs and "C-20001" in costs
    # per provider, voids netted: Zoë 4 and Thảo 3 brackets at 3.36; Łukasz's 2 were voided
    assert "Supply costs per provider" in costs
    assert "Zoë Álvarez 1 4 13.44" in costs and "Thảo Nguyen 1 3 10.08" in costs
    assert "Łukasz Nowak" not in costs
    low = json.loads(day.ok("report", "low-stock", "--format", "json"))["rows"]
    if low:
        row = low[0]
        assert row["sku"] in texts["low-stock"] and "Order total" in texts["low-stock"]
        assert (row["vendorSku"] or "") in texts["low-stock"]


def test_lot_tracking_pdf_leaves_voided_usages_out(day, tmp_path):
    out = tmp_path / "lot.pdf"
    day.ok("report", "lot-tracking", "B25E392", "--format", "pdf", "-o", str(out))
    text = flat(" ".join(pages_text(out.read_bytes())))
    assert "Zoë Álvarez" in text and "Thảo Nguyen" in text
    assert "Łukasz Nowak" not in text  # his usage was voided
    assert "1 patient(s) received this lot" in text


def test_pdf_report_needs_an_output_file_and_print_needs_pdf(day):
    result = day("report", "low-stock", "--format", "pdf")
    assert result.code == 1 and "-o FILE.pdf" in result.err
    result = day("report", "low-stock", "--format", "csv", "--print")
    assert result.code == 1 and "--print needs --format pdf" in result.err


def big_usage_report(rows: int) -> Report:
    start = datetime(2026, 1, 1, 15, tzinfo=UTC)
    names = ("Zoë Álvarez", "Łukasz Nowak", "Thảo Nguyen")
    return Report("Appliance usage", (
        "usageDate", "applianceType", "sku", "name", "lotNumber", "quantity", "unitCost",
        "lineCost", "usedBy", "chartNumber", "voided", "id"), [
        {"usageDate": start + timedelta(hours=n), "applianceType": "BRACKET",
         "sku": f"SKU-{n % 40}", "name": "Metal twin bracket", "lotNumber": f"L{n % 90}",
         "quantity": 1 + n % 3, "unitCost": Decimal("3.36"),
         "lineCost": Decimal("3.36") * (1 + n % 3), "usedBy": names[n % 3],
         "chartNumber": f"C-{n:05d}", "voided": n % 97 == 0, "id": f"{n:024x}"}
        for n in range(rows)])


def test_a_5000_row_report_paginates_with_the_header_on_every_page():
    data = PdfRenderer().report(big_usage_report(5000), "Lakeside Orthodontics (demo)")
    texts = [flat(t) for t in pages_text(data)]
    total = len(texts)
    assert total > 50
    rows_seen = set()
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        rows_seen.update(re.findall(r"C-\d{5}", text))
    every_usage = texts.index(next(t for t in texts if "Every usage" in t))
    for text in texts[every_usage:]:
        assert "Date Type SKU Item Lot Qty Unit Line Provider Chart Void" in text
    assert len(rows_seen) == 5000


OFFLINE_LINE = "No central server is set up: this kiosk's usages only."


def test_every_report_pdf_and_the_cost_sheet_say_their_scope_under_the_title(day, tmp_path):
    """Issue 15 item 3: a kiosk without a central server prints that its usages only are in."""
    for name, extra in (("usage", ()), ("supply-costs", ()), ("lot-tracking", ("B25E392",))):
        out = tmp_path / f"{name}.pdf"
        day.ok("report", name, *extra, "--format", "pdf", "-o", str(out))
        first = flat(pages_text(out.read_bytes())[0])
        assert OFFLINE_LINE in first
        assert first.index("Lakeside Orthodontics") < first.index(OFFLINE_LINE)
    sheet = tmp_path / "sheet.pdf"
    day.ok("cost-sheet", "--patient", "C-20001", "-o", str(sheet))
    [page] = pages_text(sheet.read_bytes())
    assert OFFLINE_LINE in flat(page)
    assert flat(page).index("Supply cost sheet") < flat(page).index(OFFLINE_LINE)


def test_a_clinic_report_pdf_names_the_chairs_that_may_be_missing():
    as_of = datetime(2026, 3, 2, 16, 42, tzinfo=UTC)
    chair = PendingStation("chair 4", as_of - timedelta(days=3), 12,
                           last_sync=as_of - timedelta(days=3))
    report = replace(big_usage_report(3), scope=Scope(CLINIC, as_of, (chair,),
                                                       timezone="America/Chicago"))
    page = pages_text(PdfRenderer().report(report, "Lakeside Orthodontics (demo)"))[0]
    assert ("Whole clinic as of 10:42 · chair 4 last synced 3 days ago with 12 events queued."
            in flat(page))
