"""Screenshots of the back-office receive stock and inventory screens (issue 6).

The receive form is shot filled in and then discarded: nothing is saved and no label goes to
a printer of the machine making the screenshots."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from PySide6.QtTest import QTest

from kiosk.domain.barcodes import gtin14
from kiosk.ui.back_office.inventory.inventory_screen import InventoryScreen
from kiosk.ui.main_window import MainWindow
from tools.screenshots.helpers import Shooter, demo_rows, open_section, scan, tap, wait_until

SKU = "BRK-MBT-U1R"


def drive(window: MainWindow, shoot: Shooter) -> None:
    """Open each screen, fill it with demo data and ``shoot`` it."""
    receive = open_section(window, "inventory_manager", "receive")
    item = next(r for r in demo_rows("items") if r["sku"] == SKU)
    gtin = gtin14(item["gtins"].split(";")[0])
    expiry = date.today() + timedelta(days=700)
    scan(receive.scan_field, f"(01){gtin}(17){expiry:%y%m%d}(10)B26N114")
    wait_until(lambda: receive.form.draft is not None and not receive.busy, "the scanned box")
    QTest.keyClicks(receive.form.qty_field, "24")
    tap(receive.form.labels_plus)
    shoot("receive-stock")
    tap(receive.discard_button)

    tap(window.back_office.tabs["inventory"])
    inventory = cast(InventoryScreen, window.back_office.sections["inventory"])
    wait_until(lambda: inventory.results.count() > 1 and inventory.loading == 0, "the items")
    QTest.keyClicks(inventory.search_field, SKU)
    tap(inventory.search_button)
    wait_until(lambda: inventory.detail.detail is not None and inventory.loading == 0,
               "the item's lots")
    inventory.detail.lots.selectRow(0)
    QTest.keyClicks(inventory.actions.reason_field, "box arrived crushed")
    shoot("inventory-item")
