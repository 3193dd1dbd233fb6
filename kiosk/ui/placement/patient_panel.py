"""Today's patients (searchable by name or chart number) and the selected patient's records."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kiosk.domain.model import ApplianceRecord, Patient
from kiosk.services.appliance_words import record_words
from kiosk.services.chairside import PatientDay
from kiosk.ui.common.widgets import line_edit

NO_RECORD = "No appliance record (supplies for the patient)"
ROLE = Qt.ItemDataRole.UserRole


def _list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
    widget.setWordWrap(True)  # a long record or name wraps instead of being cut
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    return widget


class PatientPanel(QWidget):
    """Emits ``changed`` when the patient or the record selection changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, timezone: str = "UTC") -> None:
        super().__init__(parent)
        self._timezone = timezone  # record dates are shown in the clinic's zone
        self._days: list[PatientDay] = []
        self.patient_list = _list("patientList")
        self.record_list = _list("recordList")
        self.search = line_edit("patientSearch", "Search name or chart number")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Patient"))
        layout.addWidget(self.search)
        layout.addWidget(self.patient_list, 3)
        layout.addWidget(QLabel("Appliance record"))
        layout.addWidget(self.record_list, 2)
        self.patient_list.currentRowChanged.connect(self.on_patient_row)
        self.record_list.currentRowChanged.connect(lambda _row: self.changed.emit())
        self.search.textChanged.connect(self.filter)

    def filter(self, text: str | None = None) -> None:
        """Hide the patients whose name and chart number do not contain every word typed."""
        words = (self.search.text() if text is None else text).lower().split()
        for row, day in enumerate(self._days):
            haystack = f"{day.patient.chart_number} {day.patient.display_name}".lower()
            self.patient_list.setRowHidden(row, not all(w in haystack for w in words))

    def visible_patients(self) -> list[Patient]:
        return [d.patient for row, d in enumerate(self._days)
                if not self.patient_list.isRowHidden(row)]

    def show_days(self, days: list[PatientDay]) -> None:
        """Replace the list, keeping the selected patient and record when still there."""
        patient, record = self.current_patient(), self.current_record()
        self._days = list(days)
        self.patient_list.blockSignals(True)
        self.patient_list.clear()
        for day in self._days:
            self.patient_list.addItem(self._patient_text(day.patient))
        self.patient_list.blockSignals(False)
        self.filter()
        if patient is not None:
            self.select(patient.id, record.id if record else None)
        else:
            self.on_patient_row(-1)

    def add_or_select(self, day: PatientDay) -> None:
        """Select a scanned patient, adding them when they have no record today."""
        if all(d.patient.id != day.patient.id for d in self._days):
            self._days.append(day)
            self.patient_list.addItem(self._patient_text(day.patient))
        self.select(day.patient.id)

    def find_chart(self, chart_number: str) -> PatientDay | None:
        wanted = chart_number.strip().upper()
        return next((d for d in self._days if d.patient.chart_number.upper() == wanted), None)

    def select(self, patient_id: str, record_id: str | None = None) -> None:
        row = next((i for i, d in enumerate(self._days) if d.patient.id == patient_id), -1)
        if row >= 0 and self.patient_list.isRowHidden(row):
            self.search.clear()  # a scanned chart shows even when the search hid it
        self.patient_list.setCurrentRow(row)
        self.on_patient_row(row, record_id)

    def clear_selection(self) -> None:
        """No patient picked (sign-out): the next user picks their own."""
        self.search.clear()
        self.patient_list.setCurrentRow(-1)
        self.on_patient_row(-1)

    def select_record(self, record_id: str | None) -> None:
        for row in range(self.record_list.count()):
            record = self.record_list.item(row).data(ROLE)
            if (record.id if record else None) == record_id:
                self.record_list.setCurrentRow(row)
                return

    def on_patient_row(self, row: int, record_id: str | None = None) -> None:
        self.record_list.blockSignals(True)
        self.record_list.clear()
        if 0 <= row < len(self._days):
            none = QListWidgetItem(NO_RECORD)
            none.setData(ROLE, None)
            self.record_list.addItem(none)
            for record in self._days[row].records:
                item = QListWidgetItem(self._record_text(record))
                item.setToolTip(f"Appliance record {record.id}")
                item.setData(ROLE, record)
                self.record_list.addItem(item)
            self.record_list.setCurrentRow(0)
        self.record_list.blockSignals(False)
        if record_id is not None:
            self.select_record(record_id)
        self.changed.emit()

    def current_patient(self) -> Patient | None:
        row = self.patient_list.currentRow()
        return self._days[row].patient if 0 <= row < len(self._days) else None

    def current_record(self) -> ApplianceRecord | None:
        item = self.record_list.currentItem()
        return item.data(ROLE) if item is not None else None

    @staticmethod
    def _patient_text(patient: Patient) -> str:
        return f"{patient.chart_number}   {patient.display_name}"

    def _record_text(self, record: ApplianceRecord) -> str:
        return record_words(record, self._timezone)
