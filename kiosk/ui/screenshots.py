"""`make screenshots`: drive each screen of a demo kiosk at 1280×800 and save PNGs.

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

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk import bootstrap
from kiosk.domain.barcodes import gtin14
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets import theme

SIZE = (1280, 800)
WAIT_S = 15.0


def demo_rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lot_scans() -> tuple[list[str], str, str]:
    """GS1 scans of two lots far from expiry, one expiring soon, and one recalled lot."""
    gtins = {r["sku"]: [g for g in r["gtins"].split(";") if g] for r in demo_rows("items")}

    def scan(lot: dict[str, str]) -> str:
        return f"(01){gtin14(gtins[lot['sku']][0])}(10){lot['lot_number']}"

    usable, soon, recalled, skus = [], None, None, set()
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
    panel.select(panel.find_chart(record["chart_number"]).patient.id)
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
    now = window.kiosk.context.clock.now()
    window.sync_bar.on_state(SyncState(  # what the bar shows when the server is unreachable
        connection=Connection.OFFLINE, queue_depth=4, last_sync=now - timedelta(minutes=12),
        last_error="The central server cannot be reached; the kiosk keeps working and will "
                   "retry."))
    shoot("sync-offline")


def _visible_text(root: QWidget) -> str:
    return " ".join(label.text() for label in root.findChildren(QLabel) if label.isVisible())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
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
        finally:
            window.shutdown()
            window.close()
    sys.stdout.write(f"{len(shoot.saved)} screenshots in {folder}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
