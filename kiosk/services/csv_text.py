"""CSV text the kiosk writes: one writer, and cells a spreadsheet cannot run as formulas.

OWASP's rule for CSV injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with ``'`` so Excel, LibreOffice and Sheets show it as text.
Numbers the kiosk produced itself (a negative adjustment, a refund) stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """The cell text of ``value``: numbers as they are, text neutralised when it could run."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    # A lone carriage return would split the row for readers that take CR as a line end;
    # as a newline inside the cell it is quoted like any other.
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows (the first is the header) as CSV text with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
