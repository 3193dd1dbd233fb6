"""Screenshots of the chairside screens: sign-in and PIN keypad, the placement cart with its
scan alerts and overlays, the sync bar offline, and the cart again at 1920×1080."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain.barcodes import gtin14
from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.main_window import MainWindow
from tools.screenshots.helpers import (
    SIZE,
    Shooter,
    demo_rows,
    lot_scan,
    scan,
    sign_in_as,
    tap,
    usable_scan,
    wait_until,
)

LARGE = (1920, 1080)
SMALL = (1024, 768)  # the smallest supported screen: the cart must still read whole
UNKNOWN_GTIN = f"(01)0999999999999{gtin_check_digit('0999999999999')}(10)X1"  # no demo item


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
    """The cart at 1920×1080 and 1024×768, the cart's overlays, the low-stock list, then the
    void offer (last: after a placement the screen is no longer in its first state)."""
    placement = window.placement
    usable, soon, _recalled = lot_scans()
    for count, raw in enumerate([*usable, soon], start=1):
        scan(placement.scan_field, raw)
        wait_until(lambda n=count: placement.cart_table.rowCount() == n, f"cart line {count}")
    window.resize(*LARGE)
    wait_until(lambda: window.size().toTuple() == LARGE, "the 1920×1080 window")
    shoot("placement-cart-1920x1080")
    window.resize(*SMALL)
    wait_until(lambda: window.size().toTuple() == SMALL, "the 1024×768 window")
    shoot("placement-cart-1024x768")
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
    question = placement.confirm_question  # the kit's unscanned lines: record it as it is
    if question.isVisible():
        tap(question.record_button)
    wait_until(placement.void_button.isEnabled, "the void button")
    tap(placement.void_button)
    wait_until(placement.void_panel.sheet.isVisible, "the void sheet")
    shoot("void-last-placement")


def _visible_text(root: QWidget) -> str:
    return " ".join(label.text() for label in root.findChildren(QLabel) if label.isVisible())
