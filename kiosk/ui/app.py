"""Start the kiosk UI: open the kiosk on the writer thread, show the window, run Qt."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk import bootstrap
from kiosk.ui.main_window import MainWindow
from kiosk.ui.workers import Worker, describe

WINDOWED_SIZE = (1280, 800)


def run_kiosk(demo: bool, windowed: bool, config_path: str | None) -> int:
    """Run the kiosk until its window closes; 1 when the kiosk cannot be opened."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Ortho Supply Kiosk")
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)

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
    try:
        return app.exec()
    finally:
        window.shutdown()
