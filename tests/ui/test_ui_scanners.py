"""Wedge and serial scanners feeding one handler, and the flash of a scan's result."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
import serial
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from kiosk.adapters.serial_scanner import SerialScanner
from kiosk.ui.common import scanners as scanners_module
from kiosk.ui.common.scanners import (
    FLASH_PROPERTY,
    SOUNDS_DIR,
    ScanFeedback,
    SerialScanBridge,
    WedgeScanFilter,
    install_scanners,
)
from tools.sounds import write_default_sounds

WAIT_MS = 5000
GS1 = "(01)00312345678906(10)LOT1(17)291231"
HIBCC = "+H123ABC1/$$3250101LOT77Q"


class FakeClock:
    """Seconds that move only by ``step`` per reading: 0 is a scanner, 0.2 a person."""

    def __init__(self, step: float = 0.0) -> None:
        self.now = 100.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def form(qtbot):
    window = QWidget()
    edit = QLineEdit()
    edit.setObjectName("scanField")
    layout = QVBoxLayout(window)
    layout.addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, edit


@pytest.fixture
def wedge(qtbot):
    """Make a filter with ``wedge(clock)``; it is removed from the app after the test."""
    app = QApplication.instance()
    made: list[WedgeScanFilter] = []

    def make(clock=None, **options) -> WedgeScanFilter:
        kwargs = {"clock": clock} if clock is not None else {}
        made.append(WedgeScanFilter(**kwargs, **options))
        app.installEventFilter(made[-1])
        return made[-1]

    yield make
    for f in made:
        app.removeEventFilter(f)


def test_a_fast_burst_into_a_line_edit_is_one_scan_and_types_nothing(qtbot, form, wedge):
    _, edit = form
    scan_filter = wedge()  # the real clock: keyClicks is far faster than 35 ms a key
    entered: list[str] = []
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    for code in (GS1, HIBCC):
        with qtbot.waitSignal(scan_filter.scanned, timeout=WAIT_MS) as blocker:
            qtbot.keyClicks(edit, code)
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert blocker.args == [code]
        assert edit.text() == ""
    assert entered == []


def test_a_burst_with_no_focus_is_a_scan(qtbot, wedge):
    window = QWidget()
    QVBoxLayout(window).addWidget(QLabel("Nothing here takes focus"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.focusWidget() is None
    scan_filter = wedge(FakeClock())
    with qtbot.waitSignal(scan_filter.scanned, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(window, "CHART-1001")
        qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert blocker.args == ["CHART-1001"]


def test_a_gs_separator_sent_as_ctrl_bracket_stays_in_the_scan(qtbot, form, wedge):
    _, edit = form
    scan_filter = wedge(FakeClock())
    with qtbot.waitSignal(scan_filter.scanned, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(edit, "0100312345678906")
        qtbot.keyClick(edit, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(edit, "10LOT1")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert blocker.args == ["0100312345678906\x1d10LOT1"]


def test_slow_human_typing_reaches_the_line_edit_intact(qtbot, form, wedge):
    _, edit = form
    scan_filter = wedge(FakeClock(step=0.2))
    scans: list[str] = []
    entered: list[str] = []
    scan_filter.scanned.connect(scans.append)
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    qtbot.keyClicks(edit, "Smith, Ann")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert entered == ["Smith, Ann"]
    qtbot.keyClicks(edit, "x")  # the last key, held in case a burst starts, shows up alone
    qtbot.waitUntil(lambda: edit.text() == "Smith, Annx", timeout=WAIT_MS)
    assert scans == []


def test_short_bursts_and_edit_keys_are_typed_as_usual(qtbot, form, wedge):
    _, edit = form
    scan_filter = wedge(FakeClock(), min_length=4)
    scans: list[str] = []
    entered: list[str] = []
    scan_filter.scanned.connect(scans.append)
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    qtbot.keyClicks(edit, "123")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # too short for a scan
    assert entered == ["123"]
    qtbot.keyClicks(edit, "ab")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # not a scanner key: the held ones go first
    qtbot.keyClicks(edit, "c")
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClicks(edit, "Z")
    qtbot.waitUntil(lambda: edit.text() == "Z", timeout=WAIT_MS)
    assert scans == []


def loop_factory(ports: list):
    def open_loop(url: str, baudrate: int, timeout: float):
        ports.append(serial.serial_for_url(url, baudrate=baudrate, timeout=timeout))
        return ports[-1]

    def factory(port, on_scan, on_state):
        return SerialScanner(port, on_scan, on_state, open_port=open_loop)

    return factory


def test_the_serial_bridge_delivers_scans_and_states_on_the_gui_thread(qtbot):
    app = QApplication.instance()
    ports: list = []
    bridge = SerialScanBridge("loop://", scanner_factory=loop_factory(ports))
    seen: list[tuple[str, bool]] = []

    def on_scan(text: str) -> None:
        seen.append((text, QThread.currentThread() is app.thread()))

    def on_state(state: str, detail: str) -> None:
        seen.append((state, QThread.currentThread() is app.thread()))

    bridge.scanned.connect(on_scan)
    bridge.state_changed.connect(on_state)
    try:
        with qtbot.waitSignal(bridge.state_changed, timeout=WAIT_MS):
            bridge.start()
        assert bridge.state == ("connected", "Scanner on loop:// connected.")
        with qtbot.waitSignal(bridge.scanned, timeout=WAIT_MS) as blocker:
            ports[0].write(HIBCC.encode() + b"\r\n")
        assert blocker.args == [HIBCC]
    finally:
        bridge.stop()
    assert seen == [("connected", True), (HIBCC, True)]


def test_install_scanners_feeds_wedge_and_serial_scans_to_one_handler(qtbot):
    app = QApplication.instance()
    window = QMainWindow()
    edit = QLineEdit()
    window.setCentralWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ports: list = []
    handled: list[str] = []
    states: list[str] = []
    wired = install_scanners(app, window, handled.append, "loop://",
                             on_state=lambda state, _: states.append(state),
                             scanner_factory=loop_factory(ports))
    try:
        qtbot.waitUntil(lambda: states == ["connected"], timeout=WAIT_MS)
        ports[0].write(b"SERIAL-1\r")
        qtbot.waitUntil(lambda: handled == ["SERIAL-1"], timeout=WAIT_MS)
        qtbot.keyClicks(edit, "WEDGE-1")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert handled == ["SERIAL-1", "WEDGE-1"]
        assert edit.text() == ""
        wired.feedback.ok()
        assert edit.property(FLASH_PROPERTY) == "ok"
    finally:
        wired.stop()
    qtbot.keyClicks(edit, "typed")  # the filter is gone: keys go straight in
    assert edit.text() == "typed"


class FakePlayer:
    """Stands in for ``SoundPlayer()``: records what it was asked to play."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.played: list[Path] = []

    def play(self, path) -> None:
        self.played.append(Path(path))


