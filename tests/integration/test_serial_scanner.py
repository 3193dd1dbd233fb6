"""The serial scanner reader: real pyserial ports (loop://, a pty), unplug and replug. No Qt."""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import serial

from kiosk.adapters.config import KioskConfig, load_config, save_config, validate
from kiosk.adapters.serial_scanner import (
    LineSplitter,
    ScannerState,
    SerialScanner,
    decode_line,
)
from kiosk.domain.errors import ValidationError

WAIT_S = 5.0


class Recorder:
    """Collects callbacks from the reader thread; tests wait on them, never sleep."""

    def __init__(self) -> None:
        self.scans: queue.Queue[str] = queue.Queue()
        self.states: queue.Queue[tuple[str, str]] = queue.Queue()
        self.threads: set[str] = set()

    def on_scan(self, text: str) -> None:
        self.threads.add(threading.current_thread().name)
        self.scans.put(text)

    def on_state(self, state: str, detail: str) -> None:
        self.states.put((state, detail))

    def scan(self) -> str:
        return self.scans.get(timeout=WAIT_S)

    def wait_state(self, wanted: str) -> tuple[str, str]:
        deadline = time.monotonic() + WAIT_S
        while True:
            state = self.states.get(timeout=max(0.01, deadline - time.monotonic()))
            if state[0] == wanted:
                return state


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def scanners():
    started: list[SerialScanner] = []
    yield started
    for scanner in started:
        scanner.stop()
        assert not scanner.running


def start(scanners, scanner: SerialScanner) -> SerialScanner:
    scanners.append(scanner)
    scanner.start()
    return scanner


def test_splitter_handles_every_terminator_and_drops_garbage():
    splitter = LineSplitter(max_line=8)
    assert splitter.feed(b"AB\rCD\nEF\r\n\r\nG") == ([b"AB", b"CD", b"EF"], 0)
    assert splitter.feed(b"H\r") == ([b"GH"], 0)
    assert splitter.feed(b"123456789012\rOK\n") == ([b"OK"], 1)
    assert decode_line(b"caf\xc3\xa9 \r\n") == "café"
    assert decode_line(b"caf\xe9") == "café"  # not UTF-8: Latin-1
    assert decode_line(b"\x1d0101234\x1d10LOT") == "\x1d0101234\x1d10LOT"  # GS kept


def test_lines_written_to_a_loop_port_arrive_as_scans(recorder, scanners):
    ports: list[serial.Serial] = []

    def open_loop(url: str, baudrate: int, timeout: float):
        ports.append(serial.serial_for_url(url, baudrate=baudrate, timeout=timeout))
        return ports[-1]

    start(scanners, SerialScanner("loop://", recorder.on_scan, recorder.on_state,
                                  open_port=open_loop))
    assert recorder.wait_state(ScannerState.CONNECTED)[1] == "Scanner on loop:// connected."
    ports[0].write(b"(01)00312345678906(10)LOT1\r\n+H123ABC1/$$3250101LOT77Q\r\n\r\n")
    ports[0].write(b"CHART-1001\n" + b"Y" * 600 + b"\rlast\r")
    assert recorder.scan() == "(01)00312345678906(10)LOT1"
    assert recorder.scan() == "+H123ABC1/$$3250101LOT77Q"
    assert recorder.scan() == "CHART-1001"
    detail = recorder.wait_state(ScannerState.WARNING)[1]
    assert "longer than 512" in detail
    assert recorder.scan() == "last"
    assert recorder.threads == {"kiosk-serial-scanner"}


def test_the_bootstrap_factory_reads_a_loop_port(recorder, scanners):
    scanner = SerialScanner("loop://", recorder.on_scan, recorder.on_state)
    assert not scanner.running
    start(scanners, scanner)
    recorder.wait_state(ScannerState.CONNECTED)
    started = time.monotonic()
    scanner.stop()
    assert not scanner.running
    assert time.monotonic() - started < 1.0


def new_pty(link: Path) -> int:
    """A pty pair whose slave is reached through ``link`` (as udev's /dev/serial/by-id/...
    links are); returns the master fd. The slave fd is closed: the scanner opens the path."""
    master, slave = os.openpty()
    name = os.ttyname(slave)
    os.close(slave)
    tmp = link.with_suffix(".new")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(name)
    tmp.replace(link)
    return master


