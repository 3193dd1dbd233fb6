"""Placement alerts and helpers over a real demo kiosk: patient search, quantity keypad, the
void window, recalled/quarantined blocks, expired override, unknown barcode, low-stock list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import (
    WAIT_MS,
    click,
    click_item,
    confirm,
    gs1,
    lot_row,
    pick,
    record_row,
    rows,
    scan,
    scan_line,
    signed_in,
    stock,
    usable_lot,
)

from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.services.ports import UsageFilter
from kiosk.ui.placement.override_panel import OVERRIDE_REASONS

EXPIRED = lot_row(sku="BON-PRIMER", status="ACTIVE", lot_number="PR25062")






def placed_patient(qtbot, screen) -> str:
    patient = rows("patients")[0]
    pick(qtbot, screen, patient["chart_number"], None)
    return patient["chart_number"]


def usages_of(kiosk, chart: str):
    with kiosk.context.store.read() as tx:
        patient = tx.patient_by_chart(chart)
        return tx.usages(UsageFilter(patient_id=patient.id)), tx.outbox_counts().pending


def test_patient_search_filters_by_name_and_chart_number(qtbot, window):
    screen = signed_in(qtbot, window)
    panel = screen.patients
    record = record_row("PLACED")
    patient = next(p for p in rows("patients") if p["chart_number"] == record["chart_number"])
    qtbot.keyClicks(panel.search, patient["last_name"][:4].lower())
    shown = panel.visible_patients()
    assert patient["chart_number"] in {p.chart_number for p in shown}
    assert len(shown) < panel.patient_list.count()
    assert all(patient["last_name"][:4].lower() in p.display_name.lower() for p in shown)

    panel.search.clear()
    qtbot.keyClicks(panel.search, record["chart_number"])
    assert [p.chart_number for p in panel.visible_patients()] == [record["chart_number"]]
    pick(qtbot, screen, record["chart_number"], record["appliance_id"])
    assert screen.scan_field.hasFocus()

    panel.search.setText("no such patient")
    assert panel.visible_patients() == []


def test_quantity_keypad_sets_a_bounded_quantity(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    chart = placed_patient(qtbot, screen)
    lot = usable_lot("BRK-MBT-U1R")
    scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.qty_button)
    keypad = screen.keypad
    assert keypad.isVisible() and keypad.geometry() == screen.rect()

    for digit in (9, 9, 9, 9):  # the display stops at the maximum's digits
        click(qtbot, keypad.digit_buttons[digit])
    assert keypad.display.text() == "999"
    click(qtbot, keypad.ok_button)
    assert keypad.isVisible() and "1 to 500" in keypad.error.text()
    click(qtbot, keypad.clear_button)
    click(qtbot, keypad.digit_buttons[0])
    click(qtbot, keypad.ok_button)
    assert keypad.isVisible(), "0 is below the minimum"
    for digit in (1, 2):
        click(qtbot, keypad.digit_buttons[digit])
    click(qtbot, keypad.ok_button)
    assert not keypad.isVisible()
    assert screen.cart_table.item(0, 3).text() == "12"
    assert screen.scan_field.hasFocus()

    confirm(qtbot, screen)
    (usage,), pending = usages_of(kiosk, chart)
    assert usage.quantity == 12 and pending == 1


def test_void_is_refused_after_the_window_and_says_why(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    chart = placed_patient(qtbot, screen)
    lot = usable_lot("BRK-MBT-U1R")
    before = stock(kiosk, lot["sku"], lot["lot_number"])
    scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), 1)
    screen.void_panel.window_s = 0.5
    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    assert screen.void_button.isEnabled()

    qtbot.waitUntil(lambda: not screen.void_button.isEnabled(), timeout=WAIT_MS)
    assert screen.void_button.text() == "Void closed"
    assert "more than 0.5 seconds" in screen.void_panel.void_note.text()
    (usage,), pending = usages_of(kiosk, chart)
    assert pending == 1
    assert stock(kiosk, lot["sku"], lot["lot_number"]) == (before[0] - 1, before[1] - 1)
    with kiosk.context.store.read() as tx:
        assert tx.void_for(usage.id) is None


@pytest.mark.parametrize(("status", "tone"), [("RECALLED", "#b71c1c"), ("QUARANTINED", "#ffb300")])
def test_a_blocked_lot_covers_the_screen_until_tapped(qtbot, window, kiosk, status, tone):
    screen = signed_in(qtbot, window)
    blocked = lot_row(status=status)
    scan(qtbot, screen, gs1(blocked["sku"], blocked["lot_number"]))
    block = screen.alerts.block
    qtbot.waitUntil(block.isVisible, timeout=WAIT_MS)
    assert block.geometry() == screen.rect()
    assert tone in block.styleSheet()
    assert blocked["sku"] in block.item.text()
    assert blocked["lot_number"] in block.lot.text()
    assert block.instruction.text() == "Set it aside — do not use"
    if status == "RECALLED":
        assert block.notice.text()
    assert screen.message.property("tone") == "error"
    assert screen.scan_field.hasFocus()
    assert screen.cart_table.rowCount() == 0

    click(qtbot, block.dismiss_button)
    assert not block.isVisible()
    assert screen.scan_field.hasFocus()
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 0


def test_an_expired_lot_is_blocked_for_an_assistant_until_a_manager_approves(qtbot, window):
    # issue 13: the assistant is offered a manager's approval on the spot (no sign-out)
    screen = signed_in(qtbot, window)
    scan(qtbot, screen, gs1(EXPIRED["sku"], EXPIRED["lot_number"]))
    qtbot.waitUntil(lambda: screen.message.property("tone") == "error", timeout=WAIT_MS)
    assert "expired" in screen.message.text()
    assert screen.override_button.isVisible()
    assert screen.override_button.text() == "Manager override…"
    assert screen.cart_table.rowCount() == 0


@pytest.mark.parametrize("typed", [False, True])
def test_an_orthodontist_overrides_an_expired_lot_with_a_reason(qtbot, window, kiosk, typed):
    screen = signed_in(qtbot, window, "orthodontist")
    chart = placed_patient(qtbot, screen)
    scan(qtbot, screen, gs1(EXPIRED["sku"], EXPIRED["lot_number"]))
    qtbot.waitUntil(screen.override_button.isVisible, timeout=WAIT_MS)
    assert screen.message.property("tone") == "error"
    assert screen.cart_table.rowCount() == 0

    click(qtbot, screen.override_button)
    panel = screen.alerts.override_panel
    assert panel.isVisible()
    click(qtbot, panel.ok_button)
    assert panel.isVisible() and "reason" in panel.error.text()
    if typed:
        reason = "Backorder; patient consented"
        qtbot.mouseClick(panel.typed, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(panel.typed, reason)
    else:
        reason = OVERRIDE_REASONS[0]
        click_item(qtbot, panel.reasons, 0)
    click(qtbot, panel.ok_button)
    assert not panel.isVisible()
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 1, timeout=WAIT_MS)
    assert screen.cart_table.item(0, 2).text() == f"expired – override: {reason}"
    assert not screen.override_button.isVisible()
    assert screen.scan_field.hasFocus()

    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    (usage,), pending = usages_of(kiosk, chart)
    assert usage.lot_number == EXPIRED["lot_number"]
    assert usage.override_reason == reason
    assert pending == 1


def test_an_unknown_barcode_offers_the_catalog_search(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    chart = placed_patient(qtbot, screen)
    body = "0999999999999"
    scan(qtbot, screen, f"(01){body}{gtin_check_digit(body)}(10)X1")
    qtbot.waitUntil(screen.catalog_button.isVisible, timeout=WAIT_MS)
    assert "not in the catalog" in screen.message.text()

    click(qtbot, screen.catalog_button)
    catalog = screen.alerts.catalog
    assert catalog.isVisible() and catalog.query.hasFocus()
    qtbot.keyClicks(catalog.query, "niti 0.014 upper")
    qtbot.waitUntil(lambda: catalog.results.count() == 1, timeout=WAIT_MS)
    assert catalog.results.item(0).text().startswith("WIR-NTI-014-U")
    click_item(qtbot, catalog.results, 0)
    assert not catalog.isVisible()
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 1, timeout=WAIT_MS)
    assert screen.cart_table.item(0, 1).text() == "—"
    assert screen.scan_field.hasFocus()

    confirm(qtbot, screen)
    (usage,), pending = usages_of(kiosk, chart)
    with kiosk.context.store.read() as tx:
        assert tx.item(usage.inventory_item_id).sku == "WIR-NTI-014-U"
    assert usage.lot_number is None and pending == 1


def test_an_hibcc_only_item_found_by_name_is_placed(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    chart = placed_patient(qtbot, screen)
    scan(qtbot, screen, "(01)00000000000017")
    qtbot.waitUntil(screen.catalog_button.isVisible, timeout=WAIT_MS)
    click(qtbot, screen.catalog_button)
    catalog = screen.alerts.catalog
    qtbot.keyClicks(catalog.query, "quad helix")
    qtbot.waitUntil(lambda: catalog.results.count() == 1, timeout=WAIT_MS)
    click_item(qtbot, catalog.results, 0)
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 1, timeout=WAIT_MS)
    confirm(qtbot, screen)
    (usage,), _pending = usages_of(kiosk, chart)
    with kiosk.context.store.read() as tx:
        assert tx.item(usage.inventory_item_id).sku == "EXP-QUADHELIX"


def test_tapping_the_low_stock_banner_lists_low_and_out_items(qtbot, window):
    screen = signed_in(qtbot, window)
    banner = screen.stock_banner
    qtbot.waitUntil(lambda: banner.property("tone") == "red", timeout=WAIT_MS)
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    stock_list = screen.stock_list
    assert stock_list.isVisible()
    table = stock_list.table
    listed = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert {"BRK-CER-U3R", "BRK-MBT-U45L", "WIR-NTI-014-L"} <= set(listed)
    out = listed["BRK-CER-U3R"]
    assert table.item(out, 2).text() == "0"
    items = {r["sku"]: r for r in rows("items")}
    assert table.item(out, 3).text() == items["BRK-CER-U3R"]["reorder_point"]
    assert table.item(out, 1).text() == items["BRK-CER-U3R"]["name"]
    click(qtbot, stock_list.close_button)
    assert not stock_list.isVisible()
    assert screen.scan_field.hasFocus()


def test_an_expiring_lot_is_flagged_in_the_cart(qtbot, window):
    screen = signed_in(qtbot, window)
    soon = lot_row(sku="ELA-18-35", lot_number="EL240312")
    scan_line(qtbot, screen, gs1(soon["sku"], soon["lot_number"]), 1)
    assert "soon" in screen.cart_table.item(0, 2).text()
    assert screen.message.property("tone") == "warn"
