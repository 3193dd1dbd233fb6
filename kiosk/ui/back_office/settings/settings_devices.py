"""The Settings screen's devices: the printer (with a test print) and the serial scanner
port (with a live test that shows each scan received).

Both talk to hardware off the GUI thread: the printer list and the test page on a thread of
their own, the spooler on the printing thread, the scanner on its reader thread, whose
callbacks ``SerialScanBridge`` turns into signals on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QListWidget, QWidget

from kiosk.app import KioskApp
from kiosk.ui.back_office.settings.settings_central import heading
from kiosk.ui.common.scanners import ScannerFactory, SerialScanBridge
from kiosk.ui.common.widgets import (
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)
from kiosk.ui.common.workers import PRINTER, OneAtATime, Runner, describe

DEFAULT_PRINTER = ""  # shown as the combo's first entry
MAX_SCANS_SHOWN = 20


class PrinterPanel(QWidget):
    """Pick a printer from the spooler's list or type its name; print a test page."""

    def __init__(self, kiosk: KioskApp, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self.choice = named(QComboBox(), "settingsPrinter")
        self.choice.setEditable(True)
        self.choice.lineEdit().setPlaceholderText(  # type: ignore[union-attr]  # setEditable made it
            "the system's default printer")
        self.test_button = touch_button("Test print", "settingsTestPrint")
        self.result = message_label("settingsPrintResult")
        self.listed = False  # the spooler's list arrived
        self._lister = OneAtATime(runner, PRINTER)
        self._printing = OneAtATime(runner, PRINTER)
        self.test_button.clicked.connect(self.on_test_print)
        self.setLayout(box := vbox(heading("Printer", "settingsPrinterHeading"),
                                   hbox((self.choice, 1), self.test_button), self.result))
        box.setContentsMargins(0, 0, 0, 0)

    @property
    def printer(self) -> str:
        return self.choice.currentText().strip()

    def load(self, printer: str) -> None:
        """Show the saved printer and ask the spooler for the others (in the background)."""
        self.choice.setEditText(printer)
        self.listed = False
        self._lister.start(self._kiosk.list_printers, self._on_listed,
                           lambda _error: self._on_listed([]))

    @property
    def printing(self) -> bool:
        return self._printing.busy

    def _on_listed(self, names: object) -> None:
        self.listed = True
        current = self.printer
        self.choice.blockSignals(True)
        self.choice.clear()
        found = names if isinstance(names, list) else []
        self.choice.addItems(found)
        self.choice.setEditText(current)
        self.choice.blockSignals(False)
        if not found and not self.result.text():  # never over a test print's outcome
            set_tone(self.result, "warn", "The print spooler lists no printers here; type "
                                          "the printer's name, or leave it empty for the "
                                          "default printer.")

    def on_test_print(self) -> None:
        kiosk, printer = self._kiosk, self.printer

        def render_and_print() -> tuple[Path, str]:
            path = kiosk.printouts.test_page(printer)
            try:
                kiosk.print_file(path, printer or None)
            except Exception as error:  # the spooler said no: the page is still saved
                return path, str(error) or "failed"
            return path, ""

        if self._printing.start(render_and_print, self._on_printed,
                                lambda error: self._on_printed(describe(error))):
            self.test_button.setEnabled(False)
            set_tone(self.result, "", f"Sending a test page to {printer or 'the default printer'}…")

    def _on_printed(self, result: tuple[Path, str] | str) -> None:
        self.test_button.setEnabled(True)
        if isinstance(result, str):  # the page could not even be made
            set_tone(self.result, "error", result)
            return
        path, error = result
        where = self.printer or "the default printer"
        if error:
            set_tone(self.result, "warn", f"No printer answered ({where}); the test page was "
                                          f"saved to {path}.")
        else:
            set_tone(self.result, "ok", f"Test page sent to {where}.")

    def clear(self) -> None:
        self.choice.setEditText("")
        set_tone(self.result, "", "")


class ScannerPanel(QWidget):
    """The scanner port, and a live test that opens it and lists each scan received until
    stopped (``stop_test``, also when the screen is left)."""

    def __init__(self, running_port: str, scanner_factory: ScannerFactory,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running_port = running_port  # the port the kiosk itself opened at start-up
        self._scanner_factory = scanner_factory
        self.bridge: SerialScanBridge | None = None
        self.port = line_edit("settingsScannerPort", "serial port, e.g. /dev/ttyACM0 or COM3 "
                                                     "(empty: keyboard scanner)")
        self.test_button = touch_button("Test scanner", "settingsScannerTest")
        self.test_button.setCheckable(True)
        self.status = message_label("settingsScannerStatus")
        self.scans = named(QListWidget(), "settingsScans")
        self.scans.setMaximumHeight(150)
        self.test_button.clicked.connect(self.on_test)
        self.setLayout(box := vbox(heading("Scanner", "settingsScannerHeading"),
                                   hbox((self.port, 1), self.test_button), self.status, self.scans))
        box.setContentsMargins(0, 0, 0, 0)

    @property
    def testing(self) -> bool:
        return self.bridge is not None

    def on_test(self) -> None:
        if self.testing:
            self.stop_test()
            set_tone(self.status, "", "Scanner test stopped.")
            return
        port = self.port.text().strip()
        if not port:
            self.test_button.setChecked(False)
            set_tone(self.status, "warn", "Type the scanner's port first, e.g. /dev/ttyACM0 "
                                          "or COM3; a keyboard scanner needs no port.")
            return
        self.scans.clear()
        if port == self._running_port:  # already open: its scans reach show_scan instead
            self.test_button.setChecked(False)
            set_tone(self.status, "ok", f"The kiosk is already reading {port}: scan a "
                                        "barcode and it shows below.")
            return
        self.bridge = SerialScanBridge(port, self, scanner_factory=self._scanner_factory)
        self.bridge.scanned.connect(self.show_scan)
        self.bridge.state_changed.connect(self._on_state)
        self.test_button.setChecked(True)
        self.test_button.setText("Stop test")
        set_tone(self.status, "", f"Opening {port}…")
        self.bridge.start()

    def _on_state(self, state: str, detail: str) -> None:
        port = self.bridge.port if self.bridge is not None else ""
        if state == "connected":
            set_tone(self.status, "ok", f"Listening on {port}: scan a barcode now.")
        elif state == "disconnected":
            set_tone(self.status, "error", f"No scanner answers on {port}: the port is missing "
                                           "or was unplugged; check the cable and the name.")
        else:
            set_tone(self.status, "error" if state == "error" else "warn", detail)

    def show_scan(self, text: str) -> None:
        self.scans.insertItem(0, text)
        while self.scans.count() > MAX_SCANS_SHOWN:
            self.scans.takeItem(self.scans.count() - 1)

    def stop_test(self) -> None:
        """Close the port (idempotent)."""
        bridge, self.bridge = self.bridge, None
        if bridge is not None:
            bridge.stop()
            bridge.deleteLater()
        self.test_button.setChecked(False)
        self.test_button.setText("Test scanner")

    def clear(self) -> None:
        self.stop_test()
        self.port.clear()
        self.scans.clear()
        set_tone(self.status, "", "")
