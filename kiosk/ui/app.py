"""Start the kiosk UI: open the kiosk on the writer thread, show the window, run Qt."""

from __future__ import annotations

import gc
import sys
from typing import cast

from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk import bootstrap
from kiosk.ui.main_window import MainWindow
from kiosk.ui.scanners import install_scanners
from kiosk.ui.widgets import theme
from kiosk.ui.workers import Worker, describe

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


def run_kiosk(demo: bool, windowed: bool, config_path: str | None) -> int:
    """Run the kiosk until its window closes; 1 when the kiosk cannot be opened."""
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv)
    app.setApplicationName("Ortho Supply Kiosk")
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)
    app.setStyleSheet(theme())  # dialogs too, not only the window

    worker = Worker()
    try:
        # Opening migrates and may seed the database: done on the writer thread, not the GUI's.
        kiosk = worker.call(lambda: bootstrap.open_demo_kiosk() if demo
                            else bootstrap.open_kiosk(config_path))
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
                                on_state=window.on_scanner_state)
    window.placement.said.connect(lambda tone: _feedback(scanners.feedback, tone))
    window.back_office.said.connect(lambda tone: _feedback(scanners.feedback, tone))
    settle_heap()
    try:
        return app.exec()
    finally:
        window.shutdown()
