"""Lot labels for the receive screen: a PDF in the kiosk's printouts folder, spooled in the
background. Rendering runs on the writer thread (it reads the store), spooling on the printing
thread; the outcome comes back to the GUI thread as one sentence (``said(tone, text)``)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.app import KioskApp as Kiosk
from kiosk.ui.common.spooler import Spooler
from kiosk.ui.common.workers import Runner

log = logging.getLogger(__name__)

def labels_word(copies: int) -> str:
    return f"{copies} label{'s' if copies != 1 else ''}"


class LabelSpooler(QObject):
    """Sends a rendered label PDF to the configured printer; ``said`` tells how it went and
    ``finished(path, ok)`` comes once per job."""

    said = Signal(str, str)
    finished = Signal(str, bool)

    def __init__(self, kiosk: Kiosk, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.closed = False
        self._spooler = Spooler(kiosk, runner, "lot labels", self)
        self._spooler.answered.connect(self._on_spooled)

    def send(self, path: Path, copies: int) -> None:
        self._spooler.send(path, copies)

    def _on_spooled(self, path: str, error: str, copies: int) -> None:
        if self.closed:
            return
        if error:
            self.said.emit("warn", f"No printer answered; {labels_word(copies)} saved to "
                                   f"{path}.")
        else:
            self.said.emit("ok", f"{labels_word(copies).capitalize()} sent to the printer.")
        self.finished.emit(path, not error)
