"""Send a saved PDF to the printer chosen in Settings (else the default) without blocking.

The job runs on the printing thread (``bootstrap.print_in_background``); its answer comes
back to the GUI thread as ``answered(path, error, tag)``: ``error`` is "" when the spooler
took the job, else why not (the PDF stays saved at ``path``). ``tag`` is whatever the caller
passed to ``send`` (for example the number of labels), handed back unchanged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk import bootstrap
from kiosk.bootstrap import Kiosk

log = logging.getLogger(__name__)


class Spooler(QObject):
    answered = Signal(str, str, object)  # path, error ("" when sent), tag: on the GUI thread
    _spooled = Signal(str, str, object)  # the same, emitted on the printing thread

    def __init__(self, kiosk: Kiosk | None, what: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._what = what  # for the log: "cost sheet", "lot labels", ...
        self._spooled.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def send(self, path: Path | str, tag: object = None) -> None:
        printer = (self._kiosk.config.printer or None) if self._kiosk else None
        future = bootstrap.print_in_background(str(path), printer)
        future.add_done_callback(self._on_done(str(path), tag))

    def _on_done(self, path: str, tag: object) -> Callable[[Future[str]], None]:
        def done(future: Future[str]) -> None:  # on the printing thread: no widgets here
            error = future.exception()
            if error is not None:
                log.warning("%s not printed: %s", self._what.capitalize(), error)
            with contextlib.suppress(RuntimeError):  # the screen was destroyed meanwhile
                self._spooled.emit(path, "" if error is None else str(error) or "failed", tag)
        return done

    @Slot(str, str, object)
    def _deliver(self, path: str, error: str, tag: object) -> None:
        self.answered.emit(path, error, tag)