def test_a_pty_scanner_survives_unplug_and_replug_at_the_same_path(tmp_path, recorder,
                                                                      scanners):
    link = tmp_path / "scanner"
    master = new_pty(link)
    start(scanners, SerialScanner(str(link), recorder.on_scan, recorder.on_state,
                                  retry_interval=0.05))
    recorder.wait_state(ScannerState.CONNECTED)
    os.write(master, b"FIRST\r")
    assert recorder.scan() == "FIRST"

    os.close(master)  # unplugged
    detail = recorder.wait_state(ScannerState.DISCONNECTED)[1]
    assert detail == f"Scanner on {link} unplugged; waiting for it to come back."

    master = new_pty(link)  # plugged back in (a new device node behind the same path)
    try:
        recorder.wait_state(ScannerState.CONNECTED)
        os.write(master, b"SECOND\r\n")
        assert recorder.scan() == "SECOND"
    finally:
        scanners[0].stop()
        os.close(master)


def test_a_pty_slave_opened_by_its_tty_name_reports_the_unplug(recorder, scanners):
    master, slave = os.openpty()
    name = os.ttyname(slave)
    os.close(slave)
    scanner = start(scanners, SerialScanner(name, recorder.on_scan, recorder.on_state,
                                            retry_interval=0.05))
    recorder.wait_state(ScannerState.CONNECTED)
    os.write(master, "ÄRZTE-1\r\n".encode())
    assert recorder.scan() == "ÄRZTE-1"
    os.close(master)
    assert "unplugged" in recorder.wait_state(ScannerState.DISCONNECTED)[1]
    scanner.stop()
    assert not scanner.running


def test_the_scanner_port_setting_round_trips_and_is_optional(tmp_path):
    base = KioskConfig(clinic_id="a" * 24, workstation_id="chair-1", data_dir=str(tmp_path))
    assert base.scanner_port == ""
    path = tmp_path / "config.toml"
    save_config(replace(base, scanner_port="/dev/serial/by-id/usb-Zebra-if00"), path)
    assert load_config(path).scanner_port == "/dev/serial/by-id/usb-Zebra-if00"
    path.write_text(path.read_text().replace("scanner_port", "# scanner_port"))
    assert load_config(path).scanner_port == ""
    with pytest.raises(ValidationError):
        validate(replace(base, scanner_port="COM3\nx"))


def test_a_missing_port_waits_and_connects_when_it_appears(tmp_path, recorder, scanners):
    link = tmp_path / "later"
    start(scanners, SerialScanner(str(link), recorder.on_scan, recorder.on_state,
                                  retry_interval=0.05))
    assert "waiting for it to come back" in recorder.wait_state(ScannerState.DISCONNECTED)[1]
    master = new_pty(link)
    try:
        recorder.wait_state(ScannerState.CONNECTED)
        os.write(master, b"HELLO\n")
        assert recorder.scan() == "HELLO"
    finally:
        scanners[0].stop()
        os.close(master)


def test_a_bad_url_is_an_error_sentence_and_the_thread_ends(recorder, scanners):
    scanner = start(scanners, SerialScanner("nosuch://x", recorder.on_scan, recorder.on_state))
    detail = recorder.wait_state(ScannerState.ERROR)[1]
    assert detail.startswith("The scanner port setting 'nosuch://x' is not valid")
    scanner.stop()
    assert not scanner.running


class FakePort:
    """Plays chunks, then raises as an unplugged USB device does."""

    def __init__(self, chunks: list[bytes | Exception]) -> None:
        self.chunks = chunks
        self.closed = False

    @property
    def in_waiting(self) -> int:
        return 0

    def read(self, size: int = 1) -> bytes:
        if not self.chunks:
            time.sleep(0.005)
            return b""
        chunk = self.chunks.pop(0)
        if isinstance(chunk, Exception):
            raise chunk
        return chunk

    def close(self) -> None:
        self.closed = True


def test_a_failing_handler_or_a_lost_port_does_not_stop_the_reader(recorder, scanners):
    ports = [FakePort([b"ONE\r", b"BOOM\r", serial.SerialException("device disconnected")]),
             FakePort([b"TWO\r\n"])]
    opened: list[FakePort] = []
    attempts = iter([None, OSError(2, "No such file"), None])

    def factory(url: str, baudrate: int, timeout: float) -> FakePort:
        failure = next(attempts)
        if failure is not None:
            raise failure
        opened.append(ports[len(opened)])
        return opened[-1]

    def on_scan(text: str) -> None:
        if text == "BOOM":
            raise RuntimeError("handler bug")
        recorder.on_scan(text)

    start(scanners, SerialScanner("fake", on_scan, recorder.on_state, retry_interval=0.01,
                                  open_port=factory))
    assert recorder.scan() == "ONE"
    assert recorder.scan() == "TWO"
    assert opened[0].closed
    states = []
    while not recorder.states.empty():
        states.append(recorder.states.get()[0])
    assert states == ["connected", "disconnected", "connected"]
