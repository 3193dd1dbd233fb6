"""Scanner inputs for the UI, all feeding one scan handler, and the flash/sound of a result.

- ``WedgeScanFilter``: keyboard-wedge scanners type fast and end with Enter; such a burst is
  one ``scanned`` signal wherever the focus is, and its characters never reach a text field.
- ``SerialScanBridge``: a serial scanner's reader-thread callbacks re-emitted as signals on
  the GUI thread (Electrum style: core callbacks from any thread, Qt signals for the UI).
- ``ScanFeedback``: a green or red flash on a widget and a short sound (through
  ``KioskApp.sound_player()``) where the machine can play one.
- ``install_scanners``: wires them to one handler.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from kiosk.paths import RESOURCES
from kiosk.ui.common.workers import CallbackBridge

log = logging.getLogger(__name__)

SOUNDS_DIR = RESOURCES / "sounds"
GS = "\x1d"  # GS1 field separator; wedges send it as Ctrl+]
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MODIFIER_KEYS = frozenset(int(k) for k in (
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta))
COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                     | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class _Key:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str  # as the event had it, for a replay
    char: str  # what it adds to a scan


class WedgeScanFilter(QObject):
    """An application event filter (GUI thread only): ``app.installEventFilter(filter)``.

    Printable key presses are held while a burst may be starting. A burst of at least
    ``min_length`` characters, each within ``max_gap_ms`` of the previous one and ending in
    Enter, is emitted as ``scanned(text)`` and swallowed. Anything slower (a person typing),
    shorter, or interrupted by another key is replayed to the widget that was to receive it,
    in order, so nothing a person types is lost; a held key waits at most ``max_gap_ms`` plus
    a little. ``clock`` (seconds, monotonic) is injectable for tests.
    """

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, min_length: int = 4,
                 max_gap_ms: int = 35, max_length: int = 512,
                 terminators: tuple[Qt.Key, ...] = ENTER_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.min_length = min_length
        self.max_gap_ms = max_gap_ms
        self.max_length = max_length
        self.terminators = tuple(int(k) for k in terminators)
        self._clock = clock
        self._held: list[_Key] = []
        self._target: QWidget | None = None
        self._last_at = 0.0
        self._replaying = False
        self._passed: tuple[QWidget, int, str, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    @property
    def holding(self) -> str:
        return "".join(k.char for k in self._held)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or self._replaying:
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent):
            return False  # the QWindow sees it first; decide once, at the widget
        if self._is_propagation(watched, event):
            return False
        if self._on_key(watched, event):
            return True
        self._passed = (watched, event.key(), event.text(), event.timestamp())
        return False

    def _is_propagation(self, widget: QWidget, event: QKeyEvent) -> bool:
        """The event passed through once; a widget ignored it and Qt offers it to a parent."""
        if self._passed is None:
            return False
        child, key, text, stamp = self._passed
        return (shiboken6.isValid(child) and widget is not child and widget.isAncestorOf(child)
                and (key, text, stamp) == (event.key(), event.text(), event.timestamp()))

    def _on_key(self, widget: QWidget, event: QKeyEvent) -> bool:
        """True when the key is swallowed (held or part of a scan)."""
        if event.key() in MODIFIER_KEYS:  # wedges press Shift (and Ctrl for GS) mid-burst
            return False
        now = self._clock()
        fast = bool(self._held) and (now - self._last_at) * 1000 <= self.max_gap_ms
        if self._held and (not fast or widget is not self._target):
            self.flush()
        char = _scanned_char(event)
        if event.key() in self.terminators and not event.isAutoRepeat():
            if fast and len(self._held) >= self.min_length:
                scan = self.holding
                self._drop()
                self.scanned.emit(scan)
                return True
            self.flush()
            return False
        if char and len(self._held) < self.max_length:
            self._held.append(_Key(event.key(), event.modifiers(), event.text(), char))
            self._target = widget
            self._last_at = now
            self._timer.start(self.max_gap_ms + 15)
            return True
        self.flush()
        return False

    @Slot()
    def flush(self) -> None:
        """Replay held keys to their widget (or the focus widget if it is gone)."""
        held, target = self._held, self._target
        self._drop()
        if not held:
            return
        if target is None or not shiboken6.isValid(target):
            target = QApplication.focusWidget()
        if target is None:
            return
        self._replaying = True
        try:
            for key in held:
                QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key.key,
                                                         key.modifiers, key.text))
        finally:
            self._replaying = False

    def _drop(self) -> None:
        self._timer.stop()
        self._held = []
        self._target = None


def _scanned_char(event: QKeyEvent) -> str:
    """The character a scanner would mean by this key, or "" when no scanner sends it."""
    text = event.text()
    if event.isAutoRepeat():
        return ""
    control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
    if text == GS or (control and event.key() == Qt.Key.Key_BracketRight):
        return GS
    if len(text) != 1 or not text.isprintable() or event.modifiers() & COMMAND_MODIFIERS:
        return ""
    return text


class ScannerHandle(Protocol):
    """What the UI needs of ``KioskApp.serial_scanner(...)`` (the adapter stays unseen)."""

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...


ScannerFactory = Callable[[str, Callable[[str], None], Callable[[str, str], None]],
                          ScannerHandle]


class SerialScanBridge(QObject):
    """Owns a serial scanner; its callbacks (reader thread) become ``scanned(text)`` and
    ``state_changed(state, detail)`` on the GUI thread. Create, start and stop on the GUI
    thread; ``stop()`` before the bridge is deleted."""

    scanned = Signal(str)
    state_changed = Signal(str, str)

    def __init__(self, port: str, parent: QObject | None = None, *,
                 scanner_factory: ScannerFactory) -> None:
        super().__init__(parent)
        self.port = port
        self.state: tuple[str, str] = ("disconnected", f"Scanner on {port} not started.")
        self._stopped = False
        # The reader thread's callbacks reach the GUI thread through the one bridge.
        self._bridge = CallbackBridge(self)
        self._scanner = scanner_factory(port, self._bridge.wrap(self._deliver_scan),
                                        self._bridge.wrap(self._deliver_state))

    def start(self) -> None:
        self._scanner.start()

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._bridge.closed = True
            self._scanner.stop()

    # GUI thread ------------------------------------------------------------------------
    def _deliver_scan(self, text: str) -> None:
        if not self._stopped:
            self.scanned.emit(text)

    def _deliver_state(self, state: str, detail: str) -> None:
        if not self._stopped:
            if state != "warning":  # a warning is transient; the scanner stays connected
                self.state = (state, detail)
            self.state_changed.emit(state, detail)


FLASH_PROPERTY = "scanFlash"
FLASH_RULES = """
*[scanFlash="ok"] { background-color: #b9f0c4; border: 4px solid #1b7f3b; }
*[scanFlash="error"] { background-color: #ffc7c7; border: 4px solid #b00020; }
"""


class SoundOutput(Protocol):
    """What the UI needs of ``KioskApp.sound_player()`` (the adapter stays unseen)."""

    @property
    def available(self) -> bool: ...

    def play(self, path: str | Path) -> None: ...


class Silence:
    available = False

    def play(self, path: str | Path) -> None:
        """Plays nothing."""


class ScanFeedback(QObject):
    """``ok()`` / ``error()``: flash ``widget`` green or red for ``flash_ms`` and play
    ``ok.wav`` / ``error.wav`` through ``player`` (default silent; the kiosk's is
    ``KioskApp.sound_player()``, which returns at once and is silent where the machine
    cannot play sound). GUI thread only."""

    def __init__(self, widget: QWidget, flash_ms: int = 350,
                 sounds_dir: Path = SOUNDS_DIR, player: SoundOutput | None = None) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        widget.setStyleSheet(widget.styleSheet() + FLASH_RULES)
        widget.setProperty(FLASH_PROPERTY, "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(flash_ms)
        self._timer.timeout.connect(lambda: self._set_flash(""))
        self._sounds = {tone: sounds_dir / f"{tone}.wav" for tone in ("ok", "error")}
        self._player = player if player is not None else Silence()

    def ok(self) -> None:
        self.show("ok")

    def error(self) -> None:
        self.show("error")

    def show(self, tone: str) -> None:
        self._set_flash(tone)
        self._timer.start()
        sound = self._sounds.get(tone)
        if sound is not None and self._player.available:
            self._player.play(sound)

    @property
    def sound_enabled(self) -> bool:
        return self._player.available

    def _set_flash(self, tone: str) -> None:
        self._widget.setProperty(FLASH_PROPERTY, tone)
        self._widget.style().unpolish(self._widget)
        self._widget.style().polish(self._widget)
        self._widget.update()


@dataclass
class Scanners:
    """What ``install_scanners`` wired; keep it, and call ``stop()`` when the window closes."""

    app: QApplication
    wedge: WedgeScanFilter
    serial: SerialScanBridge | None
    feedback: ScanFeedback

    stopped: bool = False

    def stop(self) -> None:
        """Idempotent; also connected to ``app.aboutToQuit``."""
        if self.stopped:
            return
        self.stopped = True
        if shiboken6.isValid(self.wedge):
            self.wedge.flush()
            self.app.removeEventFilter(self.wedge)
        if self.serial is not None:
            self.serial.stop()


def install_scanners(app: QApplication, window: QWidget, on_scan: Callable[[str], None],
                     serial_port: str | None = None, *,
                     on_state: Callable[[str, str], None] | None = None,
                     scanner_factory: ScannerFactory | None = None,
                     player: SoundOutput | None = None) -> Scanners:
    """Route wedge scans (anywhere in the app) and, when ``serial_port`` is set, serial scans
    to ``on_scan(text)`` on the GUI thread; serial states go to ``on_state(state, detail)``.
    ``Scanners.feedback`` flashes the window's central widget: call its ``ok()``/``error()``
    after a scan."""
    wedge = WedgeScanFilter(window)
    wedge.scanned.connect(on_scan)
    app.installEventFilter(wedge)
    bridge = None
    if serial_port and scanner_factory is not None:
        bridge = SerialScanBridge(serial_port, window, scanner_factory=scanner_factory)
        bridge.scanned.connect(on_scan)
        if on_state is not None:
            bridge.state_changed.connect(on_state)
        bridge.start()
    central = window.centralWidget() if isinstance(window, QMainWindow) else None
    scanners = Scanners(app, wedge, bridge, ScanFeedback(central or window, player=player))
    app.aboutToQuit.connect(scanners.stop)
    return scanners
