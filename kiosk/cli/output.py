"""Render reports and values as a table, JSON or CSV; money stays exact."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from kiosk.domain.values import plain
from kiosk.services.reports import Report


def to_json(data: object) -> str:
    return json.dumps(data, default=plain, ensure_ascii=False, indent=2)


def report_json(report: Report) -> str:
    rows = [{key: plain(value) for key, value in row.items()} for row in report.rows]
    return to_json({"report": report.title, "rows": rows})


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow([_cell(row.get(c)) for c in report.columns])
    return out.getvalue()


def report_table(report: Report) -> str:
    header = list(report.columns)
    body = [[_cell(row.get(c)) for c in header] for row in report.rows]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *body, strict=False)]
    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [report.title, line(header), line(["-" * w for w in widths])]
    lines += [line(row) for row in body]
    if not body:
        lines.append("(no rows)")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(plain(value))


RENDERERS = {"table": report_table, "json": report_json, "csv": report_csv}
