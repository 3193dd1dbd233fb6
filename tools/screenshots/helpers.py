"""What every screenshot module drives the demo kiosk with: wait, tap, scan, sign in, shoot."""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk import bootstrap
from kiosk.domain.barcodes import gtin14
from kiosk.ui.main_window import MainWindow

SIZE = (1280, 800)
WAIT_S = 15.0


def demo_rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wait_until(condition: Callable[[], object], what: str, timeout_s: float = WAIT_S,
               required: bool = True) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            if required:
                raise SystemExit(f"Screenshots: timed out waiting for {what}.")
            sys.stderr.write(f"screenshots: no {what} after {timeout_s:g} s; saving anyway\n")
            return False
        QCoreApplication.processEvents()
        time.sleep(0.01)
    settle()
    return True


def settle(seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def tap(widget: QWidget) -> None:
    wait_until(widget.isEnabled, f"{widget.objectName()} to be enabled")
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    QCoreApplication.processEvents()


def scan(field: QWidget, raw: str) -> None:
    QTest.keyClicks(field, raw)
    QTest.keyClick(field, Qt.Key.Key_Return)


class Shooter:
    def __init__(self, window: MainWindow, folder: Path) -> None:
        self.window, self.folder = window, folder
        self.saved: list[Path] = []

    def __call__(self, name: str) -> None:
        settle()
        path = self.folder / f"{len(self.saved) + 1:02d}-{name}.png"
        if not self.window.grab().save(str(path)):
            raise SystemExit(f"Screenshots: could not write {path}.")
        self.saved.append(path)
        sys.stdout.write(f"{path}\n")


def sign_in_as(window: MainWindow, role: str) -> None:
    sign_in = window.sign_in
    staff = next(r for r in demo_rows("staff") if r["role"] == role)
    wait_until(lambda: window.stack.currentWidget() is sign_in, "the sign-in screen")
    tap(sign_in.staff_button(staff["name"]))
    for digit in staff["pin"]:
        tap(sign_in.keypad.key(digit))
    tap(sign_in.keypad.key("OK"))
    wait_until(lambda: window.stack.currentWidget() is not sign_in, "the first screen")
    settle(0.5)  # the parked-cart offer, if an earlier scene parked one, comes a moment later
    if window.parked_offer.isVisible():
        tap(window.parked_offer.later_button)  # each scene starts from an empty cart


def sign_out(window: MainWindow) -> None:
    """Back to the sign-in screen from wherever the window is."""
    if window.stack.currentWidget() is window.placement:
        tap(window.placement.sign_out_button)
    elif window.stack.currentWidget() is window.back_office:
        tap(window.back_office.sign_out_button)
    wait_until(lambda: window.stack.currentWidget() is window.sign_in, "the sign-in screen")


def open_section(window: MainWindow, role: str, key: str):
    """Sign in as ``role`` and open back-office section ``key``; returns the section."""
    sign_in_as(window, role)
    if window.stack.currentWidget() is window.placement:
        tap(window.placement.back_office_button)
    wait_until(lambda: window.stack.currentWidget() is window.back_office, "the back office")
    tap(window.back_office.tabs[key])
    return window.back_office.sections[key]


def lot_scan(sku: str, **wanted: str) -> str:
    """The GS1 scan of the first demo lot of ``sku`` matching ``wanted`` (column: value)."""
    item = next(r for r in demo_rows("items") if r["sku"] == sku)
    gtin = gtin14(next(g for g in item["gtins"].split(";") if g))
    lot = next(r for r in demo_rows("lots")
               if r["sku"] == sku and all(r[k] == v for k, v in wanted.items()))
    return f"(01){gtin}(10){lot['lot_number']}"


def usable_scan(sku: str) -> str:
    lot = next(r for r in demo_rows("lots")
               if r["sku"] == sku and r["status"] == "ACTIVE" and int(r["quantity"]) >= 5
               and (not r["expires_in_days"] or int(r["expires_in_days"]) > 90))
    return lot_scan(sku, lot_number=lot["lot_number"])
