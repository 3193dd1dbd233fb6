"""Shared page furniture for cost sheets and reports: fonts, styles, "Page X of Y".

Everything goes through reportlab's public API (platypus templates, tables and table
styles, canvas methods). Tables are kept cheap to lay out: cells are plain strings, wrapped
with newlines by cell_text where they must wrap, rather than Paragraphs, and a heading is
kept with its table by a CondPageBreak rather than keepWithNext (which makes reportlab lay
out the whole following table one extra time)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    TableStyle,
)

from kiosk.adapters.pdf.fonts import register_fonts

REGULAR, BOLD = register_fonts()
# Binary (Flate only) streams: every PDF reader takes them, the file is ~20 % smaller and
# reportlab's pure-Python ASCII85 pass over every page and font is gone. Process-wide,
# like the fonts, so it also holds for labels and any other reportlab document made here.
rl_config.useA85 = 0
TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=14, leading=18, spaceAfter=4)
HEADING = ParagraphStyle("heading", fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8,
                         spaceAfter=3)
BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=7.5, leading=9)
CELL_SIZE, CELL_LEADING, CELL_PAD, CELL_SIDE = 7.5, 9.0, 1.5, 6.0
HEADER_BACKGROUND, HEADER_RULE = colors.HexColor("#dde6ee"), colors.HexColor("#4a6a85")
STRIPES = [colors.white, colors.HexColor("#f5f7f9")]
KEEP_WITH_TABLE = 1.0 * inch  # a heading needs this much room below it, or a new page


class Line(Flowable):
    """One line of text with ``style``'s size and spacing, in runs of plain text (a run is a
    string in the style's font, or a (string, font) pair): what a Paragraph shows for a
    title, heading or caption, without parsing markup or breaking lines. If the line is
    wider than the frame, a Paragraph of the same text takes over and wraps it."""

    def __init__(self, *runs: str | tuple[str, str], style: ParagraphStyle = BODY) -> None:
        super().__init__()
        self.style = style
        self.runs = [(run, style.fontName) if isinstance(run, str) else run for run in runs]
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.text_width = sum(stringWidth(value, font, style.fontSize)
                              for value, font in self.runs)
        self.wrapped: Paragraph | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.text_width > availWidth:
            self.wrapped = self.wrapped or Paragraph("".join(
                f"<b>{_escape(value)}</b>" if font == BOLD != self.style.fontName
                else _escape(value) for value, font in self.runs), self.style)
            return self.wrapped.wrap(availWidth, availHeight)
        self.wrapped = None
        return availWidth, self.style.leading

    def draw(self) -> None:
        if self.wrapped is not None:
            self.wrapped.drawOn(self.canv, 0, 0)
            return
        size = self.style.fontSize
        text = self.canv.beginText(0, self.style.leading - size)  # where a Paragraph puts it
        text.setFillColor(self.style.textColor)
        for value, font in self.runs:
            text.setFont(font, size)
            text.textOut(value)
        self.canv.drawText(text)


def heading(value: str, style: ParagraphStyle = HEADING) -> list[Flowable]:
    """A heading (plain text) that never ends a page: a new page starts unless there is room
    for it and the first rows of what follows."""
    return [CondPageBreak(KEEP_WITH_TABLE), Line(value, style=style)]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FOOTER_FONT_SIZE, FOOTER_Y, FOOTER_SIDE = 7.5, 0.4 * inch, 0.5 * inch


def footer_canvas(footer: str, page_width: float) -> type[Canvas]:
    """A Canvas class whose pages end with "<footer> · Page X of Y".

    Y is only known once the last page is done, so each page shows its "Page X of Y" as a
    form XObject (reportlab's doForm lets a page use a form defined later) and save()
    defines the forms, one per page, before writing the file: one layout pass, no second
    build of the story."""

    class FooterCanvas(Canvas):
        page_count = 0  # pages shown so far

        def showPage(self) -> None:
            self.page_count = self.getPageNumber()
            self.saveState()
            self.setFont(REGULAR, FOOTER_FONT_SIZE)
            self.setFillGray(0.35)
            self.drawString(FOOTER_SIDE, FOOTER_Y, footer)
            self.doForm(page_number_form(self.page_count))
            self.restoreState()
            super().showPage()

        def save(self) -> None:
            for number in range(1, self.page_count + 1):
                self.beginForm(page_number_form(number))
                self.setFont(REGULAR, FOOTER_FONT_SIZE)
                self.setFillGray(0.35)
                self.drawRightString(page_width - FOOTER_SIDE, FOOTER_Y,
                                     f"Page {number} of {self.page_count}")
                self.endForm()
            super().save()

    return FooterCanvas


def page_number_form(number: int) -> str:
    return f"pageNumber{number}"


def build_pdf(story: list[Flowable], title: str, footer: str, wide: bool = False) -> bytes:
    """The story on letter pages (landscape if ``wide``), each with "<footer> · Page X of Y"."""
    out = io.BytesIO()
    size = landscape(letter) if wide else letter
    doc = SimpleDocTemplate(out, pagesize=size, title=title, author="Ortho Supply Kiosk",
                            leftMargin=0.5 * inch, rightMargin=0.5 * inch,
                            topMargin=0.5 * inch, bottomMargin=0.7 * inch)
    doc.build(story, canvasmaker=footer_canvas(footer, size[0]))
    return out.getvalue()


def data_table(header: Sequence[str], rows: list[list], widths: Sequence[float] | None = None,
               *, numeric: Sequence[int] = (), bold_rows: Sequence[int] = (),
               colored_rows: dict[int, colors.Color] | None = None,
               bold_size: float = CELL_SIZE) -> LongTable:
    """A striped table whose header row repeats on every page; ``numeric`` columns align
    right. ``bold_rows`` (0 = first data row, -1 = last) print bold, ``colored_rows`` in
    their colour. Cells are strings (with newlines where they must wrap; see cell_text)."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *(("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, HEADER_RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), STRIPES),
    ]
    leadings = [CELL_LEADING] * (len(rows) + 1)
    if rows:
        for n in {n % len(rows) for n in bold_rows}:
            commands.append(("FONT", (0, n + 1), (-1, n + 1), BOLD, bold_size,
                             bold_size * 1.2))
            leadings[n + 1] = bold_size * 1.2
        for n, color in (colored_rows or {}).items():
            row = n % len(rows) + 1
            commands.append(("TEXTCOLOR", (0, row), (-1, row), color))
    data = [list(header), *rows]
    heights = [_row_height(row, leading) for row, leading in zip(data, leadings, strict=True)]
    return LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT",
                     style=TableStyle(commands))


