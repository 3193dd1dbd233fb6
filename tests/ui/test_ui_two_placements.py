"""A session places more than once: confirm is usable again after a placement."""

from __future__ import annotations

from ui_helpers import WAIT_MS, confirm, gs1, pick, scan_line, signed_in, usable_lot


def test_a_second_placement_in_the_same_session_can_be_confirmed(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, "C-10239", None)
    lot = usable_lot("BRK-MBT-U1R")
    for round_number in (1, 2):
        scan_line(qtbot, screen, gs1("BRK-MBT-U1R", lot["lot_number"]), 1)
        qtbot.waitUntil(screen.confirm_button.isEnabled, timeout=WAIT_MS)
        confirm(qtbot, screen)
        assert screen.message.property("tone") == "ok", (round_number, screen.message.text())
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 2
