"""Shared page furniture for cost sheets and reports: fonts, styles, "Page X of Y"."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, TableStyle

from kiosk.adapters.pdf.fonts import register_fonts

REGULAR, BOLD = register_fonts()
TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=14, leading=18, spaceAfter=4)
HEADING = ParagraphStyle("heading", fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8,
                         spaceAfter=3, keepWithNext=1)
BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=7.5, leading=9)


def numbered_canvas(footer: str):
    """A canvas class that writes "<footer> · Page X of Y" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(REGULAR, 7.5)
                self.setFillGray(0.35)
                self.drawString(0.5 * inch, 0.4 * inch, footer)
                self.drawRightString(width - 0.5 * inch, 0.4 * inch,
                                     f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Flowable], title: str, footer: str, wide: bool = False) -> bytes:
    out = io.BytesIO()
    size = landscape(letter) if wide else letter
    doc = SimpleDocTemplate(out, pagesize=size, title=title, author="Ortho Supply Kiosk",
                            leftMargin=0.5 * inch, rightMargin=0.5 * inch,
                            topMargin=0.5 * inch, bottomMargin=0.7 * inch)
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return out.getvalue()


def data_table(header: Sequence[str], rows: list[list], widths: Sequence[float] | None = None,
               numeric: Sequence[int] = (), extra: Sequence[tuple] = ()) -> LongTable:
    """A table whose header row repeats on every page; ``numeric`` columns align right."""
    table = LongTable([list(header), *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("FONT", (0, 1), (-1, -1), REGULAR, 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#4a6a85")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7f9")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in numeric]
    table.setStyle(TableStyle(style + list(extra)))
    return table


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01')):,}" if value == value.quantize(
        Decimal("0.01")) else f"{value.normalize():,}"


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


def para(value: object, style: ParagraphStyle = CELL) -> Paragraph:
    escaped = text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, style)
