"""The first kiosk window over a real demo kiosk: sign in, place, block a recall, void."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from ui_helpers import (
    WAIT_MS,
    ThreadCheckingStore,
    click,
    click_item,
    confirm,
    first_gtin,
    gs1,
    pick,
    record_row,
    rows,
    scan,
    scan_line,
    signed_in,
    staff_row,
    stock,
)

from kiosk import bootstrap
from kiosk.domain.model import ApplianceStatus
from kiosk.services.ports import UsageFilter
from kiosk.ui.main_window import MainWindow


def usable_lots(count: int) -> list[dict[str, str]]:
    """Active lots of distinct GTIN items, far from expiry, with stock to spare."""
    found: dict[str, dict[str, str]] = {}
    for lot in rows("lots"):
        days = lot["expires_in_days"]
        if (lot["status"] == "ACTIVE" and days and int(days) > 90 and int(lot["quantity"]) >= 5
                and lot["sku"] not in found and first_gtin(lot["sku"])):
            found[lot["sku"]] = lot
    return list(found.values())[:count]






@pytest.fixture
def kiosk(tmp_path: Path):
    return bootstrap.open_demo_kiosk(tmp_path / "demo")




@pytest.fixture
def window(qtbot, kiosk):
    store = ThreadCheckingStore(kiosk.context.store)
    watched = replace(kiosk, context=replace(kiosk.context, store=store))
    main = MainWindow(watched)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.shutdown()
    assert store.calls > 0
    assert store.on_gui_thread == [], "the GUI thread opened a database transaction"




def sign_in(qtbot, window, badge: str, pin: str) -> None:
    screen = window.sign_in
    qtbot.keyClicks(screen.badge_field, badge)
    qtbot.keyClicks(screen.pin_field, pin)
    click(qtbot, screen.sign_in_button)












def item_id(tx, sku: str) -> str:
    return tx.item_by_sku(sku).id




def test_sign_in_with_badge_and_pin_and_refuse_a_wrong_pin(qtbot, window):
    member = staff_row()
    sign_in(qtbot, window, member["badge"], "0000")
    message = window.sign_in.message
    qtbot.waitUntil(lambda: message.property("tone") == "error", timeout=WAIT_MS)
    assert "do not match" in message.text()
    assert window.stack.currentWidget() is window.sign_in

    window.sign_in.badge_field.clear()
    sign_in(qtbot, window, f"STAFF-{member['badge']}", member["pin"])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.placement, timeout=WAIT_MS)
    assert member["name"] in window.placement.staff_label.text()
    assert window.placement.scan_field.hasFocus()

    click(qtbot, window.placement.sign_out_button)
    assert window.stack.currentWidget() is window.sign_in


def test_place_two_items_on_a_placed_record(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    record = record_row("PLACED")
    pick(qtbot, screen, record["chart_number"], record["appliance_id"])
    first, second = usable_lots(2)
    scan_line(qtbot, screen, gs1(first["sku"], first["lot_number"]), 1)
    scan_line(qtbot, screen, gs1(second["sku"], second["lot_number"]), 2)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    assert screen.cart_table.item(0, 3).text() == "2"
    assert screen.scan_field.hasFocus()

    confirm(qtbot, screen)

    assert screen.message.property("tone") == "ok", screen.message.text()
    assert "Recorded 3 items for Mateo Hernández · $" in screen.message.text()
    assert screen.cart_table.rowCount() == 0
    with kiosk.context.store.read() as tx:
        patient = tx.patient_by_chart(record["chart_number"])
        usages = tx.usages(UsageFilter(patient_id=patient.id))
        quantities = {(u.inventory_item_id, u.lot_number): u.quantity for u in usages}
        assert quantities == {
            (item_id(tx, first["sku"]), first["lot_number"]): 2,
            (item_id(tx, second["sku"]), second["lot_number"]): 1,
        }
        assert {u.appliance_record_id for u in usages} == {record["appliance_id"]}
        assert {u.appliance_type.value for u in usages} == {record["type"]}
        assert tx.outbox_counts().pending == len(usages)


def test_same_item_merges_and_an_ordered_record_is_marked_placed(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    record = record_row("ORDERED")
    pick(qtbot, screen, record["chart_number"], record["appliance_id"])
    (lot,) = usable_lots(1)
    raw = gs1(lot["sku"], lot["lot_number"])
    scan_line(qtbot, screen, raw, 1)
    scan(qtbot, screen, raw)
    qtbot.waitUntil(lambda: screen.cart_table.item(0, 3).text() == "2", timeout=WAIT_MS)
    assert screen.cart_table.rowCount() == 1

    confirm(qtbot, screen)

    assert "Recorded 2 items" in screen.message.text()
    with kiosk.context.store.read() as tx:
        assert tx.appliance(record["appliance_id"]).status is ApplianceStatus.PLACED
        (usage,) = tx.usages(UsageFilter(lot_number=lot["lot_number"]))
        assert usage.quantity == 2


def test_a_refused_placement_keeps_the_cart(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    record = record_row("PLACED")  # removed at the chair meanwhile (REMOVED ones are not offered)
    pick(qtbot, screen, record["chart_number"], record["appliance_id"])
    (lot,) = usable_lots(1)
    scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), 1)
    with kiosk.context.store.write() as tx:
        tx.save_appliance(replace(tx.appliance(record["appliance_id"]),
                                  status=ApplianceStatus.REMOVED))

    confirm(qtbot, screen)

    assert screen.message.property("tone") == "error"
    assert "REMOVED" in screen.message.text()
    assert screen.cart_table.rowCount() == 1
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 0


def test_a_recalled_lot_shows_red_and_adds_no_line(qtbot, window):
    screen = signed_in(qtbot, window)
    recalled = next(r for r in rows("lots") if r["status"] == "RECALLED")
    scan(qtbot, screen, gs1(recalled["sku"], recalled["lot_number"]))
    qtbot.waitUntil(lambda: screen.message.property("tone") == "error", timeout=WAIT_MS)
    assert "recalled" in screen.message.text()
    assert recalled["lot_number"] in screen.message.text()
    assert screen.cart_table.rowCount() == 0


def test_scanning_a_chart_code_selects_the_patient(qtbot, window):
    screen = signed_in(qtbot, window)
    patient = rows("patients")[-1]
    scan(qtbot, screen, f"CHART-{patient['chart_number']}")
    qtbot.waitUntil(lambda: screen.patients.current_patient() is not None, timeout=WAIT_MS)
    assert screen.patients.current_patient().chart_number == patient["chart_number"]


def test_void_last_placement_restores_stock(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    patient = rows("patients")[0]
    pick(qtbot, screen, patient["chart_number"], None)
    (lot,) = usable_lots(1)
    before = stock(kiosk, lot["sku"], lot["lot_number"])
    scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    assert stock(kiosk, lot["sku"], lot["lot_number"]) == (before[0] - 2, before[1] - 2)

    click(qtbot, screen.void_button)  # issue 13: a sheet, lines ticked, no reason preselected
    sheet = screen.void_panel.sheet
    qtbot.waitUntil(sheet.isVisible, timeout=WAIT_MS)
    assert not sheet.void_button.isEnabled()
    click_item(qtbot, sheet.reasons, 0)
    assert sheet.reason() == "Wrong patient"
    click(qtbot, sheet.void_button)
    qtbot.waitUntil(lambda: "Voided" in screen.message.text(), timeout=WAIT_MS)

    assert stock(kiosk, lot["sku"], lot["lot_number"]) == before
    with kiosk.context.store.read() as tx:
        (usage,) = tx.usages(UsageFilter(lot_number=lot["lot_number"]))
        assert tx.void_for(usage.id).reason == "Wrong patient"
        assert usage.appliance_record_id is None
        assert tx.outbox_counts().pending == 2
    assert not screen.void_button.isEnabled()


def test_low_stock_banner_is_red_when_an_item_is_out(qtbot, window):
    screen = signed_in(qtbot, window)
    banner = screen.stock_banner
    qtbot.waitUntil(lambda: banner.property("tone") == "red", timeout=WAIT_MS)
    out_sku = next(r["sku"] for r in rows("lots") if r["quantity"] == "0")
    assert out_sku in banner.text()
