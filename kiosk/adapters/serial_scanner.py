"""A serial (RS-232 / USB-CDC) barcode scanner read line by line on its own thread.

Threading contract: ``on_scan`` and ``on_state`` are called from the reader thread (Electrum
style: "can be called from any thread"). They must be quick and must not touch Qt widgets;
``kiosk.ui.common.scanners.SerialScanBridge`` re-emits them as signals on the GUI thread.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Protocol

import serial

log = logging.getLogger(__name__)

MAX_LINE = 512  # no barcode is longer; anything longer is line noise or a wrong baud rate
TERMINATORS = b"\r\n"


class ScannerState(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    ERROR = "error"
    WARNING = "warning"  # still connected; something was dropped (e.g. an over-long line)


class SerialPort(Protocol):
    """The part of ``serial.Serial`` the reader uses (tests inject fakes)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


PortFactory = Callable[[str, int, float], SerialPort]
ScanCallback = Callable[[str], None]
StateCallback = Callable[[str, str], None]


def open_serial_port(url: str, baudrate: int, timeout: float) -> SerialPort:
    """Open a device path or a pyserial URL (``loop://``, ``socket://``, ``rfc2217://``)."""
    return serial.serial_for_url(url, baudrate=baudrate, timeout=timeout)


def decode_line(raw: bytes) -> str:
    """UTF-8 when it is valid, else Latin-1 (which never fails): scanners send either."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    # Only blanks and terminators: GS (0x1D) separates GS1 fields and str.strip() would eat it.
    return text.strip(" \t\r\n")


class LineSplitter:
    """Bytes in, complete lines out; CR, LF and CRLF all end a line; over-long lines dropped."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self._max = max_line
        self._buffer = bytearray()
        self._discarding = False

    def feed(self, data: bytes) -> tuple[list[bytes], int]:
        """Returns (complete non-empty lines, number of over-long lines dropped)."""
        lines: list[bytes] = []
        dropped = 0
        for byte in data:
            if byte in TERMINATORS:
                if self._discarding:
                    self._discarding = False
                elif self._buffer:
                    lines.append(bytes(self._buffer))
                self._buffer.clear()
            elif not self._discarding:
                self._buffer.append(byte)
                if len(self._buffer) > self._max:
                    self._buffer.clear()
                    self._discarding = True
                    dropped += 1
        return lines, dropped

    def reset(self) -> None:
        """Forget a half-received line (the port went away in the middle of it)."""
        self._buffer.clear()
        self._discarding = False


class SerialScanner:
    """Reads scans from one serial port until ``stop()``; survives unplug and replug.

    ``start()`` and ``stop()`` are for the owner's thread; the callbacks run on the reader
    thread. States are reported when they change: CONNECTED, DISCONNECTED (while waiting for
    the port to come back, retried every ``retry_interval`` s), ERROR (one sentence), and
    WARNING (transient; the scanner is still connected).
    """

    def __init__(self, port_url: str, on_scan: ScanCallback, on_state: StateCallback,
                 baudrate: int = 9600, *, retry_interval: float = 1.0,
                 read_timeout: float = 0.1, max_line: int = MAX_LINE,
                 open_port: PortFactory = open_serial_port) -> None:
        self.port_url = port_url
        self._on_scan = on_scan
        self._on_state = on_state
        self._baudrate = baudrate
        self._retry_interval = retry_interval
        self._read_timeout = read_timeout
        self._open_port = open_port
        self._max_line = max_line
        self._splitter = LineSplitter(max_line)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: SerialPort | None = None
        self._state: tuple[str, str] | None = None

    @property
    def state(self) -> tuple[str, str] | None:
        """The last (state, detail) reported, or None before the first attempt."""
        return self._state

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("This scanner was already started.")
        self._thread = threading.Thread(target=self._run, name="kiosk-serial-scanner",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reading and wait for the thread (at most a read timeout, normally)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # reader thread ------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._port is None and not self._connect():
                    self._stop.wait(self._retry_interval)
                    continue
                self._read_some()
        finally:
            self._close()

    def _connect(self) -> bool:
        try:
            self._port = self._open_port(self.port_url, self._baudrate, self._read_timeout)
        except ValueError as error:  # a bad URL or setting: retrying cannot help
            self._report(ScannerState.ERROR,
                         f"The scanner port setting {self.port_url!r} is not valid ({error}).")
            self._stop.set()
            return False
        except (serial.SerialException, OSError) as error:
            if _errno(error) in (errno.EACCES, errno.EPERM):
                self._report(ScannerState.ERROR, f"No permission to open the scanner port "
                             f"{self.port_url}; add the kiosk user to the serial (dialout) group.")
            else:
                self._report(ScannerState.DISCONNECTED,
                             f"Scanner on {self.port_url} unplugged; waiting for it to come back.")
            return False
        self._splitter.reset()
        self._report(ScannerState.CONNECTED, f"Scanner on {self.port_url} connected.")
        return True

    def _read_some(self) -> None:
        port = self._port
        assert port is not None
        try:
            data = port.read(max(1, port.in_waiting))
        except (serial.SerialException, OSError) as error:
            log.info("Serial scanner on %s lost: %s", self.port_url, error)
            self._close()
            self._report(ScannerState.DISCONNECTED,
                         f"Scanner on {self.port_url} unplugged; waiting for it to come back.")
            self._stop.wait(self._retry_interval)
            return
        if not data:
            return
        lines, dropped = self._splitter.feed(data)
        if dropped:
            self._report(ScannerState.WARNING, f"Ignored {dropped} unreadable scan(s) longer "
                         f"than {self._max_line} characters; check the scanner's baud rate.")
        for raw in lines:
            text = decode_line(raw)
            if text:
                self._call(self._on_scan, text)

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                log.debug("Closing the scanner port failed", exc_info=True)

    def _report(self, state: ScannerState, detail: str) -> None:
        if state is not ScannerState.WARNING:
            if self._state == (state.value, detail):
                return
            self._state = (state.value, detail)
        self._call(self._on_state, state.value, detail)

    @staticmethod
    def _call(callback: Callable[..., None], *args: str) -> None:
        # A failing handler must not stop the scanner: the next scan still has to arrive.
        try:
            callback(*args)
        except Exception:
            log.exception("A scanner callback failed")


def _errno(error: BaseException) -> int | None:
    while error is not None:
        if isinstance(error, OSError) and error.errno is not None:
            return error.errno
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return None
