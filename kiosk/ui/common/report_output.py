"""Print, save as PDF or save as CSV the report a screen shows, entirely off the GUI thread.

The file is rendered and written on the writer thread (``KioskApp.printouts.report``): to the
"Save to" path when one is typed or browsed (a file or a folder), else into
``<data_dir>/printouts``. Print renders into the printouts folder and spools it on the
printing thread (to the printer chosen in Settings, else the default one); when no printer
answers it says where the PDF was saved.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.services.reports import Report
from kiosk.ui.common.spooler import Spooler
from kiosk.ui.common.widgets import file_dialog, hbox, line_edit, touch_button
from kiosk.ui.common.workers import Task, Worker, sentence

log = logging.getLogger(__name__)

# what to write: the report on screen and the tables printed after it; None when none shows
Source = Callable[[], tuple[Report, tuple[Report, ...]] | None]


class ReportOutput(QWidget):
    """``said(tone, text)`` tells each step; ``saved(path)`` after each file written;
    ``printed(ok)`` once the spooler answered (or rendering failed)."""

    said = Signal(str, str)
    saved = Signal(str)
    printed = Signal(bool)

    def __init__(self, worker: Worker, kiosk: Kiosk, source: Source, *, prefix: str,
                 what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker, self._kiosk, self._source, self._what = worker, kiosk, source, what
        self.busy = False
        self.dialog: QFileDialog | None = None
        self.path_field = line_edit(f"{prefix}SavePath",
                                    "Save to (blank: the kiosk's printouts folder)")
        self.browse_button = touch_button("Browse…", f"{prefix}BrowseButton")
        self.print_button = touch_button("Print", f"{prefix}PrintButton")
        self.pdf_button = touch_button("Save PDF", f"{prefix}PdfButton")
        self.csv_button = touch_button("Save CSV", f"{prefix}CsvButton")
        layout = hbox((self.path_field, 1), self.browse_button, self.print_button,
                      self.pdf_button, self.csv_button)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.browse_button.clicked.connect(self.on_browse)
        self.print_button.clicked.connect(self.on_print)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        self.spooler = Spooler(kiosk, worker, what, self)
        self.spooler.answered.connect(self._on_spooled)

    # saving -------------------------------------------------------------------------------------
    def save(self, fmt: str) -> None:
        what = self._take()
        if what is None:
            return
        report, extra = what
        kiosk, path = self._kiosk, self.path_field.text().strip() or None
        suffix = Path(path).suffix.lower() if path else ""
        if suffix in (".pdf", ".csv") and suffix != f".{fmt}":
            self._on_failed(f"The file name ends in {suffix}; tap Save {suffix[1:].upper()} "
                            f"or change the name to end in .{fmt}.")
            return
        self.said.emit("", f"Saving the {self._what} as {fmt.upper()}…")
        (Task(self._worker, lambda: kiosk.printouts.report(report, fmt, path, extra))
         .success(self._on_saved).failure(sentence(self._on_failed)).run())

    def _on_saved(self, path: Path) -> None:
        self._set_busy(False)
        self.said.emit("ok", f"Saved the {self._what} to {path}.")
        self.saved.emit(str(path))

    # printing -----------------------------------------------------------------------------------
    def on_print(self) -> None:
        what = self._take()
        if what is None:
            return
        report, extra = what
        kiosk = self._kiosk
        self.said.emit("", f"Preparing the {self._what} for the printer…")
        (Task(self._worker, lambda: kiosk.printouts.report(report, "pdf", None, extra))
         .success(self._on_rendered).failure(sentence(self._on_print_failed)).run())

    def _on_rendered(self, path: Path) -> None:
        self.saved.emit(str(path))
        self.said.emit("", f"Sending the {self._what} to the printer…")
        self.spooler.send(path)

    def _on_spooled(self, path: str, error: str, _tag: object) -> None:
        self._set_busy(False)
        if self._worker.closed:
            return
        if error:
            self.said.emit("warn", f"No printer answered; the {self._what} was saved to {path}.")
        else:
            self.said.emit("ok", f"The {self._what} was sent to the printer.")
        self.printed.emit(not error)

    def _on_print_failed(self, sentence: str) -> None:
        self._on_failed(sentence)
        self.printed.emit(False)

    # common -------------------------------------------------------------------------------------
    def _take(self) -> tuple[Report, tuple[Report, ...]] | None:
        if self.busy:
            return None
        what = self._source()
        if what is None:
            self.said.emit("error", f"Show the {self._what} first.")
            return None
        self._set_busy(True)
        return what

    def _on_failed(self, sentence: str) -> None:
        self._set_busy(False)
        self.said.emit("error", sentence)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.print_button, self.pdf_button, self.csv_button):
            button.setEnabled(not busy)

    def on_browse(self) -> None:
        """A non-native save dialog (window-modal, not blocking) fills the path field."""
        start = self.path_field.text().strip() or str(
            self._kiosk.ports.files.folder)
        self.dialog = file_dialog(self, f"Save the {self._what} to", start,
                                  ["PDF or CSV (*.pdf *.csv)", "Any file (*)"], save=True,
                                  on_picked=self.path_field.setText)

    def clear(self) -> None:
        self.path_field.clear()
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):  # already deleted
                self.dialog.reject()
            self.dialog = None
