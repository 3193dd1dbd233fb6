"""Idle sign-out: an application-wide event filter that restarts a timer on any input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

DEFAULT_IDLE_TIMEOUT_S = 120.0

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.TabletPress,
})


def idle_timeout_from(config: object) -> float:
    """``idle_timeout_s`` from the kiosk config when it has a positive one, else 120 s."""
    value = getattr(config, "idle_timeout_s", None)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return DEFAULT_IDLE_TIMEOUT_S


class IdleWatcher(QObject):
    """Emits ``timed_out`` after ``timeout_s`` without a key, mouse or touch event anywhere in
    the application, while started. Lives on the GUI thread."""

    timed_out = Signal()

    def __init__(self, timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.timed_out)
        self.set_timeout(timeout_s)
        self._installed = False

    @property
    def timeout_s(self) -> float:
        return self._timer.interval() / 1000

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_timeout(self, seconds: float) -> None:
        self._timer.setInterval(max(1, round(seconds * 1000)))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def poke(self) -> None:
        """Count as activity (e.g. a scan from a serial reader, which is not a Qt event)."""
        if self._timer.isActive():
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
