"""A patient's cost sheet as PDF: header, usage lines with voids shown, subtotals, total."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Spacer

from kiosk.adapters.pdf.layout import (
    BODY,
    BOLD,
    HEADING,
    TITLE,
    build_pdf,
    data_table,
    money,
    para,
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
WIDTHS = [0.8 * inch, 0.85 * inch, 2.75 * inch, 0.9 * inch, 0.45 * inch, 0.8 * inch,
          0.95 * inch]


def render_cost_sheet(sheet: CostSheet, clinic_name: str) -> bytes:
    patient = sheet.patient
    story = [
        Paragraph(_esc(clinic_name), TITLE),
        Paragraph("Supply cost sheet", HEADING),
        Paragraph(f"Patient: <b>{_esc(patient.display_name)}</b> · chart number "
                  f"<b>{_esc(patient.chart_number)}</b> · printed {sheet.printed_on:%Y-%m-%d}",
                  BODY),
    ]
    if not sheet.sections:
        story.append(Paragraph("No supplies have been recorded for this patient.", BODY))
    for section in sheet.sections:
        plan = (f"Treatment plan {section.treatment_plan_id}" if section.treatment_plan_id
                else "No treatment plan")
        period = (f"{section.period_start:%Y-%m-%d} to {section.period_end:%Y-%m-%d}"
                  if section.period_start else "")
        story += [Spacer(1, 6), Paragraph(f"{_esc(plan)} · period {period}",
                                          HEADING)]
        rows, marks = [], []
        for n, line in enumerate(section.lines, start=1):
            item = f"{line.sku} {line.item}" + (f" — {line.note}" if line.note else "")
            if line.voided and not line.note:
                item += " (voided)"
            rows.append([f"{line.usage_date:%Y-%m-%d}", line.appliance_type, para(item),
                         para(line.lot or ""), str(line.quantity), money(line.unit_cost),
                         money(line.extended)])
            if line.voided:
                marks.append(("TEXTCOLOR", (0, n), (-1, n), colors.HexColor("#8a2b2b")))
        story.append(data_table(HEADER, rows, WIDTHS, numeric=(4, 5, 6), extra=marks))
        totals = [[CATEGORY_NAMES[c], money(v)] for c, v in section.subtotals.items() if v]
        totals.append(["Total (voids netted)", money(section.total)])
        story += [Spacer(1, 4), data_table(("Subtotal by category", "Cost"), totals,
                                           [2.4 * inch, 1.0 * inch], numeric=(1,),
                                           extra=[("FONT", (0, -1), (-1, -1), BOLD, 8)])]
    if len(sheet.sections) > 1:
        story.append(Paragraph(f"<b>Total for all plans: {money(sheet.total)}</b>", HEADING))
    footer = f"{clinic_name} · {patient.display_name} ({patient.chart_number})"
    return build_pdf(story, f"Cost sheet {patient.chart_number}", footer)


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
