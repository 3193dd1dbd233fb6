"""The placement screen's "Print cost sheet" action, entirely off the GUI thread.

The PDF is rendered on the writer executor (it reads the store) into the kiosk's data folder,
then spooled on the printing thread (``bootstrap.print_in_background``). The spooler's answer
comes back as a queued signal; the outcome is one sentence (``said``), never a dialog.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from kiosk import bootstrap
from kiosk.bootstrap import Kiosk
from kiosk.domain.model import Patient, Staff
from kiosk.ui.widgets import touch_button
from kiosk.ui.workers import Task, Worker

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
    _spooled = Signal(str, str)  # path, error ("" when sent): emitted on the printing thread

    def __init__(self, worker: Worker, kiosk: Kiosk | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._kiosk = kiosk
        self.busy = False
        self.last_path: Path | None = None
        self.button = touch_button("Print cost sheet", "printCostSheetButton")
        self.button.setEnabled(kiosk is not None)
        self._spooled.connect(self._on_spooled, Qt.ConnectionType.QueuedConnection)

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
        (Task(self._worker, lambda: bootstrap.save_cost_sheet(kiosk, actor, chart))
         .success(self._on_rendered).failure(self._on_render_failed).run())

    def _on_rendered(self, path: Path) -> None:
        self.last_path = path
        self.said.emit("", "Sending the cost sheet to the printer…")
        printer = (self._kiosk.config.printer or None) if self._kiosk else None  # Settings' choice
        future = bootstrap.print_in_background(str(path), printer)
        future.add_done_callback(self._spooler_answered(str(path)))

    def _spooler_answered(self, path: str) -> Callable[[Future[str]], None]:
        def answered(future: Future[str]) -> None:  # on the printing thread: no widgets here
            error = future.exception()
            if error is not None:
                log.warning("Cost sheet not printed: %s", error)
            # RuntimeError: the screen was destroyed while the printer worked
            with contextlib.suppress(RuntimeError):
                self._spooled.emit(path, "" if error is None else str(error) or "failed")
        return answered

    @Slot(str, str)
    def _on_spooled(self, path: str, error: str) -> None:
        self._set_busy(False)
        if self._worker.closed:
            return
        if error:
            self.said.emit("warn", not_printed(path))
        else:
            self.said.emit("ok", SENT)
        self.finished.emit(not error)

    def _on_render_failed(self, sentence: str) -> None:
        self._set_busy(False)
        self.said.emit("error", sentence)
        self.finished.emit(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.button.setEnabled(not busy and self._kiosk is not None)
