"""Run inside a fresh process by ``startup_bench``: start the demo kiosk as ``kiosk run --demo
--windowed`` does, print when its window has painted its first frame, then (when asked)
record 500 placements through the window's own kiosk on its writer thread and print the
resident memory. One JSON line per fact on stdout; the window is closed at the end."""

from __future__ import annotations

import time

STARTED = time.time()  # before the imports below, which are part of the start-up

import gc  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kiosk import bootstrap  # noqa: E402
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance  # noqa: E402
from kiosk.ui.app import run_kiosk  # noqa: E402
from kiosk.ui.main_window import MainWindow  # noqa: E402

SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F")


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def say(**fact: object) -> None:
    print(json.dumps(fact), flush=True)


class FirstFrame(QObject):
    """Waits for the first paint event of the main window or a widget in it."""

    def __init__(self, placements: int) -> None:
        super().__init__()
        self.placements = placements
        self.window: MainWindow | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self.window is None and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget) and isinstance(watched.window(), MainWindow)):
            self.window = watched.window()
            QTimer.singleShot(0, self.painted)  # after the rest of this frame's paint events
        return False

    def painted(self) -> None:
        say(painted=time.time(), started=STARTED, rss_mb=resident_mb())
        if self.placements:
            QTimer.singleShot(0, self.day_of_scans)
        else:
            self.window.close()

    def day_of_scans(self) -> None:
        ctx = self.window.kiosk.context

        def place_all() -> None:
            for n in range(self.placements):
                deduct_for_appliance(ctx, "B1001", PlaceSupplies(
                    patient="C-10239", appliance_type="BRACKET" if n % 2 == 0 else "WIRE",
                    scans=[SCANS[n % 2]]))

        began = time.perf_counter()
        self.window.worker.call(place_all)
        gc.collect()
        say(placements=self.placements, seconds=time.perf_counter() - began,
            rss_mb=resident_mb())
        self.window.close()


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    probe = FirstFrame(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    app.installEventFilter(probe)
    return run_kiosk(bootstrap.open_demo_kiosk, windowed=True)


if __name__ == "__main__":
    sys.exit(main())
