"""Reports as CSV text, the same for the CLI (`--format csv`) and the back-office export.

A report read from the ledger or the stock starts with one line saying where it came from
(issue 15): ``# `` and the scope sentence, as one cell, so a reader that skips ``#`` lines
(or a person) sees it and every other reader gets one extra single-cell row before the
header. The header is the report's columns; each row has the report row's values in that order:
money as exact decimal text, times as ``YYYY-MM-DD HH:MM`` (UTC), booleans as yes/no and
missing values as empty cells. Text cells a spreadsheet would run as a formula are
neutralised (``csv_text``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from kiosk.domain.values import plain
from kiosk.services.csv_text import csv_text
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


def _csv_value(value: object) -> object:
    """Numbers stay numbers (``csv_text`` leaves them as they are); the rest is cell text."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return cell(value)


def scope_row(report: Report) -> list[list[str]]:
    """The leading ``# <scope sentence>`` row (none for a report without a scope); kept on
    one line whatever a workstation name holds."""
    if report.scope is None:
        return []
    return [["# " + " ".join(report.scope.sentence().split())]]


def report_csv(report: Report) -> str:
    return csv_text([*scope_row(report), report.columns,
                     *([_csv_value(row.get(c)) for c in report.columns] for row in report.rows)])
