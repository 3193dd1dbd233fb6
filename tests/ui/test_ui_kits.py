"""Procedure kits at the placement screen: expected lines, filled by scans, only scans deducted."""

from __future__ import annotations

from ui_helpers import (
    WAIT_MS,
    click,
    gs1,
    pick,
    rows,
    scan_line,
    signed_in,
    stock,
    usable_lot,
)

from kiosk import bootstrap
from kiosk.services.ports import UsageFilter


def test_the_shipped_kits_name_demo_skus():
    kits = bootstrap.load_kits()
    assert {k.name for k in kits} >= {"Upper bond-up", "Lower bond-up", "Wire change upper"}
    demo_skus = {r["sku"] for r in rows("items")}
    assert {line.sku for kit in kits for line in kit.lines} <= demo_skus


def pick_kit(qtbot, screen, name: str):
    picker = screen.kit_picker
    qtbot.waitUntil(lambda: len(picker.kit_buttons) >= 3, timeout=WAIT_MS)
    click(qtbot, screen.kit_button)
    assert picker.isVisible()
    number = next(i for i, kit in enumerate(picker.kits) if kit.name == name)
    click(qtbot, picker.kit_buttons[number])
    assert not picker.isVisible()
    assert screen.scan_field.hasFocus()
    return picker.kits[number]


def test_a_kit_prefills_expected_lines_and_confirm_deducts_only_the_scans(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    patient = rows("patients")[0]
    pick(qtbot, screen, patient["chart_number"], None)
    kit = pick_kit(qtbot, screen, "Upper bond-up")
    table = screen.cart_table
    assert table.rowCount() == len(kit.lines) and table.scanned_rows == 0
    assert all("expected" in table.item(r, 0).text() for r in range(table.rowCount()))
    assert not screen.confirm_button.isEnabled(), "expected lines are not deducted"
    table.selectRow(0)
    assert table.selected_row() is None  # an expected row is not a line

    bracket, wire = usable_lot("BRK-MBT-U1R"), usable_lot("WIR-NTI-014-U")
    extra = usable_lot("ELA-316-35")
    expected_stock = {lot["sku"]: stock(kiosk, lot["sku"], lot["lot_number"])
                      for lot in (bracket, wire, extra)}
    scan_line(qtbot, screen, gs1(bracket["sku"], bracket["lot_number"]), 1)
    scan_line(qtbot, screen, gs1(wire["sku"], wire["lot_number"]), 2)
    scan_line(qtbot, screen, gs1(extra["sku"], extra["lot_number"]), 3)
    assert table.rowCount() == 3 + len(kit.lines) - 2
    expected_skus = {table.item(r, 0).text().split(" ")[0] for r in range(3, table.rowCount())}
    assert expected_skus == set(kit.skus()) - {"BRK-MBT-U1R", "WIR-NTI-014-U"}

    click(qtbot, screen.confirm_button)  # unscanned kit lines: Confirm asks once
    assert "Not scanned from the kit Upper bond-up" in screen.confirm_question.question.text()
    click(qtbot, screen.confirm_question.record_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") in ("ok", "error"), timeout=WAIT_MS)

    text = screen.message.text()
    assert screen.message.property("tone") == "ok", text
    assert "Recorded 3 items" in text and "Not used from the kit:" in text
    u1l, u1r = (next(r["name"] for r in rows("items") if r["sku"] == sku)
                for sku in ("BRK-MBT-U1L", "BRK-MBT-U1R"))
    assert f"{u1l} ×1" in text and u1r not in text
    assert table.rowCount() == 0, "the kit ends with the placement"
    with kiosk.context.store.read() as tx:
        used = tx.usages(UsageFilter(patient_id=tx.patient_by_chart(patient["chart_number"]).id))
        assert sorted(tx.item(u.inventory_item_id).sku for u in used) == sorted(
            ["BRK-MBT-U1R", "WIR-NTI-014-U", "ELA-316-35"])
        assert tx.outbox_counts().pending == 3
    for lot in (bracket, wire, extra):
        item_before, lot_before = expected_stock[lot["sku"]]
        assert stock(kiosk, lot["sku"], lot["lot_number"]) == (item_before - 1, lot_before - 1)
    untouched = usable_lot("BRK-MBT-U1L")
    with kiosk.context.store.read() as tx:
        assert tx.lot_by_number(tx.item_by_sku("BRK-MBT-U1L").id,
                                untouched["lot_number"]).quantity_on_hand == int(
            untouched["quantity"])


def test_a_quantity_fills_a_multi_piece_kit_line(qtbot, window):
    screen = signed_in(qtbot, window)
    pick_kit(qtbot, screen, "Wire change upper")
    ties = usable_lot("ELA-LIG-SLV")
    scan_line(qtbot, screen, gs1(ties["sku"], ties["lot_number"]), 1)
    table = screen.cart_table
    ties_left = next(r for r in range(1, table.rowCount())
                     if table.item(r, 0).text().startswith("ELA-LIG-SLV"))
    assert table.item(ties_left, 3).text() == "13"
    screen.cart_table.selectRow(0)
    click(qtbot, screen.qty_button)
    for digit in (1, 4):
        click(qtbot, screen.keypad.digit_buttons[digit])
    click(qtbot, screen.keypad.ok_button)
    qtbot.waitUntil(lambda: table.item(0, 3).text() == "14", timeout=WAIT_MS)
    assert not any(table.item(r, 0).text().startswith("ELA-LIG-SLV")
                   for r in range(1, table.rowCount()))
