"""`make screenshots`: drive each screen and overlay of a demo kiosk at 1280×800 (and the
placement cart again at 1920×1080) and save PNGs.

Run as ``python -m kiosk.ui.screenshots docs/screenshots`` (QT_QPA_PLATFORM=offscreen works).
The demo kiosk is built in a temporary folder, so the user's own demo data is untouched.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk import bootstrap
from kiosk.domain.barcodes import gtin14
from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets import theme

SIZE = (1280, 800)
LARGE = (1920, 1080)
UNKNOWN_GTIN = f"(01)0999999999999{gtin_check_digit('0999999999999')}(10)X1"  # no demo item
WAIT_S = 15.0


def demo_rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lot_scans() -> tuple[list[str], str, str]:
    """GS1 scans of two lots far from expiry, one expiring soon, and one recalled lot."""
    gtins = {r["sku"]: [g for g in r["gtins"].split(";") if g] for r in demo_rows("items")}

    def scan(lot: dict[str, str]) -> str:
        return f"(01){gtin14(gtins[lot['sku']][0])}(10){lot['lot_number']}"

    usable: list[str] = []
    soon: str | None = None
    recalled: str | None = None
    skus: set[str] = set()
    for lot in demo_rows("lots"):
        if not gtins.get(lot["sku"]) or lot["sku"] in skus:
            continue
        days = int(lot["expires_in_days"]) if lot["expires_in_days"] else None
        if lot["status"] == "RECALLED" and recalled is None:
            recalled = scan(lot)
        elif lot["status"] == "ACTIVE" and int(lot["quantity"]) >= 2 and days:
            if days > 90 and len(usable) < 2:
                usable.append(scan(lot))
                skus.add(lot["sku"])
            elif 0 < days <= 30 and soon is None:
                soon = scan(lot)
                skus.add(lot["sku"])
    if len(usable) < 2 or soon is None or recalled is None:
        raise SystemExit("The demo clinic lacks the lots the screenshots need.")
    return usable, soon, recalled


def wait_until(condition: Callable[..., object], what: str, timeout_s: float = WAIT_S,
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


def drive(window: MainWindow, shoot: Shooter) -> None:
    sign_in, placement = window.sign_in, window.placement
    staff = next(r for r in demo_rows("staff") if r["role"] == "assistant")
    wait_until(lambda: sign_in.staff_buttons, "the staff list")
    shoot("sign-in")

    tap(sign_in.staff_button(staff["name"]))
    for digit in staff["pin"][:3]:
        tap(sign_in.keypad.key(digit))
    shoot("keypad")

    for digit in staff["pin"][3:]:
        tap(sign_in.keypad.key(digit))
    tap(sign_in.keypad.key("OK"))
    wait_until(lambda: window.stack.currentWidget() is placement, "the placement screen")
    wait_until(placement.stock_banner.text, "the low-stock banner")
    shoot("low-stock-banner")

    record = next(r for r in demo_rows("appliances") if r["status"] == "PLACED")
    panel = placement.patients
    wait_until(lambda: panel.find_chart(record["chart_number"]) is not None, "today's patients")
    day = panel.find_chart(record["chart_number"])
    assert day is not None  # wait_until saw it
    panel.select(day.patient.id)
    usable, soon, recalled = lot_scans()
    for count, raw in enumerate([*usable, soon], start=1):
        scan(placement.scan_field, raw)
        wait_until(lambda n=count: placement.cart_table.rowCount() == n, f"cart line {count}")
    shoot("placement-cart")

    scan(placement.scan_field, recalled)
    wait_until(lambda: "recall" in _visible_text(window).lower(), "the recalled-lot block",
               required=False)
    shoot("recalled-lot")

    placement.on_sign_out()
    saved_sync = window.sync_bar.state
    now = window.kiosk.context.clock.now()
    window.sync_bar.on_state(SyncState(  # what the bar shows when the server is unreachable
        connection=Connection.OFFLINE, queue_depth=4, last_sync=now - timedelta(minutes=12),
        last_error="The central server cannot be reached; the kiosk keeps working and will "
                   "retry."))
    shoot("sync-offline")
    if saved_sync is None:
        window.sync_bar._show_local_only()  # as before: no central server in the demo
    else:
        window.sync_bar.on_state(saved_sync)
    drive_alerts(window, shoot)
    drive_cart_overlays(window, shoot)


def sign_in_as(window: MainWindow, role: str) -> None:
    sign_in = window.sign_in
    staff = next(r for r in demo_rows("staff") if r["role"] == role)
    wait_until(lambda: window.stack.currentWidget() is sign_in, "the sign-in screen")
    tap(sign_in.staff_button(staff["name"]))
    for digit in staff["pin"]:
        tap(sign_in.keypad.key(digit))
    tap(sign_in.keypad.key("OK"))
    wait_until(lambda: window.stack.currentWidget() is not sign_in, "the first screen")


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


def drive_alerts(window: MainWindow, shoot: Shooter) -> None:
    """07-…: the scan alerts, signed in as an orthodontist (who may override an expired lot)."""
    sign_in_as(window, "orthodontist")
    placement, alerts = window.placement, window.placement.alerts
    panel = placement.patients
    record = next(r for r in demo_rows("appliances") if r["status"] == "PLACED")
    wait_until(lambda: panel.find_chart(record["chart_number"]) is not None, "today's patients")
    day = panel.find_chart(record["chart_number"])
    assert day is not None  # wait_until saw it
    panel.select(day.patient.id)

    quarantined = next(r for r in demo_rows("lots") if r["status"] == "QUARANTINED")
    scan(placement.scan_field, lot_scan(quarantined["sku"], status="QUARANTINED"))
    wait_until(alerts.block.isVisible, "the quarantined-lot block")
    shoot("quarantined-lot")
    tap(alerts.block.dismiss_button)

    scan(placement.scan_field, lot_scan("BON-PRIMER", lot_number="PR25062"))  # expired
    wait_until(placement.override_button.isVisible, "the override button")
    tap(placement.override_button)
    wait_until(alerts.override_panel.isVisible, "the override panel")
    shoot("expired-lot-override")
    tap(alerts.override_panel.cancel_button)

    scan(placement.scan_field, UNKNOWN_GTIN)
    wait_until(placement.catalog_button.isVisible, "the catalog button")
    tap(placement.catalog_button)
    catalog = alerts.catalog
    wait_until(catalog.isVisible, "the catalog search")
    QTest.keyClicks(catalog.query, "niti")
    wait_until(lambda: catalog.results.count() > 0, "catalog results")
    shoot("catalog-search")
    tap(catalog.cancel_button)


def drive_cart_overlays(window: MainWindow, shoot: Shooter) -> None:
    """The cart at 1920×1080, the cart's overlays, the low-stock list, then the void offer
    (last: after a placement the screen is no longer in its first state)."""
    placement = window.placement
    usable, soon, _recalled = lot_scans()
    for count, raw in enumerate([*usable, soon], start=1):
        scan(placement.scan_field, raw)
        wait_until(lambda n=count: placement.cart_table.rowCount() == n, f"cart line {count}")
    window.resize(*LARGE)
    wait_until(lambda: window.size().toTuple() == LARGE, "the 1920×1080 window")
    shoot("placement-cart-1920x1080")
    window.resize(*SIZE)
    wait_until(lambda: window.size().toTuple() == SIZE, "the 1280×800 window")
    while placement.cart_table.rowCount():
        placement.cart_table.selectRow(0)
        tap(placement.remove_button)

    picker = placement.kit_picker
    wait_until(lambda: len(picker.kit_buttons) >= 3, "the procedure kits")
    tap(placement.kit_button)
    shoot("kit-picker")
    tap(next(b for b, k in zip(picker.kit_buttons, picker.kits, strict=True)
             if k.name == "Upper bond-up"))
    for count, sku in enumerate(("BRK-MBT-U1R", "WIR-NTI-014-U"), start=1):
        scan(placement.scan_field, usable_scan(sku))
        wait_until(lambda n=count: placement.cart_table.scanned_rows == n, f"kit line {count}")
    shoot("kit-cart")

    placement.cart_table.selectRow(0)
    tap(placement.qty_button)
    for digit in (1, 2):
        tap(placement.keypad.digit_buttons[digit])
    shoot("quantity-keypad")
    tap(placement.keypad.cancel_button)

    wait_until(placement.stock_banner.text, "the low-stock banner")
    QTest.mouseClick(placement.stock_banner, Qt.MouseButton.LeftButton)
    wait_until(placement.stock_list.isVisible, "the low-stock list")
    shoot("low-stock-list")
    tap(placement.stock_list.close_button)

    tap(placement.confirm_button)
    wait_until(placement.void_button.isEnabled, "the void button")
    shoot("void-last-placement")


def drive_back_office(window: MainWindow, shoot: Shooter) -> None:
    """The back-office sections, each module driving its own (signed out before each)."""
    from kiosk.ui import (  # noqa: PLC0415 - they import this module's helpers
        screenshots_recalls,
        screenshots_settings,
        screenshots_stock,
    )

    for module in (screenshots_stock, screenshots_recalls, screenshots_settings):
        sign_out(window)
        module.drive(window, shoot)


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


def _visible_text(root: QWidget) -> str:
    return " ".join(label.text() for label in root.findChildren(QLabel) if label.isVisible())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = cast(QApplication | None, QApplication.instance()) or QApplication([])
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)
    app.setStyleSheet(theme())
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as home:
        kiosk = bootstrap.open_demo_kiosk(Path(home) / "demo")
        window = MainWindow(kiosk)
        window.resize(*SIZE)
        window.show()
        shoot = Shooter(window, folder)
        try:
            drive(window, shoot)
            drive_back_office(window, shoot)
        finally:
            window.shutdown()
            window.close()
    sys.stdout.write(f"{len(shoot.saved)} screenshots in {folder}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