def test_feedback_plays_ok_and_error_sounds_with_the_flash(qtbot):
    label = QLabel("Scan")
    qtbot.addWidget(label)
    player = FakePlayer()
    feedback = ScanFeedback(label, flash_ms=30, player=player)
    assert feedback.sound_enabled
    feedback.ok()
    assert label.property(FLASH_PROPERTY) == "ok"
    assert player.played == [SOUNDS_DIR / "ok.wav"]
    feedback.error()
    assert label.property(FLASH_PROPERTY) == "error"
    assert player.played == [SOUNDS_DIR / "ok.wav", SOUNDS_DIR / "error.wav"]
    assert all(path.is_file() for path in player.played)


def test_feedback_flashes_then_clears_without_sound(qtbot, caplog):
    label = QLabel("Scan")
    qtbot.addWidget(label)
    player = FakePlayer(available=False)  # a machine with no way to play sound
    feedback = ScanFeedback(label, flash_ms=30, player=player)
    assert not feedback.sound_enabled
    feedback.ok()
    assert player.played == []
    qtbot.waitUntil(lambda: label.property(FLASH_PROPERTY) == "", timeout=WAIT_MS)
    feedback.ok()
    assert label.property(FLASH_PROPERTY) == "ok"
    qtbot.waitUntil(lambda: label.property(FLASH_PROPERTY) == "", timeout=WAIT_MS)
    feedback.error()
    assert label.property(FLASH_PROPERTY) == "error"
    assert 'scanFlash="error"' in label.styleSheet()
    qtbot.waitUntil(lambda: label.property(FLASH_PROPERTY) == "", timeout=WAIT_MS)


def test_the_sounds_are_small_short_tones_made_by_write_default_sounds(tmp_path):
    write_default_sounds(tmp_path)
    for name in ("ok.wav", "error.wav"):
        committed = SOUNDS_DIR / name
        assert committed.read_bytes() == (tmp_path / name).read_bytes()
        assert committed.stat().st_size < 10_000
        with wave.open(str(committed)) as sound:
            ms = 1000 * sound.getnframes() / sound.getframerate()
        assert 60 <= ms <= 120
    assert scanners_module.SOUNDS_DIR.name == "sounds"
