"""Ports for documents and printers, so services and the CLI stay free of reportlab and lp."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kiosk.domain.errors import ValidationError
from kiosk.services.cost_sheet import CostSheet
from kiosk.services.labels import LabelData
from kiosk.services.recall_labels import RecalledLabel
from kiosk.services.reports import Report

LABEL_SIZES = ("2x1", "4x2", "avery5160")
MAX_PRINT_COPIES = 20  # a print job of a cost sheet or report; a typo must not spool 10**9


def print_copies(copies: object, name: str = "The number of copies") -> int:
    """``copies`` as a whole number from 1 to MAX_PRINT_COPIES, or one sentence naming ``name``."""
    try:
        value = int(str(copies).strip()) if not isinstance(copies, bool) else None
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_PRINT_COPIES:
        raise ValidationError(f"{name} must be a whole number from 1 to {MAX_PRINT_COPIES}, "
                              f"not {str(copies)[:20]!r}.")
    return value


class DocumentRenderer(Protocol):
    def labels(self, labels: list[LabelData], size: str = "2x1", start: int = 1) -> bytes:
        """A PDF of the labels; ``start`` is the first free position (1-30) of an Avery sheet."""
        ...

    def labels_zpl(self, labels: list[LabelData], size: str = "2x1") -> bytes:
        """ZPL II for a Zebra printer, one label per ^XA…^XZ."""
        ...

    def recalled_labels(self, labels: list[RecalledLabel], size: str = "2x1",
                        start: int = 1) -> bytes:
        """A PDF of "RECALLED — do not use" over-labels, on the lot labels' sizes."""
        ...

    def recalled_labels_zpl(self, labels: list[RecalledLabel], size: str = "2x1") -> bytes:
        """The over-labels as ZPL II."""
        ...

    def cost_sheet(self, sheet: CostSheet, clinic_name: str) -> bytes: ...

    def report(self, report: Report, clinic_name: str, extra: Sequence[Report] = ()) -> bytes:
        """The report's own layout, then each ``extra`` report as a plain table."""
        ...


class Printer(Protocol):
    def print_file(self, path: str, printer: str | None = None, copies: int = 1) -> str:
        """Send a file to a printer (None: the system default); returns the spooler's reply.
        Raises ``PrintFailed`` (a KioskError) with one sentence when it cannot."""
        ...
