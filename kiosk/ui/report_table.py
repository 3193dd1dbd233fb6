"""A read-only table of a report's rows, with readable headers and times in the clinic's zone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kiosk.services.report_export import cell
from kiosk.services.reports import Report


def header(column: str) -> str:
    """``usageDate`` -> ``Usage date``; ``bracketCost`` -> ``Bracket cost``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column).capitalize()


class ReportTable(QTableWidget):
    def __init__(self, name: str, timezone: str = "UTC") -> None:
        super().__init__(0, 0)
        self.setObjectName(name)
        self._zone = ZoneInfo(timezone)
        self.columns: tuple[str, ...] = ()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_report(self, report: Report | None, columns: Sequence[str] | None = None) -> None:
        """Show ``report``'s rows in ``columns`` (default: all of the report's); None clears."""
        self.columns = tuple(columns or (report.columns if report else ()))
        rows = report.rows if report else []
        self.clear()
        self.setColumnCount(len(self.columns))
        self.setHorizontalHeaderLabels([header(c) for c in self.columns])
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, column in enumerate(self.columns):
                value = row.get(column)
                item = QTableWidgetItem(self._text(value))
                if isinstance(value, int | Decimal) and not isinstance(value, bool):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def _text(self, value: object) -> str:
        if isinstance(value, datetime):
            return f"{value.astimezone(self._zone):%Y-%m-%d %H:%M}"
        return cell(value)

    def cell_text(self, row: int, column: str) -> str:
        item = self.item(row, self.columns.index(column))
        return item.text() if item else ""
