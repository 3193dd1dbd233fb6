"""The placement screen's "Print cost sheet" action, entirely off the GUI thread.

The PDF is rendered on the writer executor (it reads the store) into the kiosk's data folder,
then spooled on the printing thread (the printer executor). The spooler's answer
comes back as a queued signal; the outcome is one sentence (``said``), never a dialog,
followed by the line printed on the sheet saying which chairs' usages it covers (issue 15).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.model import Patient, Staff
from kiosk.services.printouts import SavedSheet
from kiosk.ui.common.spooler import Spooler
from kiosk.ui.common.widgets import touch_button
from kiosk.ui.common.workers import Task, Worker, sentence

log = logging.getLogger(__name__)

SENT = "Cost sheet sent to the printer."


def not_printed(path: Path | str) -> str:
    return f"No printer answered; the cost sheet was saved to {path}."


class PrintAction(QObject):
    """Owns the touch button. ``said(tone, text)`` reports each step; ``finished(ok)`` comes
    once per run (after the spooler answered, or after a rendering failure). Without a kiosk
    (a screen built from a bare context) the button stays disabled."""

    said = Signal(str, str)
    finished = Signal(bool)

    def __init__(self, worker: Worker, kiosk: Kiosk | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._kiosk = kiosk
        self.busy = False
        self.last_path: Path | None = None
        self.scope_line = ""  # what the last sheet covers, as printed on it
        self.button = touch_button("Print cost sheet", "printCostSheetButton")
        self.button.setEnabled(kiosk is not None)
        self.spooler = Spooler(kiosk, worker, "cost sheet", self)
        self.spooler.answered.connect(self._on_spooled)

    def print_for(self, staff: Staff | None, patient: Patient | None) -> None:
        """Tap: render the patient's cost sheet, then print it. Returns at once."""
        kiosk = self._kiosk
        if kiosk is None or self.busy:
            return
        if staff is None or patient is None:
            self.said.emit("error", "Pick the patient first.")
            return
        self._set_busy(True)
        self.said.emit("", f"Preparing the cost sheet of {patient.chart_number}…")
        actor, chart = staff.id, patient.chart_number
        (Task(self._worker, lambda: kiosk.printouts.cost_sheet(actor, chart))
         .success(self._on_rendered).failure(sentence(self._on_render_failed)).run())

    def _on_rendered(self, saved: SavedSheet) -> None:
        self.last_path, self.scope_line = saved.path, saved.scope_line
        self.said.emit("", "Sending the cost sheet to the printer…")
        self.spooler.send(saved.path)

    def _on_spooled(self, path: str, error: str, _tag: object) -> None:
        self._set_busy(False)
        if self._worker.closed:
            return
        scope = f" {self.scope_line}" if self.scope_line else ""
        if error:
            self.said.emit("warn", not_printed(path) + scope)
        else:
            self.said.emit("ok", SENT + scope)
        self.finished.emit(not error)

    def _on_render_failed(self, sentence: str) -> None:
        self._set_busy(False)
        self.said.emit("error", sentence)
        self.finished.emit(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.button.setEnabled(not busy and self._kiosk is not None)
