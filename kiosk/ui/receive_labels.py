"""Lot labels for the receive screen: a PDF in the kiosk's printouts folder, spooled in the
background. Rendering runs on the writer thread (it reads the store), spooling on the printing
thread; the outcome comes back to the GUI thread as one sentence (``said(tone, text)``)."""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk import bootstrap
from kiosk.bootstrap import Kiosk
from kiosk.services import labels

log = logging.getLogger(__name__)

LABEL_SIZE = "2x1"  # the thermal lot label


def save_lot_labels(kiosk: Kiosk, actor: str, sku: str, lot_number: str, copies: int) -> Path:
    """Render ``copies`` labels of one lot to ``<data_dir>/printouts/labels-<sku>-<lot>-<UTC
    stamp>.pdf``; returns the path. Reads the store and writes a file: writer thread only."""
    label = labels.lot_label(kiosk.context, actor, lot_number, sku)
    data = bootstrap.document_renderer().labels([label] * copies, LABEL_SIZE)
    folder = Path(kiosk.config.data_dir) / bootstrap.PRINTOUTS
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{label.sku}-{label.lot}")
    stem = f"labels-{safe}-{kiosk.context.now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
    path = folder / f"{stem}.pdf"
    for n in itertools.count(2):
        if not path.exists():
            break
        path = folder / f"{stem}-{n}.pdf"
    path.write_bytes(data)
    return path


def labels_word(copies: int) -> str:
    return f"{copies} label{'s' if copies != 1 else ''}"


class LabelSpooler(QObject):
    """Sends a rendered label PDF to the configured printer; ``said`` tells how it went and
    ``finished(path, ok)`` comes once per job."""

    said = Signal(str, str)
    finished = Signal(str, bool)
    _spooled = Signal(str, str, int)  # path, error ("" when sent), copies: printing thread

    def __init__(self, kiosk: Kiosk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self.closed = False
        self._spooled.connect(self._on_spooled, Qt.ConnectionType.QueuedConnection)

    def send(self, path: Path, copies: int) -> None:
        printer = self._kiosk.config.printer or None
        future = bootstrap.print_in_background(str(path), printer)
        future.add_done_callback(self._answered(str(path), copies))

    def _answered(self, path: str, copies: int) -> Callable[[Future[str]], None]:
        def answered(future: Future[str]) -> None:  # printing thread: no widgets here
            error = future.exception()
            if error is not None:
                log.warning("Lot labels not printed: %s", error)
            with contextlib.suppress(RuntimeError):  # the screen is gone
                self._spooled.emit(path, "" if error is None else str(error) or "failed",
                                   copies)
        return answered

    @Slot(str, str, int)
    def _on_spooled(self, path: str, error: str, copies: int) -> None:
        if self.closed:
            return
        if error:
            self.said.emit("warn", f"No printer answered; {labels_word(copies)} saved to "
                                   f"{path}.")
        else:
            self.said.emit("ok", f"{labels_word(copies).capitalize()} sent to the printer.")
        self.finished.emit(path, not error)
