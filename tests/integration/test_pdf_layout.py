"""The fast PDF table and text pieces (kiosk/adapters/pdf/layout.py) lose nothing: wrapped
cells, one-line headings that fall back to a wrapping Paragraph, tables over many pages."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk.adapters.pdf.layout import (
    BOLD,
    CELL_SIDE,
    CELL_SIZE,
    REGULAR,
    TITLE,
    Line,
    build_pdf,
    cell_text,
    data_table,
    heading,
)


def pages_text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            texts.append(re.sub(r"\s+", " ", page.get_textpage().get_text_range()))
            bitmap = page.render(scale=1).to_numpy()
            assert bitmap.size and bitmap.min() < 128  # every page draws something
        return texts
    finally:
        pdf.close()


def test_cell_text_wraps_at_spaces_breaks_long_words_and_keeps_every_character():
    width = 1.2 * inch
    value = "Łukasz Søren & <Co> bracket " + "X" * 60 + " end"
    wrapped = cell_text(value, width)
    lines = wrapped.split("\n")
    assert len(lines) > 2
    assert all(stringWidth(line, REGULAR, CELL_SIZE) <= width - 2 * CELL_SIDE
               for line in lines)
    assert "".join(wrapped.split()) == "".join(value.split())  # nothing lost or added
    assert cell_text("short", width) == "short"


def test_a_long_table_repeats_its_header_and_prints_every_row_and_wrapped_cell():
    rows = [[f"row-{n:03d}", cell_text(f"Łukasz item {n} " + "word " * 12, 2.0 * inch),
             f"{n}.25"] for n in range(300)]
    story = [Line("Ørsted Clinic", style=TITLE), *heading("Every usage"),
             data_table(("Name", "Item", "Cost"), rows, [1.0 * inch, 2.0 * inch, 1.0 * inch],
                        numeric=(2,), bold_rows=(-1,), colored_rows={0: colors.red})]
    texts = pages_text(build_pdf(story, "t", "Ørsted Clinic · test"))
    assert len(texts) > 3
    assert all("Name Item Cost" in text for text in texts)
    assert all(f"Page {n} of {len(texts)}" in text for n, text in enumerate(texts, start=1))
    joined = " ".join(texts)
    for n in range(300):
        assert f"row-{n:03d} Łukasz item {n} " in joined
        assert f"{n}.25" in joined
    assert "Ørsted Clinic Every usage" in texts[0]


def test_a_line_wider_than_the_page_wraps_as_a_paragraph_and_keeps_its_bold_runs():
    words = " ".join(f"Søren{n}" for n in range(60))
    story = [Line("Patient: ", ("Łukasz Nowak", BOLD), " · ", words)]
    text = pages_text(build_pdf(story, "t", "footer"))[0]
    assert f"Patient: Łukasz Nowak · {words}" in text


def test_a_table_splits_between_rows_each_part_with_the_header_and_never_empty():
    table = data_table(("A", "B"), [[f"r{n}", "two\nlines"] for n in range(10)],
                       [1.0 * inch, 1.0 * inch])
    _width, height = table.wrap(6 * inch, 10 * inch)
    first, rest = table.split(6 * inch, height / 2)
    assert first.rows[0] == rest.rows[0] == ["A", "B"]
    assert [row[0] for row in first.rows[1:] + rest.rows[1:]] == [f"r{n}" for n in range(10)]
    assert first.wrap(6 * inch, 10 * inch)[1] <= height / 2
    assert table.split(6 * inch, height) == []  # it all fits: nothing to split
    assert table.split(6 * inch, 5) == []  # not even one row: the table moves on whole
