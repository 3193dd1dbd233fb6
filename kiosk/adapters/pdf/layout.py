"""Shared page furniture for cost sheets and reports: fonts, styles, "Page X of Y".

Tables are built for speed as well as looks: cells are plain strings unless they must wrap,
every cell of a column shares one CellStyle (reportlab would otherwise make and restyle one
per cell), single-line rows get their height up front (reportlab would measure every cell on
every page split), and a heading is kept with its table by a CondPageBreak rather than
keepWithNext (which makes reportlab lay out the whole following table one extra time)."""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

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
ROW_HEIGHT = CELL_LEADING + 2 * CELL_PAD  # a row of one-line strings
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
        # reportlab's Flowable sets wrapped = 0 and never reads it
        self.wrapped: Paragraph | None = None  # type: ignore[assignment]

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


def numbered_canvas(footer: str):
    """A canvas class that writes "<footer> · Page X of Y" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab internal

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]  # type: ignore[attr-defined]  # reportlab internal
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


class CellText(PDFTextObject):
    """A text object whose origin moves are written with a plain "%.2f" (reportlab's fp_str
    is pure Python here and was a fifth of a cost sheet's time); hundredths of a point."""

    def setTextOrigin(self, x: float, y: float) -> None:
        # _canvas, _code: reportlab internals the stubs leave out
        if not self._canvas.bottomup:  # type: ignore[attr-defined]  # never in platypus documents
            super().setTextOrigin(x, y)
            return
        self._code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")  # type: ignore[attr-defined]
        self._x0 = self._x = x
        self._y0 = self._y = y


class DataTable(LongTable):
    """A LongTable that writes all its plain-string cells into one PDF text object per page
    instead of one text object (and a string measurement, needed or not) per cell as
    ``canvas.drawString`` does. Flowable cells, links and bidi text keep reportlab's path."""

    def draw(self) -> None:
        self._text: CellText | None = None
        super().draw()

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:  # reportlab's name
        if (not isinstance(cellval, str) or cellstyle.href or cellstyle.destination
                or cellstyle.direction or cellstyle.shaping
                or cellstyle.alignment not in ("LEFT", "RIGHT") or cellstyle.valign != "TOP"):
            super()._drawCell(cellval, cellstyle, pos, size)  # type: ignore[misc]  # internal
            return
        text = self._text
        if text is None:
            text = self._text = CellText(self.canv)
            self._font = self._color = None
        if self._font != (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading):
            self._font = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            text.setFont(*self._font)
        if self._color != cellstyle.color:
            self._color = cellstyle.color
            text.setFillColor(cellstyle.color)
        self._curcellstyle = None  # reportlab's own path sets its font and colour again
        (x, y), (width, height) = pos, size
        y += height - cellstyle.topPadding - cellstyle.fontsize
        right = cellstyle.alignment == "RIGHT"
        x += width - cellstyle.rightPadding if right else cellstyle.leftPadding
        for line in cellval.split("\n"):
            shift = stringWidth(line, cellstyle.fontname, cellstyle.fontsize) if right else 0
            text.setTextOrigin(x - shift, y)
            text._textOut(line)  # type: ignore[attr-defined]  # textOut would measure it again
            y -= cellstyle.leading

    def _drawLines(self) -> None:  # runs after the cells
        if self._text is not None:
            self.canv.drawText(self._text)
            self._text = None
        super()._drawLines()  # type: ignore[misc]  # reportlab internal


def data_table(header: Sequence[str], rows: list[list], widths: Sequence[float] | None = None,
               *, numeric: Collection[int] = (), bold_rows: Sequence[int] = (),
               colored_rows: dict[int, colors.Color] | None = None,
               bold_size: float = CELL_SIZE) -> LongTable:
    """A striped table whose header row repeats on every page; ``numeric`` columns align
    right. ``bold_rows`` (0 = first data row, -1 = last) print bold, ``colored_rows`` in
    their colour. Cells are strings, or Paragraphs where they must wrap."""
    columns = len(header)
    numeric = set(numeric)
    body = _column_styles("body", columns, numeric, font=REGULAR, size=CELL_SIZE)
    head = _column_styles("head", columns, numeric, font=BOLD, size=CELL_SIZE)
    styles = [head] + [body] * len(rows)
    heights = [_row_height(list(header))] + [_row_height(r) for r in rows]
    bold = {n % len(rows) for n in bold_rows} if rows else set()
    colored = {n % len(rows): c for n, c in (colored_rows or {}).items()} if rows else {}
    for n in bold | colored.keys():
        font, size = (BOLD, bold_size) if n in bold else (REGULAR, CELL_SIZE)
        styles[n + 1] = _column_styles(f"row{n}", columns, numeric, font=font, size=size,
                                       color=colored.get(n))
        heights[n + 1] = None  # reportlab measures the rows styled differently
    table = DataTable([list(header), *rows], colWidths=widths, rowHeights=heights,
                      repeatRows=1, hAlign="LEFT", cellStyles=styles)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, HEADER_RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), STRIPES),
    ]))
    return table


def _column_styles(name: str, columns: int, numeric: Collection[int], *, font: str, size: float,
                   color: colors.Color | None = None) -> list[CellStyle]:
    """One CellStyle per column, shared by every row that looks the same."""
    styles = []
    for column in range(columns):
        style = CellStyle(f"{name}-{column}")
        style.fontname, style.fontsize, style.leading = font, size, size * 1.2
        style.topPadding = style.bottomPadding = CELL_PAD
        style.leftPadding = style.rightPadding = CELL_SIDE
        style.valign = "TOP"
        style.alignment = "RIGHT" if column in numeric else "LEFT"
        if color is not None:
            style.color = color
        styles.append(style)
    return styles


def _row_height(row: list) -> float | None:
    """The height of a row of strings (as reportlab would measure it: one leading a line
    plus the paddings); None for a row with a flowable, which reportlab measures."""
    try:
        joined = "\x00".join(row)
    except TypeError:  # a Paragraph cell
        return None
    if "\n" not in joined:
        return ROW_HEIGHT
    return ROW_HEIGHT + CELL_LEADING * max(value.count("\n") for value in row)


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
