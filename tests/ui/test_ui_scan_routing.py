"""Scanner input reaches the screen showing: badge on sign-in, supplies on placement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import (
    WAIT_MS,
    click,
    gs1,
    pick,
    signed_in,
    staff_row,
    usable_lot,
)

from kiosk.services.ports import UsageFilter
from kiosk.ui.common.scanners import install_scanners


def burst(qtbot, widget, text: str) -> None:
    """A wedge scanner: the whole code in one fast burst, then Enter."""
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_wedge_scan_signs_in_the_badge_then_adds_a_supply(qtbot, window):
    scanners = install_scanners(QApplication.instance(), window, window.on_scanned)
    try:
        member = staff_row()
        window.sign_in.badge_field.setFocus()
        burst(qtbot, window.sign_in.badge_field, f"STAFF-{member['badge']}")
        qtbot.waitUntil(lambda: window.sign_in.badge_field.text() == f"STAFF-{member['badge']}",
                        timeout=WAIT_MS)
        qtbot.keyClicks(window.sign_in.pin_field, member["pin"])
        # no Enter: not a scan, so the filter hands the held keys back to the field
        qtbot.waitUntil(lambda: window.sign_in.pin_field.text() == member["pin"],
                        timeout=WAIT_MS)
        click(qtbot, window.sign_in.sign_in_button)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.placement,
                        timeout=WAIT_MS)
        screen = window.placement
        lot = usable_lot("BRK-MBT-U1R")
        burst(qtbot, screen.scan_field, gs1("BRK-MBT-U1R", lot["lot_number"]))
        qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 1, timeout=WAIT_MS)
        assert screen.scan_field.text() == ""  # the burst never reached the field as typing
    finally:
        scanners.stop()


def test_three_wedge_scans_gs1_and_hibcc_then_quantity_and_confirm(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, "C-10239", None)
    scanners = install_scanners(QApplication.instance(), window, window.on_scanned)
    try:
        bracket, wire = usable_lot("BRK-MBT-U1R"), usable_lot("WIR-NTI-016-U")
        for code in (gs1("BRK-MBT-U1R", bracket["lot_number"]),
                     gs1("WIR-NTI-016-U", wire["lot_number"]),
                     "+M422BDL6R340R"):  # an HIBCC-only molar band
            burst(qtbot, screen.scan_field, code)
        qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 3, timeout=WAIT_MS)
    finally:
        scanners.stop()
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    with kiosk.context.store.read() as tx:
        before = tx.outbox_counts().pending
    click(qtbot, screen.confirm_button)  # the band waits for its lot label: Confirm asks
    click(qtbot, screen.confirm_question.record_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") in ("ok", "error"), timeout=WAIT_MS)
    assert screen.message.property("tone") == "ok", screen.message.text()
    with kiosk.context.store.read() as tx:
        patient = tx.patient_by_chart("C-10239")
        usages = tx.usages(UsageFilter(patient_id=patient.id))
        got = sorted((tx.item(u.inventory_item_id).sku, u.quantity) for u in usages)
        assert got == [("BND-L6R-34", 1), ("BRK-MBT-U1R", 2), ("WIR-NTI-016-U", 1)]
        assert tx.outbox_counts().pending == before + 3


def test_serial_scanner_state_is_shown_until_it_reconnects(window):
    window.on_scanner_state("disconnected", "unplugged; waiting for it to come back")
    assert not window.scanner_state.isHidden()
    assert "unplugged" in window.scanner_state.text()
    window.on_scanner_state("connected", "ready")
    assert window.scanner_state.isHidden()
