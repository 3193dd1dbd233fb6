"""A read-only table of a report's rows, with readable headers and times in the clinic's zone.

The rows stay in the report; a model formats only the cells Qt draws, so a report of many
thousand usages shows at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from kiosk.services.report_export import cell
from kiosk.services.reports import Report

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def header(column: str) -> str:
    """``usageDate`` -> ``Usage date``; ``bracketCost`` -> ``Bracket cost``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column).capitalize()


class ReportModel(QAbstractTableModel):
    def __init__(self, timezone: str) -> None:
        super().__init__()
        self._zone = ZoneInfo(timezone)
        self.columns: tuple[str, ...] = ()
        self.rows: list[dict] = []

    def set_rows(self, columns: Sequence[str], rows: list[dict]) -> None:
        self.beginResetModel()
        self.columns, self.rows = tuple(columns), rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def text(self, row: int, column: str) -> str:
        value = self.rows[row].get(column)
        if isinstance(value, datetime):
            return f"{value.astimezone(self._zone):%Y-%m-%d %H:%M}"
        return cell(value)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self.rows[index.row()].get(column)
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                return int(RIGHT.value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return header(self.columns[section])
        return None


class ReportTable(QTableView):
    def __init__(self, name: str, timezone: str = "UTC") -> None:
        super().__init__()
        self.setObjectName(name)
        self.report_model = ReportModel(timezone)
        self.setModel(self.report_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(200)  # rows measured for widths

    @property
    def columns(self) -> tuple[str, ...]:
        return self.report_model.columns

    def show_report(self, report: Report | None, columns: Sequence[str] | None = None) -> None:
        """Show ``report``'s rows in ``columns`` (default: all of the report's); None clears."""
        self.report_model.set_rows(columns or (report.columns if report else ()),
                                   report.rows if report else [])
        self.resizeColumnsToContents()  # measures the rows in view, not all of them

    def rowCount(self) -> int:
        return self.report_model.rowCount()

    def cell_text(self, row: int, column: str) -> str:
        return self.report_model.text(row, column)
