"""Render reports and values as a table, JSON or CSV; money stays exact."""

from __future__ import annotations

import json

from kiosk.domain.values import plain
from kiosk.services.report_export import cell as _cell
from kiosk.services.report_export import report_csv
from kiosk.services.reports import Report


def to_json(data: object) -> str:
    return json.dumps(data, default=plain, ensure_ascii=False, indent=2)


def report_json(report: Report) -> str:
    rows = [{key: plain(value) for key, value in row.items()} for row in report.rows]
    scope = report.scope.as_json() if report.scope else {}
    return to_json({"report": report.title, **scope, "rows": rows})


def report_table(report: Report, timezone: str = "UTC") -> str:
    header = list(report.columns)
    body = [[_cell(row.get(c)) for c in header] for row in report.rows]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *body, strict=False)]
    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [report.title]
    if report.scope is not None:
        lines.append(report.scope.sentence(timezone))
    lines += report.notes
    lines += [line(header), line(["-" * w for w in widths])]
    lines += [line(row) for row in body]
    if not body:
        lines.append("(no rows)")
    return "\n".join(lines)


RENDERERS = {"table": report_table, "json": report_json, "csv": report_csv}
