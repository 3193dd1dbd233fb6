"""Inventory (issue 6, screen 2): search items, see lots, stock, reorder point and vendor
costs; adjust stock with a reason and quarantine or release a lot (inventory:adjust only)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import WAIT_MS, back_office, click, first_gtin, stock

from kiosk.domain.errors import PermissionDenied
from kiosk.domain.model import AdjustmentKind, LotStatus
from kiosk.services.corrections import adjust_stock
from kiosk.services.lot_status import set_lot_status

SKU = "BRK-MBT-U1R"  # lots B25E392 (38, +585 d) and B26A858 (42, +451 d); reorder point 10


def idle(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: screen.loading == 0, timeout=WAIT_MS)


def search(qtbot, screen, text: str) -> None:
    screen.search_field.clear()
    qtbot.keyClicks(screen.search_field, text)
    qtbot.keyClick(screen.search_field, Qt.Key.Key_Return)
    idle(qtbot, screen)


def shown(qtbot, screen, sku: str) -> None:
    qtbot.waitUntil(lambda: screen.detail.detail is not None and screen.detail.detail.sku == sku
                    and screen.loading == 0, timeout=WAIT_MS)


def table(widget) -> list[list[str]]:
    return [[widget.item(r, c).text() for c in range(widget.columnCount())]
            for r in range(widget.rowCount())]


def lot_status(kiosk, sku: str, number: str):
    with kiosk.context.store.read() as tx:
        lot = tx.lot_by_number(tx.item_by_sku(sku).id, number)
        return lot.status, lot.recall_notice


def adjustments(kiosk) -> list:
    with kiosk.context.store.read() as tx:
        return [a for a in tx.adjustments() if a.kind is AdjustmentKind.ADJUSTMENT]


def test_search_by_name_and_by_scan_shows_lots_stock_and_vendor_costs(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "assistant", "inventory")  # read only
    idle(qtbot, screen)
    assert screen.results.count() == 92  # every demo item for an empty search
    assert not screen.actions.isVisible()  # no inventory:adjust: no change controls
    search(qtbot, screen, "twin bracket mbt 0.022\" u1")
    assert [r.sku for r in screen.rows] == ["BRK-MBT-U1L", SKU]
    screen.results.setCurrentRow(1)
    shown(qtbot, screen, SKU)
    assert screen.detail.stock.text() == ("On hand 80 · reorder point 10 · reorder quantity 50")
    lots = table(screen.detail.lots)
    assert [(r[0], r[2], r[3], r[4]) for r in lots] == [
        ("B26A858", "ACTIVE", "42", "Crescent Dental Distributors"),
        ("B25E392", "ACTIVE", "38", "Alder Ortho Direct")]  # soonest expiry first
    assert table(screen.detail.vendors) == [
        ["Crescent Dental Distributors", "CDD-001001", "3.50", "★"],
        ["Alder Ortho Direct", "AOD-1000", "3.36", ""],
        ["Northbay Orthodontic Supply", "NBO-01002", "3.83", ""]]
    # a scan finds the item by its GTIN and opens it
    window.on_scanned(f"(01){first_gtin('BRK-CER-U1L')}(10)B26F371")
    shown(qtbot, screen, "BRK-CER-U1L")
    assert ("B26F371", "QUARANTINED") in {(r[0], r[2]) for r in table(screen.detail.lots)}
    search(qtbot, screen, "no such thing")
    assert screen.results.count() == 0 and screen.message.property("tone") == "warn"


def test_a_counted_adjustment_with_a_reason_changes_the_lot_and_the_item(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "inventory_manager", "inventory")
    search(qtbot, screen, SKU)
    shown(qtbot, screen, SKU)
    actions = screen.actions
    assert actions.isVisible() and actions.adjust_button.height() >= 48
    screen.detail.lots.selectRow(1)  # B25E392
    assert actions.adjust_lot.currentData() == "B25E392"
    for _ in range(3):
        click(qtbot, actions.delta_minus)
    assert actions.delta_field.text() == "-3"
    click(qtbot, actions.adjust_button)  # no reason yet
    idle(qtbot, screen)
    assert screen.message.property("tone") == "error"
    assert screen.message.text() == "A reason is required to adjust stock."
    assert stock(kiosk, SKU, "B25E392") == (80, 38) and adjustments(kiosk) == []
    qtbot.keyClicks(actions.reason_field, "cycle count: 3 missing")
    click(qtbot, actions.adjust_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") == "ok" and screen.loading == 0,
                    timeout=WAIT_MS)
    assert screen.message.text() == f"Adjusted {SKU} lot B25E392 by -3 (cycle count: 3 missing)."
    assert stock(kiosk, SKU, "B25E392") == (77, 35)
    [adjustment] = adjustments(kiosk)
    assert (adjustment.quantity_delta, adjustment.lot_number, adjustment.reason) == (
        -3, "B25E392", "cycle count: 3 missing")
    assert screen.detail.stock.text().startswith("On hand 77 ")
    assert [table(screen.detail.lots)[1][i] for i in (0, 3)] == ["B25E392", "35"]
    assert actions.reason_field.text() == "" and actions.delta_field.text() == ""


def test_quarantine_and_release_a_lot_with_a_reason(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "clinic_manager", "inventory")
    search(qtbot, screen, SKU)
    shown(qtbot, screen, SKU)
    actions = screen.actions
    assert not actions.quarantine_button.isEnabled()  # no lot picked yet
    screen.detail.lots.selectRow(0)  # B26A858
    assert actions.quarantine_button.isEnabled() and not actions.release_button.isEnabled()
    qtbot.keyClicks(actions.reason_field, "box arrived crushed")
    click(qtbot, actions.quarantine_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") == "ok" and screen.loading == 0,
                    timeout=WAIT_MS)
    assert screen.message.text() == f"Lot B26A858 of {SKU} quarantined."
    assert lot_status(kiosk, SKU, "B26A858") == (LotStatus.QUARANTINED, "box arrived crushed")
    assert table(screen.detail.lots)[0][2] == "QUARANTINED"
    assert table(screen.detail.lots)[0][5] == "box arrived crushed"
    assert actions.release_button.isEnabled() and not actions.quarantine_button.isEnabled()
    click(qtbot, actions.release_button)  # the reason was used up: refused
    idle(qtbot, screen)
    assert screen.message.text() == "A reason is required to release a lot."
    assert lot_status(kiosk, SKU, "B26A858")[0] is LotStatus.QUARANTINED
    qtbot.keyClicks(actions.reason_field, "inspected: inner packs intact")
    click(qtbot, actions.release_button)
    qtbot.waitUntil(lambda: "released" in screen.message.text() and screen.loading == 0,
                    timeout=WAIT_MS)
    assert lot_status(kiosk, SKU, "B26A858") == (LotStatus.ACTIVE,
                                                 "inspected: inner packs intact")


def test_changes_need_inventory_adjust_on_screen_and_in_the_services(qtbot, window, kiosk):
    # every role may read inventory, so the read-only assistant shows the adjust gate
    screen = back_office(qtbot, window, "assistant", "inventory")
    assert not screen.actions.isVisible()
    with pytest.raises(PermissionDenied):
        adjust_stock(kiosk.context, "B1001", SKU, lot_number="B25E392", delta=-1,
                     reason="count")
    with pytest.raises(PermissionDenied):
        set_lot_status(kiosk.context, "B1001", SKU, "B25E392", LotStatus.QUARANTINED, "odd")
    assert stock(kiosk, SKU, "B25E392") == (80, 38)
    assert lot_status(kiosk, SKU, "B25E392") == (LotStatus.ACTIVE, None)
    click(qtbot, window.back_office.sign_out_button)
    assert window.back_office.open("inventory") is None  # nobody signed in
