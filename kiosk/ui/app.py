"""Start the kiosk UI: open the kiosk on the writer thread, show the window, run Qt."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import cast

from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.app import KioskApp
from kiosk.ui.common.scanners import install_scanners
from kiosk.ui.common.widgets import theme
from kiosk.ui.common.workers import Worker, describe
from kiosk.ui.main_window import MainWindow

WINDOWED_SIZE = (1280, 800)


def settle_heap() -> None:
    """Collect once and freeze what survives (the start-up heap: Qt wrappers, SQLAlchemy,
    the catalog), so later full collections, which hold the GIL, stay short and never stall
    the GUI thread while the sync thread works."""
    gc.collect()
    gc.freeze()


def _feedback(feedback, tone: str) -> None:
    if tone == "ok":
        feedback.ok()
    elif tone == "error":
        feedback.error()


def run_kiosk(open_kiosk: Callable[[], KioskApp], windowed: bool) -> int:
    """Run the kiosk ``open_kiosk`` opens until its window closes; 1 when it cannot be
    opened (the composition root hands the opener in: the UI never builds adapters)."""
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv)
    app.setApplicationName("Ortho Supply Kiosk")
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)
    app.setStyleSheet(theme())  # dialogs too, not only the window

    worker = Worker()
    try:
        # Opening migrates and may seed the database: done on the writer thread, not the GUI's.
        kiosk = worker.call(open_kiosk)
    except Exception as error:  # a KioskError says why; anything else is still one sentence
        worker.shutdown()
        QMessageBox.critical(None, "Ortho Supply Kiosk", describe(error))
        return 1

    window = MainWindow(kiosk, worker)
    if windowed:
        window.resize(*WINDOWED_SIZE)
        window.show()
    else:
        window.showFullScreen()
    window.sign_in.reset()
    scanners = install_scanners(app, window, window.on_scanned,
                                kiosk.config.scanner_port or None,
                                on_state=window.on_scanner_state,
                                scanner_factory=kiosk.serial_scanner,
                                player=kiosk.sound_player())
    window.placement.said.connect(lambda tone: _feedback(scanners.feedback, tone))
    window.back_office.said.connect(lambda tone: _feedback(scanners.feedback, tone))
    settle_heap()
    try:
        return app.exec()
    finally:
        window.shutdown()
