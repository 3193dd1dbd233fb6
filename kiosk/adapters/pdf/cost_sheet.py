"""A patient's cost sheet as PDF: header, usage lines with voids shown, subtotals, total."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer

from kiosk.adapters.pdf.layout import (
    BOLD,
    HEADING,
    TITLE,
    Line,
    build_pdf,
    cell_text,
    data_table,
    heading,
    money,
)
from kiosk.domain.model import CostCategory
from kiosk.services.cost_sheet import CostSheet

CATEGORY_NAMES = {
    CostCategory.BRACKET: "Brackets and bands", CostCategory.WIRE: "Wires",
    CostCategory.BONDING: "Bonding", CostCategory.ELASTIC: "Elastics",
    CostCategory.ACCESSORY: "Expanders and accessories", CostCategory.RETAINER: "Retainers",
    CostCategory.ALIGNER: "Aligners",
}
HEADER = ("Date", "Appliance", "Item", "Lot", "Qty", "Unit cost", "Extended")
VOID_COLOR = colors.HexColor("#8a2b2b")
WIDTHS = [0.8 * inch, 0.85 * inch, 2.75 * inch, 0.9 * inch, 0.45 * inch, 0.8 * inch,
          0.95 * inch]


def render_cost_sheet(sheet: CostSheet, clinic_name: str) -> bytes:
    patient = sheet.patient
    story: list[Flowable] = [
        Line(clinic_name, style=TITLE),
        Line("Supply cost sheet", style=HEADING),
        Line("Patient: ", (patient.display_name, BOLD), " · chart number ",
             (patient.chart_number, BOLD), f" · printed {sheet.printed_on:%Y-%m-%d}"),
    ]
    if sheet.scope is not None:  # which chairs' usages are in (issue 15)
        story.append(Line(sheet.scope.sentence()))
    if not sheet.sections:
        story.append(Line("No supplies have been recorded for this patient."))
    for section in sheet.sections:
        plan = (f"Treatment plan {section.treatment_plan_id}" if section.treatment_plan_id
                else "No treatment plan")
        period = (f"{section.period_start:%Y-%m-%d} to {section.period_end:%Y-%m-%d}"
                  if section.period_start else "")
        story += [Spacer(1, 6), *heading(f"{plan} · period {period}")]
        rows, voided = [], {}
        wrapped: dict[tuple[str, float], str] = {}  # the same item on many lines: wrap once
        for n, line in enumerate(section.lines):
            item = f"{line.sku} {line.item}" + (f" — {line.note}" if line.note else "")
            if line.voided and not line.note:
                item += " (voided)"
            rows.append([f"{line.usage_date:%Y-%m-%d}", line.appliance_type,
                         _wrap(wrapped, item, WIDTHS[2]), _wrap(wrapped, line.lot or "", WIDTHS[3]),
                         str(line.quantity), money(line.unit_cost), money(line.extended)])
            if line.voided:
                voided[n] = VOID_COLOR
        story.append(data_table(HEADER, rows, WIDTHS, numeric=(4, 5, 6), colored_rows=voided))
        totals = [[CATEGORY_NAMES[c], money(v)] for c, v in section.subtotals.items() if v]
        totals.append(["Total (voids netted)", money(section.total)])
        story += [Spacer(1, 4), data_table(("Subtotal by category", "Cost"), totals,
                                           [2.4 * inch, 1.0 * inch], numeric=(1,),
                                           bold_rows=(-1,), bold_size=8)]
    if len(sheet.sections) > 1:
        story.append(Line(f"Total for all plans: {money(sheet.total)}", style=HEADING))
    footer = f"{clinic_name} · {patient.display_name} ({patient.chart_number})"
    return build_pdf(story, f"Cost sheet {patient.chart_number}", footer)


def _wrap(wrapped: dict[tuple[str, float], str], value: str, width: float) -> str:
    key = (value, width)
    if key not in wrapped:
        wrapped[key] = cell_text(value, width)
    return wrapped[key]

