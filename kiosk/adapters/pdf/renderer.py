"""The DocumentRenderer port implemented with reportlab and zxing-cpp."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.adapters.pdf.cost_sheet import render_cost_sheet
from kiosk.adapters.pdf.labels import render_labels
from kiosk.adapters.pdf.recalled_labels import render_recalled_labels, render_recalled_zpl
from kiosk.adapters.pdf.reports import render_report
from kiosk.adapters.pdf.zpl import render_zpl
from kiosk.services.cost_sheet import CostSheet
from kiosk.services.labels import LabelData
from kiosk.services.recall_labels import RecalledLabel
from kiosk.services.reports import Report


class PdfRenderer:
    def labels(self, labels: list[LabelData], size: str = "2x1", start: int = 1) -> bytes:
        return render_labels(labels, size, start)

    def labels_zpl(self, labels: list[LabelData], size: str = "2x1") -> bytes:
        return render_zpl(labels, size).encode("utf-8")

    def recalled_labels(self, labels: list[RecalledLabel], size: str = "2x1",
                        start: int = 1) -> bytes:
        return render_recalled_labels(labels, size, start)

    def recalled_labels_zpl(self, labels: list[RecalledLabel], size: str = "2x1") -> bytes:
        return render_recalled_zpl(labels, size).encode("utf-8")

    def cost_sheet(self, sheet: CostSheet, clinic_name: str) -> bytes:
        return render_cost_sheet(sheet, clinic_name)

    def report(self, report: Report, clinic_name: str, extra: Sequence[Report] = ()) -> bytes:
        return render_report(report, clinic_name, extra)
