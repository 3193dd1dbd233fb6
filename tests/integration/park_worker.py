"""Child process for the park crash test: the real window (offscreen) signs in, records one
placement, fills the cart again, then goes idle; the countdown starts and the cart is parked.

Run as ``python park_worker.py CONFIG``. It prints, one line each, flushed:
``ack USAGE_ID...`` once the placement is committed, ``countdown`` when the sign-out
countdown shows, and ``parked CART_ID`` once the park is committed (the acknowledgement);
then it waits in the countdown until it is killed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.bootstrap import open_kiosk
from kiosk.ui.main_window import MainWindow

SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F")
BADGE, PIN, CHART = "B1001", "482913", "C-10239"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def script(window: MainWindow) -> Iterator[Callable[[], bool]]:
    """Each yielded condition is waited for before the script goes on."""
    screen = window.placement
    window.sign_in.badge_field.setText(f"STAFF-{BADGE}")
    window.sign_in.pin_field.setText(PIN)
    window.sign_in.on_sign_in()
    yield lambda: window.stack.currentWidget() is screen
    yield lambda: screen.patients.patient_list.count() > 0
    window.on_scanned(f"CHART-{CHART}")
    yield lambda: screen.patients.current_patient() is not None
    for n, raw in enumerate(SCANS, 1):
        window.on_scanned(raw)
        yield lambda n=n: len(screen.cart) == n
    screen.on_confirm()
    yield lambda: not screen._placing and screen.void_panel.usage_ids != ()
    say("ack " + " ".join(screen.void_panel.usage_ids))
    for n, raw in enumerate(SCANS, 1):
        window.on_scanned(raw)
        yield lambda n=n: len(screen.cart) == n
    window.on_scanned(SCANS[0])
    yield lambda: screen.cart.lines[0].quantity == 2
    window.idle.set_timeout(0.2)
    window.idle.start()
    yield window.countdown.isVisible
    say("countdown")
    yield lambda: window.parker.parked is not None
    say(f"parked {window.parker.parked.id}")
    while True:
        yield lambda: False  # in the countdown until killed


def main(config: str) -> None:
    app = QApplication([])
    window = MainWindow(open_kiosk(config), countdown_s=120)
    window.show()
    steps = script(window)
    waiting: list[Callable[[], bool]] = [lambda: True]

    def tick() -> None:
        while waiting[0]():
            waiting[0] = next(steps)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
