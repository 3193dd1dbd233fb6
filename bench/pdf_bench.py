"""PDF figures: one cost sheet and a 5,000-patient supply-cost report, each as a ratio to a
bare reportlab document of the same table built in the same run: SimpleDocTemplate + a plain
Table of the same rows in the same embedded TrueType font (DejaVu Sans, which the kiosk needs
for names such as "Łukasz"; Helvetica cannot print Ł), no other styling, no page numbers.
reportlab keeps one font object per typeface in a process (registering the same file again
under another name returns the first object), so the baseline uses the kiosk's registered
font object, whose embedded subsets hold only the characters a document uses (see
kiosk/adapters/pdf/fonts.py); both sides get that. The same bare table in Helvetica (no font
embedded, so not the same text rendered correctly) is kept as an informative row."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.platypus import SimpleDocTemplate, Table

from bench.common import Figure, Settings
from kiosk.adapters.pdf.fonts import register_fonts
from kiosk.bootstrap import document_renderer, open_demo_kiosk
from kiosk.domain.model import CostCategory
from kiosk.services.corrections import void_usage
from kiosk.services.cost_sheet import cost_sheet
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.reports import Report

PATIENT = "C-10239"
SCANS = ["(01)00812345671018(10)B25E392", "(01)00812345671018(10)B26A858"]


def median_times(actions: list[Callable[[], object]], rounds: int) -> list[float]:
    """The median seconds of each action, the actions taking turns round by round, so that a
    busy spell on this shared machine lands on ours and the baseline alike."""
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(rounds):
        for action, times in zip(actions, samples, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def bare_pdf(rows: list[list[str]], font: str | None = None) -> bytes:
    """A plain table of ``rows``: Helvetica, or one FONT command for the registered ``font``."""
    out = io.BytesIO()
    style = [("FONT", (0, 0), (-1, -1), font)] if font else None
    SimpleDocTemplate(out, pagesize=letter).build([Table(rows, repeatRows=1, style=style)])
    return out.getvalue()


def sheet_rows(sheet) -> list[list[str]]:
    rows = [["Date", "Appliance", "Item", "Lot", "Qty", "Unit cost", "Extended"]]
    for section in sheet.sections:
        rows += [[f"{ln.usage_date}", ln.appliance_type, f"{ln.sku} {ln.item}"[:48],
                  ln.lot or "", str(ln.quantity), str(ln.unit_cost), str(ln.extended)]
                 for ln in section.lines]
    return rows


def big_supply_costs(patients: int) -> Report:
    cats = list(CostCategory)
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    rows = [{"patientId": f"{n:024x}", "chartNumber": f"C-{n:05d}", "treatmentPlanId":
             f"{n + 1:024x}", **{c.value: Decimal(n % 97) + Decimal("0.25") for c in cats},
             "totalCost": (Decimal(n % 97) + Decimal("0.25")) * len(cats),
             "periodStart": start, "periodEnd": None} for n in range(patients)]
    columns = ("chartNumber", "treatmentPlanId", *(c.value for c in cats), "totalCost",
               "periodStart", "patientId")
    return Report("Patient supply costs", columns, rows)


def run(folder: Path, settings: Settings) -> list[Figure]:
    renderer = document_renderer()
    kiosk = open_demo_kiosk(folder / "pdf")
    ctx, clinic = kiosk.context, kiosk.clinic_name
    usages = []
    for n in range(20):
        usages += deduct_for_appliance(ctx, "B1001", PlaceSupplies(
            PATIENT, "BRACKET", [SCANS[n % 2]], 1 + n % 3))
    void_usage(ctx, "B1001", usages[3].id, "bench")
    sheet = cost_sheet(ctx, None, PATIENT)
    font = register_fonts()[0]  # the kiosk's TrueType font object, as reportlab shares it
    ours, query, render, bare, helvetica = median_times([
        lambda: renderer.cost_sheet(cost_sheet(ctx, None, PATIENT), clinic),
        lambda: cost_sheet(ctx, None, PATIENT),
        lambda: renderer.cost_sheet(sheet, clinic),
        lambda: bare_pdf(sheet_rows(sheet), font),
        lambda: bare_pdf(sheet_rows(sheet)),
    ], settings.rounds(60))
    patients = 1000 if settings.quick else 5000
    report = big_supply_costs(patients)
    table = [list(report.columns[:-1])] + [
        [str(r[c]) for c in report.columns[:-1]] for r in report.rows]
    big_ours, big_bare, big_helvetica = median_times([
        lambda: renderer.report(report, "Bench clinic"),
        lambda: bare_pdf(table, font),
        lambda: bare_pdf(table),
    ], 3)
    scale = 5000 / patients
    base_name = ("bare reportlab SimpleDocTemplate + plain Table of the same rows in the same "
                 "embedded DejaVu Sans (one FONT command, nothing else)")
    helvetica_note = ("informative: the same bare table in Helvetica, no font embedded "
                      "(cannot print names such as Łukasz)")
    scaled = f"; measured on {patients:,} patients, scaled" if scale != 1 else ""
    return [
        Figure("cost sheet (21 lines + 1 void)", ours * 1e3, "ms", bare * 1e3, ours / bare,
               "≤ 150 ms; ≤ 1.5×", ours * 1e3 <= 150 and ours / bare <= 1.5,
               f"baseline: {base_name}; ours includes the database query ({query * 1e3:.1f} ms),"
               f" the baseline renders rows already fetched; the render alone "
               f"{render * 1e3:.2f} ms = {render / bare:.2f}×"),
        Figure("  cost sheet vs bare Helvetica", ours * 1e3, "ms", helvetica * 1e3,
               ours / helvetica, note=helvetica_note),
        Figure("5,000-patient cost report", big_ours * scale, "s", big_bare * scale,
               big_ours / big_bare, "≤ 10 s; ≤ 1.3×",
               big_ours * scale <= 10 and big_ours / big_bare <= 1.3,
               f"baseline: {base_name}{scaled}"),
        Figure("  5,000-patient report vs bare Helvetica", big_ours * scale, "s",
               big_helvetica * scale, big_ours / big_helvetica,
               note=helvetica_note + scaled),
    ]
