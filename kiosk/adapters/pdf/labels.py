"""Lot labels as PDF: 2×1 in and 4×2 in thermal labels, and Avery 5160 letter sheets."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from kiosk.adapters.pdf.barcodes import draw_datamatrix, draw_gs1_128
from kiosk.adapters.pdf.fonts import fit, register_fonts
from kiosk.domain.errors import ValidationError
from kiosk.services.labels import LabelData


@dataclass(frozen=True)
class Sheet:
    """Where labels go: ``cols`` × ``rows`` cells of ``width`` × ``height`` on a page."""

    page: tuple[float, float]
    width: float
    height: float
    cols: int = 1
    rows: int = 1
    left: float = 0.0
    top: float = 0.0
    pitch_x: float = 0.0
    pitch_y: float = 0.0

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def cell(self, position: int) -> tuple[float, float]:
        """Lower-left corner of cell ``position`` (0-based, across then down)."""
        row, col = divmod(position, self.cols)
        x = self.left + col * self.pitch_x
        y = self.page[1] - self.top - row * self.pitch_y - self.height
        return x, y


SHEETS = {
    "2x1": Sheet((2 * inch, 1 * inch), 2 * inch, 1 * inch),
    "4x2": Sheet((4 * inch, 2 * inch), 4 * inch, 2 * inch),
    # Avery 5160 / 8160: 2⅝ × 1 in, 3 across, 10 down, 0.5 in top, 3/16 in left, 1/8 in gutter
    "avery5160": Sheet(letter, 2.625 * inch, 1 * inch, cols=3, rows=10, left=0.1875 * inch,
                       top=0.5 * inch, pitch_x=2.75 * inch, pitch_y=1 * inch),
}


T = TypeVar("T")


def render_labels(labels: list[LabelData], size: str = "2x1", start: int = 1) -> bytes:
    """One PDF; ``start`` (1-based, Avery only) skips the used cells of the first sheet."""
    return render_sheet(labels, size, start, "Lot labels", draw_label)


def render_sheet(labels: Sequence[T], size: str, start: int, title: str,
                 draw: Callable[..., None]) -> bytes:
    """Labels laid out cell by cell on the sheets of ``size``, each drawn by
    ``draw(canvas, label, x, y, w=..., h=...)``; a new page when a sheet is full."""
    if size not in SHEETS:
        raise ValidationError(f"Unknown label size {size!r}; use 2x1, 4x2 or avery5160.")
    sheet = SHEETS[size]
    if not 1 <= start <= sheet.per_page:
        raise ValidationError(f"The start position must be 1 to {sheet.per_page} for {size}.")
    register_fonts()
    out = io.BytesIO()
    c = Canvas(out, pagesize=sheet.page, pageCompression=1)
    c.setTitle(title)
    position = start - 1
    for n, label in enumerate(labels):
        if n and position == 0:
            c.showPage()
        x, y = sheet.cell(position)
        draw(c, label, x, y, w=sheet.width, h=sheet.height)
        position = (position + 1) % sheet.per_page
    c.showPage()
    c.save()
    return out.getvalue()


def draw_label(c, label: LabelData, x: float, y: float, *, w: float, h: float) -> None:
    """DataMatrix top left, the human-readable block to its right, GS1-128 along the bottom."""
    regular, bold = register_fonts()
    s = h / 72
    pad = 4 * s
    bar_h = 0.24 * h
    draw_gs1_128(c, label.gs1_hri, x + pad / 2, y + pad, width=w - pad, height=bar_h)
    dm = h - bar_h - 3 * pad
    draw_datamatrix(c, label.gs1_hri, x + pad + 2 * s, y + bar_h + 2 * pad, dm - 2 * s)
    tx = x + pad + dm + pad * 1.5
    width = x + w - pad - tx
    size = 5.4 * s
    lines = [
        (bold, label.item_name),
        (regular, f"GTIN {label.gtin}"),
        (bold, f"LOT {label.lot}"),
        (bold, f"EXP {label.expiry:%Y-%m-%d}" if label.expiry else "EXP —"),
        (regular, "Rcvd " + (f"{label.received:%Y-%m-%d}" if label.received else "—")),
        (regular, label.vendor or ""),
    ]
    top = y + h - pad - size
    step = (h - bar_h - 3 * pad) / len(lines)
    for i, (font, text) in enumerate(lines):
        c.setFont(font, size)
        c.drawString(tx, top - i * step, fit(text, font, size, width))