def _row_height(row: list, leading: float) -> float | None:
    """The height reportlab would measure for a row of strings (a leading a line, plus the
    paddings), given up front: otherwise a long table measures all its remaining rows
    again at every page split. None for a row holding anything else: reportlab measures."""
    if not all(isinstance(value, str) for value in row):
        return None
    return leading * (1 + max((value.count("\n") for value in row), default=0)) + 2 * CELL_PAD


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
    return Paragraph(_escape(text(value)), style)


def cell_text(value: object, width: float) -> str:
    """``value`` as a plain string wrapped with newlines at spaces (a word too long for the
    column is broken) to fit a ``width``-point column: what a Paragraph cell would show,
    without parsing markup or laying out a Paragraph. Each word is measured once."""
    room = width - 2 * CELL_SIDE
    lines = []
    for paragraph in text(value).split("\n"):
        if _width(paragraph) <= room:
            lines.append(paragraph)
            continue
        space, line, used = _width(" "), "", 0.0
        for word in paragraph.split(" "):
            size = _width(word)
            if line and used + space + size <= room:
                line, used = f"{line} {word}", used + space + size
                continue
            if line:
                lines.append(line)
            *whole, line = _break_word(word, room) if size > room else [word]
            lines += whole
            used = _width(line) if whole else size
        lines.append(line)
    return "\n".join(lines)


def _break_word(word: str, room: float) -> list[str]:
    """``word`` in pieces of at most ``room`` points (at least one character each)."""
    pieces = []
    while len(word) > 1 and _width(word) > room:
        cut = next((n for n in range(len(word) - 1, 1, -1) if _width(word[:n]) <= room), 1)
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def _width(value: str) -> float:
    return stringWidth(value, REGULAR, CELL_SIZE)
