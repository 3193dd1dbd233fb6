"""The patient the cart is for, in large type above the cart: name, chart number, record."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.domain.model import ApplianceRecord, Patient
from kiosk.services.appliance_words import record_words
from kiosk.ui.common.widgets import named, set_tone

NO_PATIENT = "No patient picked: scan the CHART code or pick the patient."


class PatientBanner(QLabel):
    def __init__(self, timezone: str = "UTC") -> None:
        super().__init__(NO_PATIENT)
        named(self, "patientBanner")
        self._timezone = timezone
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#patientBanner { font-size: 20pt; font-weight: bold;"
                           " padding: 6px; }")
        set_tone(self, "warn")

    def show_patient(self, patient: Patient | None, record: ApplianceRecord | None) -> None:
        if patient is None:
            set_tone(self, "warn", NO_PATIENT)
            return
        what = record_words(record, self._timezone) if record else "no appliance record"
        set_tone(self, "", f"{patient.display_name} · Chart {patient.chart_number} · {what}")
