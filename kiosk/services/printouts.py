"""Printouts: the cost sheet, lot labels, saved reports and the printer test page, rendered
through the ``DocumentRenderer`` port and written through the ``FileSink`` port.

Each renders and writes a file: call them on a background executor, never the GUI thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from kiosk.domain.errors import KioskError
from kiosk.services.app_ports import FileSink
from kiosk.services.context import ServiceContext
from kiosk.services.cost_sheet import cost_sheet
from kiosk.services.labels import LabelData, lot_label
from kiosk.services.printing_ports import DocumentRenderer
from kiosk.services.report_export import report_csv
from kiosk.services.reports import Report

LABEL_SIZE = "2x1"  # the thermal lot label printed when stock is received
REPORT_FORMATS = ("pdf", "csv")


@dataclass(frozen=True)
class SavedSheet:
    """A cost sheet written to a file, and the scope line it prints (issue 15)."""

    path: Path
    scope_line: str = ""  # which chairs' usages it covers; "" when it does not say


@dataclass(frozen=True)
class Printouts:
    context: ServiceContext
    files: FileSink
    renderer: Callable[[], DocumentRenderer]  # reportlab loads only when a PDF is made
    clinic_name: str
    workstation_id: str

    def cost_sheet(self, actor: str | None, patient_ref: str) -> SavedSheet:
        """The patient's cost sheet (all treatment plans) as ``cost-sheet-<chart>-<stamp>.pdf``,
        with the scope line printed on it, for the screen to say too."""
        sheet = cost_sheet(self.context, actor, patient_ref)
        data = self.renderer().cost_sheet(sheet, self.clinic_name)
        path = self._write(f"cost-sheet-{sheet.patient.chart_number}", "pdf", data)
        return SavedSheet(path, sheet.scope.sentence() if sheet.scope else "")

    def lot_labels(self, actor: str, sku: str, lot_number: str, copies: int) -> Path:
        """``copies`` labels of one lot as ``labels-<sku>-<lot>-<stamp>.pdf``."""
        label = lot_label(self.context, actor, lot_number, sku)
        data = self.renderer().labels([label] * copies, LABEL_SIZE)
        return self._write(f"labels-{label.sku}-{label.lot}", "pdf", data)

    def report(self, report: Report, fmt: str, path: str | Path | None = None,
               extra: tuple[Report, ...] = ()) -> Path:
        """``report`` as a PDF (its own layout, then the ``extra`` tables) or as CSV, to
        ``path`` (a file, or a folder to put it in), by default to the printouts folder."""
        if fmt not in REPORT_FORMATS:
            raise KioskError(f"A report is saved as {' or '.join(REPORT_FORMATS)}, not {fmt!r}.")
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", report.title.lower()).strip("-") or "report"
        target = self.files.target(Path(path) if path else None, slug, fmt)
        if fmt == "pdf":
            data = self.renderer().report(report, self.clinic_name, extra)
        else:
            data = report_csv(report).encode("utf-8")
        return self.files.write(target, data)

    def test_page(self, printer: str) -> Path:
        """A printer test page: one 4×2 in label naming this workstation and the printer."""
        now = self.context.now().astimezone(UTC)
        label = LabelData(item_name=f"Printer test · {self.workstation_id}",
                          sku="TEST-PAGE", gtin="00000000000000", lot="TEST",
                          expiry=None, vendor=printer or "default printer", received=now.date())
        data = self.renderer().labels([label], size="4x2")
        return self._write("test-page", "pdf", data)

    def _write(self, name: str, suffix: str, data: bytes) -> Path:
        return self.files.write(self.files.new_file(name, suffix), data)
