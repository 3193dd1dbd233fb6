"""`make screenshots`: drive each screen and overlay of a demo kiosk at 1280×800 (and the
placement cart again at 1920×1080 and 1024×768) and save PNGs.

Run as ``python -m tools.screenshots docs/screenshots`` (QT_QPA_PLATFORM=offscreen works).
The demo kiosk is built in a temporary folder, so the user's own demo data is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk import bootstrap
from kiosk.ui.common.widgets import theme
from kiosk.ui.main_window import MainWindow
from tools.screenshots import placement, recalls, settings, stock
from tools.screenshots.helpers import SIZE, Shooter, sign_out


def drive_back_office(window: MainWindow, shoot: Shooter) -> None:
    """The back-office sections, each module driving its own (signed out before each)."""
    for module in (stock, recalls, settings):
        sign_out(window)
        module.drive(window, shoot)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)
    app.setStyleSheet(theme())
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as home:
        kiosk = bootstrap.open_demo_kiosk(Path(home) / "demo")
        window = MainWindow(kiosk)
        window.resize(*SIZE)
        window.show()
        shoot = Shooter(window, folder)
        try:
            placement.drive(window, shoot)
            drive_back_office(window, shoot)
            recalls.drive_follow_up(window, shoot)  # last: it leaves a lot recalled
        finally:
            window.shutdown()
            window.close()
    sys.stdout.write(f"{len(shoot.saved)} screenshots in {folder}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
