"""The four manager reports as paginated PDFs with repeated table headers."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer

from kiosk.adapters.pdf.layout import (
    BODY,
    BOLD,
    HEADING,
    REGULAR,
    TITLE,
    Line,
    build_pdf,
    data_table,
    heading,
)
from kiosk.adapters.pdf.layout import money as fmt_money
from kiosk.adapters.pdf.layout import text as cell
from kiosk.domain.model import CostCategory
from kiosk.domain.rules import suggested_order_quantity
from kiosk.services.reports import Report

ZERO = Decimal(0)


def render_report(report: Report, clinic_name: str, extra: Sequence[Report] = ()) -> bytes:
    kind = _kind(report)
    story: list[Flowable] = [Line(clinic_name, style=TITLE), Line(report.title, style=HEADING)]
    if report.scope is not None:  # where the figures came from (issue 15)
        story.append(Line(report.scope.sentence()))
    story += [Line(note) for note in report.notes]  # e.g. a SupplyCostSummary that drifted
    if not report.rows:
        story.append(Line("No rows."))
    else:
        story += BUILDERS[kind](report)
    for more in extra:
        story += [*heading(more.title), _plain_table(more)]
    wide = kind in ("usage", "supply-costs", "low-stock")
    return build_pdf(story, report.title, f"{clinic_name} · {report.title}", wide=wide)


def _kind(report: Report) -> str:
    if "applianceType" in report.columns and "voided" in report.columns:
        return "usage"
    if "totalCost" in report.columns:
        return "supply-costs"
    if "reorderPoint" in report.columns:
        return "low-stock"
    return "lot-tracking"


def _usage(report: Report) -> list[Flowable]:
    live = [r for r in report.rows if not r["voided"]]
    story: list[Flowable] = []
    groups: list[tuple[str, Callable[[dict], str]]] = [
        ("appliance type", lambda r: r["applianceType"]),
        ("item", lambda r: f"{r['sku']} {r['name']}"),
        ("provider", lambda r: r["usedBy"]),
        ("month", lambda r: f"{r['usageDate']:%Y-%m}"),
    ]
    for name, key in groups:
        qty: dict[str, int] = defaultdict(int)
        cost: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in live:
            qty[key(r)] += r["quantity"]
            cost[key(r)] += r["lineCost"]
        if name in ("appliance type", "month"):
            story.append(_bar_chart(sorted(cost.items()), f"Net supply cost by {name}"))
        rows = [[k, str(qty[k]), fmt_money(cost[k])] for k in sorted(qty)]
        story += [*heading(f"Usage by {name} (voids excluded)"),
                  data_table((name.capitalize(), "Quantity", "Cost"), rows,
                             [4.2 * inch, 0.9 * inch, 1.1 * inch], numeric=(1, 2))]
    header = ("Date", "Type", "SKU", "Item", "Lot", "Qty", "Unit", "Line", "Provider", "Chart",
              "Void")
    keys = ("usageDate", "applianceType", "sku", "name", "lotNumber", "quantity", "unitCost",
            "lineCost", "usedBy", "chartNumber", "voided")
    widths = [1.0, 0.8, 1.0, 2.4, 0.8, 0.4, 0.6, 0.7, 1.1, 0.8, 0.4]
    return [*story, *heading("Every usage"), _rows_table(report, header, keys, widths,
                                                                    (5, 6, 7))]


def _bar_chart(points: list[tuple[str, Decimal]], title: str) -> Drawing:
    drawing = Drawing(9 * inch, 2.4 * inch)
    chart = VerticalBarChart()
    # types-reportlab says width is an int; reportlab takes any number
    chart.x, chart.y, chart.width, chart.height = 50, 30, 9 * inch - 80, 2.4 * inch - 60  # type: ignore[assignment]
    chart.data = [[float(v) for _k, v in points] or [0.0]]  # float only to draw the bars
    chart.categoryAxis.categoryNames = [k for k, _v in points] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#4a6a85")
    drawing.add(chart)
    drawing.add(String(50, 2.4 * inch - 14, title, fontName=BOLD, fontSize=9))
    return drawing


def _supply_costs(report: Report) -> list[Flowable]:
    cats = list(CostCategory)
    header = ("Chart", "Treatment plan", *(c.value.removesuffix("Cost") for c in cats), "Total",
              "Since")
    keys = ("chartNumber", "treatmentPlanId", *(c.value for c in cats), "totalCost",
            "periodStart")
    widths = [0.8, 1.9, *([0.75] * len(cats)), 0.8, 1.1]
    total = sum((r["totalCost"] for r in report.rows), ZERO)
    averages = []
    for c in cats:
        cases = [r[c.value] for r in report.rows if r[c.value]]
        if cases:
            averages.append([c.value.removesuffix("Cost"), str(len(cases)),
                             fmt_money((sum(cases, ZERO) / len(cases)).quantize(Decimal("0.01")))])
    averages.append(["all supplies", str(len(report.rows)),
                     fmt_money((total / len(report.rows)).quantize(Decimal("0.01")))])
    return [
        Line(f"{len(report.rows)} case(s); total {fmt_money(total)}"),
        *heading("Average per case, by supply type"),
        data_table(("Supply type", "Cases", "Average"), averages,
                   [1.6 * inch, 0.8 * inch, 1.0 * inch], numeric=(1, 2)),
        *heading("Per patient and treatment plan"),
        _rows_table(report, header, keys, widths, tuple(range(2, 3 + len(cats)))),
        Spacer(1, 4), Line((f"Total: {fmt_money(total)}", BOLD)),
    ]


def _low_stock(report: Report) -> list[Flowable]:
    header = ("SKU", "Item", "On hand", "Reorder pt", "Order qty", "Vendor", "Vendor SKU",
              "Unit cost", "Extended")
    rows, total = [], ZERO
    for r in report.rows:
        qty = suggested_quantity(r)
        extended = (r["unitCost"] or ZERO) * qty
        total += extended
        rows.append([r["sku"], r["name"][:48], str(r["quantityOnHand"]), str(r["reorderPoint"]),
                     str(qty), (r["vendor"] or "")[:36], r["vendorSku"] or "",
                     fmt_money(r["unitCost"]), fmt_money(extended)])
    rows.append(["", "Order total", "", "", "", "", "", "", fmt_money(total)])
    widths = [w * inch for w in (1.1, 2.6, 0.65, 0.75, 0.7, 1.9, 0.9, 0.65, 0.75)]
    return [Paragraph("Order list: suggested quantity = the reorder quantity, or enough to get "
                      "back above the reorder point if that is more.", BODY), Spacer(1, 4),
            data_table(header, rows, widths, numeric=(2, 3, 4, 7, 8),
                       bold_rows=(-1,))]


def suggested_quantity(row: dict) -> int:
    return suggested_order_quantity(row["quantityOnHand"], row["reorderPoint"],
                                    row["reorderQuantity"])


def _lot_tracking(report: Report) -> list[Flowable]:
    header = ("Chart", "Patient", "Date", "Provider", "Appliance", "Qty", "SKU", "Lot")
    keys = ("chartNumber", "patientName", "usageDate", "usedBy", "applianceType", "quantity",
            "sku", "lotNumber")
    widths = [0.75, 1.4, 1.0, 1.2, 0.8, 0.4, 1.2, 0.75]  # SKUs such as ACC-CHEEK-RETR fit
    return [Paragraph(f"{len({r['patientId'] for r in report.rows})} patient(s) received this "
                      "lot (voided usages left out).", BODY), Spacer(1, 4),
            _rows_table(report, header, keys, widths, (5,))]


def _rows_table(report: Report, header, keys, widths, numeric):
    rows = [[cell(r.get(k))[:48] for k in keys] for r in report.rows]
    return data_table(header, rows, [w * inch for w in widths], numeric=numeric)


def _plain_table(report: Report):
    header = [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", c).capitalize() for c in report.columns]
    numeric = [i for i, c in enumerate(report.columns)
               if report.rows and isinstance(report.rows[0].get(c), int | Decimal)]
    rows = [[cell(r.get(c))[:48] for c in report.columns] for r in report.rows]
    return data_table(header, rows, numeric=numeric)


BUILDERS = {"usage": _usage, "supply-costs": _supply_costs, "low-stock": _low_stock,
            "lot-tracking": _lot_tracking}
