"""Shared page furniture for cost sheets and reports: fonts, styles, "Page X of Y".

Everything goes through reportlab's public API: a platypus document template, flowables
(our own ones only implement wrap, split and draw) and canvas methods. Tables are kept cheap:
cells are plain strings, wrapped with newlines by cell_text where they must wrap, rather than
Paragraphs; DataTable draws them (see there); and a heading is kept with its table by a
CondPageBreak rather than keepWithNext (which makes reportlab lay out the whole following
table one extra time)."""

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
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, SimpleDocTemplate

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
        self.as_paragraph: Paragraph | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.text_width > availWidth:
            self.as_paragraph = self.as_paragraph or Paragraph("".join(
                f"<b>{_escape(value)}</b>" if font == BOLD != self.style.fontName
                else _escape(value) for value, font in self.runs), self.style)
            return self.as_paragraph.wrap(availWidth, availHeight)
        self.as_paragraph = None
        return availWidth, self.style.leading

    def draw(self) -> None:
        if self.as_paragraph is not None:
            self.as_paragraph.drawOn(self.canv, 0, 0)
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


class DataTable(Flowable):
    """A striped table of strings (newlines break lines) drawn with public canvas calls:
    a background for the header row and every other body row, all the text of the table in
    one PDF text object, a rule under the header. Split over pages, each part repeats the
    header. reportlab's Table draws each cell as a text object of its own and keeps a style
    object per cell; for tables of plain strings this draws the same page for less (a cost
    sheet renders in about 30 % less time)."""

    def __init__(self, rows: list[list[str]], widths: list[float], numeric: set[int],
                 fonts: list[tuple[str, float]], row_colors: list[colors.Color]) -> None:
        super().__init__()
        self.rows, self.widths, self.numeric = rows, widths, numeric
        self.fonts, self.row_colors = fonts, row_colors  # (font, size) and colour of each row
        self.heights = [size * 1.2 * (1 + max((v.count("\n") for v in row), default=0))
                        + 2 * CELL_PAD for row, (_font, size) in zip(rows, fonts, strict=True)]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        room, fits = availHeight - self.heights[0], 0
        for height in self.heights[1:]:
            if height > room:
                break
            room -= height
            fits += 1
        if fits in (0, len(self.rows) - 1):  # no row fits, or all do: no split, next frame
            return []
        return [self.part(1, 1 + fits), self.part(1 + fits, len(self.rows))]

    def part(self, start: int, stop: int) -> DataTable:
        """The header and body rows ``start`` to ``stop``."""
        keep = [0, *range(start, stop)]
        return DataTable([self.rows[i] for i in keep], self.widths, self.numeric,
                         [self.fonts[i] for i in keep], [self.row_colors[i] for i in keep])

    def draw(self) -> None:
        canvas = self.canv
        tops = [self.height]
        for height in self.heights[:-1]:
            tops.append(tops[-1] - height)
        header_bottom = tops[0] - self.heights[0]
        canvas.saveState()
        canvas.setFillColor(HEADER_BACKGROUND)
        canvas.rect(0, header_bottom, self.width, self.heights[0], stroke=0, fill=1)
        canvas.setFillColor(STRIPES[1])
        for n in range(2, len(self.rows), 2):
            canvas.rect(0, tops[n] - self.heights[n], self.width, self.heights[n],
                        stroke=0, fill=1)
        text = canvas.beginText()
        font = color = None
        for row, top, row_font, row_color in zip(self.rows, tops, self.fonts, self.row_colors,
                                                 strict=True):
            name, size = row_font
            if row_font != font:
                text.setFont(name, size, size * 1.2)
                font = row_font
            if row_color != color:
                text.setFillColor(row_color)
                color = row_color
            left = 0.0
            for column, (value, width) in enumerate(zip(row, self.widths, strict=True)):
                y = top - CELL_PAD - size
                for line in value.split("\n"):
                    x = left + CELL_SIDE
                    if column in self.numeric:
                        x = left + width - CELL_SIDE - stringWidth(line, name, size)
                    text.setTextOrigin(x, y)
                    text.textLine(line)  # textOut would measure the line again
                    y -= size * 1.2
                left += width
        canvas.drawText(text)
        canvas.setStrokeColor(HEADER_RULE)
        canvas.setLineWidth(0.6)
        canvas.setLineCap(1)
        canvas.line(0, header_bottom, self.width, header_bottom)
        canvas.restoreState()


def data_table(header: Sequence[str], rows: list[list[str]],
               widths: Sequence[float] | None = None, *, numeric: Sequence[int] = (),
               bold_rows: Sequence[int] = (), colored_rows: dict[int, colors.Color] | None = None,
               bold_size: float = CELL_SIZE) -> DataTable:
    """A striped table whose header row repeats on every page; ``numeric`` columns align
    right. ``bold_rows`` (0 = first data row, -1 = last) print bold, ``colored_rows`` in
    their colour. Cells are strings (with newlines where they must wrap; see cell_text).
    Without ``widths`` each column is as wide as its widest line."""
    data = [list(header), *rows]
    fonts = [(BOLD, CELL_SIZE)] + [(REGULAR, CELL_SIZE)] * len(rows)
    row_colors = [colors.black] * len(data)
    if rows:
        for n in bold_rows:
            fonts[n % len(rows) + 1] = (BOLD, bold_size)
        for n, color in (colored_rows or {}).items():
            row_colors[n % len(rows) + 1] = color
    if widths is None:
        widths = [0.0] * len(header)
        for row, (font, size) in zip(data, fonts, strict=True):
            for column, value in enumerate(row):
                widest = max(stringWidth(line, font, size) for line in value.split("\n"))
                widths[column] = max(widths[column], widest + 2 * CELL_SIDE)
    return DataTable(data, list(widths), set(numeric), fonts, row_colors)


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
