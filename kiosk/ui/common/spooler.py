"""Send a saved PDF to the printer chosen in Settings (else the default) without blocking.

The job runs on the runner's printer executor (``KioskApp.print_file``); its answer comes
back to the GUI thread as ``answered(path, error, tag)``: ``error`` is "" when the spooler
took the job, else why not (the PDF stays saved at ``path``). ``tag`` is whatever the caller
passed to ``send`` (for example the number of labels), handed back unchanged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.app import KioskApp
from kiosk.ui.common.workers import PRINTER, Runner, Task, describe, describe_for_log

log = logging.getLogger(__name__)


class Spooler(QObject):
    answered = Signal(str, str, object)  # path, error ("" when sent), tag: on the GUI thread

    def __init__(self, kiosk: KioskApp | None, runner: Runner, what: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._runner = runner
        self._what = what  # for the log: "cost sheet", "lot labels", ...

    def send(self, path: Path | str, tag: object = None) -> None:
        kiosk, path = self._kiosk, str(path)
        if kiosk is None:
            self.answered.emit(path, "no kiosk to print from", tag)
            return
        printer = kiosk.config.printer or None
        (Task(self._runner, lambda: kiosk.print_file(path, printer), PRINTER)
         .success(lambda _reply: self.answered.emit(path, "", tag))
         .failure(lambda error: self._failed(path, error, tag)).run())

    def _failed(self, path: str, error: BaseException, tag: object) -> None:
        sentence = describe(error)
        log.warning("%s not printed: %s", self._what.capitalize(), describe_for_log(error))
        self.answered.emit(path, sentence or "failed", tag)
