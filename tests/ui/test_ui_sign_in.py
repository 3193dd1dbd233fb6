"""Sign-in over a real demo kiosk: badge or name, PIN on the keypad, lockout, idle sign-out."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from kiosk import bootstrap
from kiosk.domain.barcodes import gtin14
from kiosk.domain.lockout import PinLockout
from kiosk.ui.common.idle import DEFAULT_IDLE_TIMEOUT_S, idle_timeout_from
from kiosk.ui.common.sync_bar import LOCAL_ONLY
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sign_in.keypad import KEY

WAIT_MS = 10_000


def rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STAFF = next(r for r in rows("staff") if r["role"] == "assistant")


class SteppingClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 14, 0, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at




@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


def open_window(qtbot, kiosk, **options) -> MainWindow:
    main = MainWindow(kiosk, **options)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def window(qtbot, kiosk, clock):
    timed = replace(kiosk, context=replace(kiosk.context, clock=clock))
    main = open_window(qtbot, timed)
    yield main
    main.shutdown()


def click(qtbot, button) -> None:
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def keypad_pin(qtbot, window, pin: str) -> None:
    keypad = window.sign_in.keypad
    for digit in pin:
        click(qtbot, keypad.key(digit))
    click(qtbot, keypad.key("OK"))


def scan_badge(qtbot, window, badge: str) -> None:
    field = window.sign_in.badge_field
    qtbot.keyClicks(field, badge)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def wait_signed_in(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.placement, timeout=WAIT_MS)


def wait_refused(qtbot, window) -> str:
    screen = window.sign_in
    qtbot.waitUntil(lambda: screen.message.property("tone") == "error"
                    and screen.sign_in_button.isEnabled(), timeout=WAIT_MS)
    return screen.message.text()


def test_scanned_badge_then_pin_on_the_keypad_signs_in(qtbot, window):
    scan_badge(qtbot, window, f"STAFF-{STAFF['badge']}")
    assert window.sign_in.pin_field.hasFocus()
    keypad_pin(qtbot, window, STAFF["pin"] + "9")
    assert "do not match" in wait_refused(qtbot, window)
    keypad_pin(qtbot, window, STAFF["pin"])
    wait_signed_in(qtbot, window)
    assert STAFF["name"] in window.placement.staff_label.text()


def test_keypad_keys_are_large_and_edit_the_pin(qtbot, window):
    keypad = window.sign_in.keypad
    for label in ("1", "0", "Clear", "Back", "OK"):
        assert keypad.key(label).height() >= KEY and keypad.key(label).width() >= KEY
    for label in ("1", "2", "3", "Back", "4"):
        click(qtbot, keypad.key(label))
    assert window.sign_in.pin_field.text() == "124"
    click(qtbot, keypad.key("Clear"))
    assert window.sign_in.pin_field.text() == ""


def test_pick_a_name_then_pin(qtbot, window):
    screen = window.sign_in
    qtbot.waitUntil(lambda: len(screen.staff_buttons) == len(rows("staff")), timeout=WAIT_MS)
    assert {b.text() for b in screen.staff_buttons} == {r["name"] for r in rows("staff")}
    assert all(b.height() >= 48 for b in screen.staff_buttons)
    click(qtbot, screen.staff_button(STAFF["name"]))
    assert STAFF["name"] in screen.pin_for.text()
    keypad_pin(qtbot, window, STAFF["pin"])
    wait_signed_in(qtbot, window)
    assert window.placement.staff.badge == STAFF["badge"]


def test_a_wrong_pin_is_refused(qtbot, window):
    scan_badge(qtbot, window, STAFF["badge"])
    keypad_pin(qtbot, window, "0000")
    assert "do not match" in wait_refused(qtbot, window)
    assert window.stack.currentWidget() is window.sign_in


def test_five_wrong_pins_lock_the_badge_until_a_stated_time(qtbot, window, kiosk, clock):
    screen = window.sign_in
    qtbot.waitUntil(lambda: bool(screen.staff_buttons), timeout=WAIT_MS)
    for attempt in range(5):
        if attempt % 2:  # scanned or picked, it is the same badge
            click(qtbot, screen.staff_button(STAFF["name"]))
        else:
            screen.badge_field.clear()
            scan_badge(qtbot, window, f"STAFF-{STAFF['badge']}")
        keypad_pin(qtbot, window, "0000")
        sentence = wait_refused(qtbot, window)
        clock.at += timedelta(seconds=30)
    unlock = (datetime(2026, 3, 2, 14, 2, 30, tzinfo=UTC) + timedelta(minutes=5)).astimezone(
        ZoneInfo(kiosk.config.timezone))
    shown = (unlock.replace(second=0) + timedelta(minutes=1)).strftime("%H:%M")
    assert "locked until" in sentence and shown in sentence, sentence

    keypad_pin(qtbot, window, STAFF["pin"])  # even the right PIN waits out the lock
    assert "locked until" in screen.message.text()
    assert window.stack.currentWidget() is window.sign_in

    clock.at += timedelta(minutes=5)
    keypad_pin(qtbot, window, STAFF["pin"])
    wait_signed_in(qtbot, window)


def test_wrong_pins_spread_over_more_than_ten_minutes_do_not_lock():
    lockout, start = PinLockout(), datetime(2026, 1, 1, tzinfo=UTC)
    for minute in range(0, 50, 3):  # one every 3 minutes: never 5 within 10 minutes
        assert lockout.record_wrong("STAFF-b1001", start + timedelta(minutes=minute)) is None
    for second in range(4):
        assert lockout.record_wrong("B1002", start + timedelta(seconds=second)) is None
    until = lockout.record_wrong("staff-B1002", start + timedelta(seconds=4))
    assert until == start + timedelta(seconds=4, minutes=5)
    assert lockout.locked_until("B1002", start + timedelta(minutes=4)) == until
    assert lockout.locked_until("B1002", until) is None
    assert lockout.locked_until("B1001", start) is None


def first_usable_scan() -> str:
    items = {r["sku"]: r for r in rows("items")}
    for lot in rows("lots"):
        gtins = [g for g in items[lot["sku"]]["gtins"].split(";") if g]
        days = lot["expires_in_days"]
        if lot["status"] == "ACTIVE" and gtins and days and int(days) > 90 \
                and int(lot["quantity"]) >= 5:
            return f"(01){gtin14(gtins[0])}(10){lot['lot_number']}"
    raise AssertionError("the demo has no usable lot")


def test_idle_timeout_signs_out_and_parks_the_cart(qtbot, kiosk):
    """Issue 13 changed this: the cart is parked (offered at the next sign-in), not lost."""
    window = open_window(qtbot, kiosk, idle_timeout_s=0.3, countdown_s=0.3)
    try:
        assert window.sync_bar.connection_label.text() == LOCAL_ONLY
        scan_badge(qtbot, window, f"STAFF-{STAFF['badge']}")
        keypad_pin(qtbot, window, STAFF["pin"])
        wait_signed_in(qtbot, window)
        assert window.idle.active
        screen = window.placement
        qtbot.keyClicks(screen.scan_field, first_usable_scan())
        qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=WAIT_MS)
        assert len(screen.cart) == 0 and screen.cart_table.rowCount() == 0
        assert screen.staff is None and screen.last_placement == ()
        assert "without activity" in window.sign_in.message.text()
        assert "parked" in window.sign_in.message.text()
        with kiosk.context.store.read() as tx:
            assert len(tx.parked_carts()) == 1
        click(qtbot, window.sign_in.keypad.key("4"))  # a PIN half-typed, then left alone
        qtbot.waitUntil(lambda: window.sign_in.pin_field.text() == "", timeout=WAIT_MS)
        assert window.stack.currentWidget() is window.sign_in
        with kiosk.context.store.read() as tx:
            assert tx.outbox_counts().pending == 0  # nothing was recorded half-way
    finally:
        window.shutdown()


def test_input_keeps_the_session_alive(qtbot, kiosk):
    window = open_window(qtbot, kiosk, idle_timeout_s=0.6)
    try:
        scan_badge(qtbot, window, f"STAFF-{STAFF['badge']}")
        keypad_pin(qtbot, window, STAFF["pin"])
        wait_signed_in(qtbot, window)
        for _ in range(6):  # 1.2 s in all, never 0.6 s without a key
            qtbot.wait(200)
            qtbot.keyClick(window.placement.scan_field, Qt.Key.Key_Shift)
        assert window.stack.currentWidget() is window.placement
    finally:
        window.shutdown()


def test_idle_timeout_comes_from_the_config_else_120_s(kiosk):
    assert idle_timeout_from(kiosk.config) == DEFAULT_IDLE_TIMEOUT_S == 120

    class Configured:
        idle_timeout_s = 45

    assert idle_timeout_from(Configured()) == 45
