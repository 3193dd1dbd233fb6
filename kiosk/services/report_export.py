"""Reports as CSV text, the same for the CLI (`--format csv`) and the back-office export.

The header is the report's columns; each row has the report row's values in that order:
money as exact decimal text, times as ``YYYY-MM-DD HH:MM`` (UTC), booleans as yes/no and
missing values as empty cells.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from kiosk.domain.values import plain
from kiosk.services.reports import Report


def cell(value: object) -> str:
    """One value as the text of a CSV or table cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(plain(value))


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow([cell(row.get(c)) for c in report.columns])
    return out.getvalue()
