"""The last seconds before an idle sign-out: a countdown any tap, key or scan cancels.

Drawn over the screens as an overlay that never takes the keyboard, so a wedge scan made while
it shows still lands in the scan field (and, being key presses, cancels it too).
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, message_label, touch_button, vbox

DEFAULT_COUNTDOWN_S = 30.0
CANCELLING_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


class SignOutCountdown(Overlay):
    """``run()`` starts it; emits ``expired`` when it runs out, ``cancelled`` on any input."""

    expired = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget, seconds: float = DEFAULT_COUNTDOWN_S) -> None:
        super().__init__("signOutCountdown", parent, background="#fff4d6")
        self.seconds = seconds
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.label = message_label("countdownLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = message_label("countdownDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = touch_button("Stay signed in", "stayButton", TOUCH + 24)
        self.stay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setLayout(vbox(1, self.label, self.detail, hbox(1, self.stay_button, 1), 1))
        self._deadline = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self._show_left)
        self._end = QTimer(self)
        self._end.setSingleShot(True)
        self._end.timeout.connect(self._on_end)
        self.stay_button.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self._end.isActive()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._deadline - time.monotonic()))

    def run(self, detail: str = "") -> None:
        self._deadline = time.monotonic() + self.seconds
        self.detail.setText(detail)
        self._show_left()
        self._end.start(max(1, round(self.seconds * 1000)))
        self._tick.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.open()

    def cancel(self) -> None:
        """Stay signed in (a tap, key or scan)."""
        if self._stop():
            self.cancelled.emit()

    def stop(self) -> None:
        """Stop without a signal (signed out, or the park failed)."""
        self._stop()

    def _on_end(self) -> None:
        if self._stop():
            self.expired.emit()

    def _stop(self) -> bool:
        was_running = self.isVisible() or self._end.isActive()
        self._end.stop()
        self._tick.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.close_overlay()
        return was_running

    def _show_left(self) -> None:
        self.label.setText(f"Signing out in {self.seconds_left()} s — tap or scan to stay")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._end.isActive() and event.type() in CANCELLING_EVENTS:
            QTimer.singleShot(0, self.cancel)  # after the event is delivered (a scan lands)
        return super().eventFilter(watched, event)
