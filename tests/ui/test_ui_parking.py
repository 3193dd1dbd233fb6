"""Nothing used is ever discarded (issue 13 item 1): idle countdown, park, restart, resume,
discard with a reason; real widgets over a real SQLite demo kiosk."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from ui_helpers import (
    WAIT_MS,
    ThreadCheckingStore,
    click,
    gs1,
    pick,
    scan_line,
    signed_in,
    usable_lot,
)

from kiosk import bootstrap
from kiosk.domain.errors import StoreUnavailable
from kiosk.services.ports import Store
from kiosk.ui.main_window import MainWindow

SKUS = ("BRK-MBT-U1R", "WIR-NTI-016-U")


def open_window(qtbot, kiosk, store: Store | None = None, **options) -> MainWindow:
    store = store or ThreadCheckingStore(kiosk.context.store)
    main = MainWindow(replace(kiosk, context=replace(kiosk.context, store=store)), **options)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "demo"
    bootstrap.open_demo_kiosk(path)
    return path


def kiosk_at(home):
    return bootstrap.open_kiosk(str(home / "config.toml"))


def fill_cart(qtbot, window):
    """Signed in as the assistant, Mateo Hernández's placed record picked, 3 items scanned."""
    screen = signed_in(qtbot, window)
    record = next(r for r in _records() if r["chart_number"] == "C-10239")
    pick(qtbot, screen, record["chart_number"], record["appliance_id"])
    first, second = (usable_lot(sku) for sku in SKUS)
    scan_line(qtbot, screen, gs1(SKUS[0], first["lot_number"]), 1)
    scan_line(qtbot, screen, gs1(SKUS[0], first["lot_number"]), 1)
    scan_line(qtbot, screen, gs1(SKUS[1], second["lot_number"]), 2)
    return screen, record


def _records():
    from ui_helpers import rows  # noqa: PLC0415

    return [r for r in rows("appliances") if r["status"] != "REMOVED"]


def parked(kiosk, state="PARKED"):
    with kiosk.context.store.read() as tx:
        return tx.parked_carts(state=state)


def test_idle_countdown_shows_and_a_tap_keeps_the_cart(qtbot, home):
    kiosk = kiosk_at(home)
    window = open_window(qtbot, kiosk, idle_timeout_s=0.3, countdown_s=30)
    try:
        screen, _record = fill_cart(qtbot, window)
        countdown = window.countdown
        qtbot.waitUntil(countdown.isVisible, timeout=WAIT_MS)
        assert countdown.label.text().startswith("Signing out in ")
        assert "tap or scan to stay" in countdown.label.text()
        qtbot.waitUntil(lambda: len(parked(kiosk)) == 1, timeout=WAIT_MS)  # parked at once
        qtbot.mouseClick(countdown, Qt.MouseButton.LeftButton)  # a tap anywhere on it
        qtbot.waitUntil(lambda: not countdown.isVisible(), timeout=WAIT_MS)
        assert window.stack.currentWidget() is screen and screen.staff is not None
        assert [line.quantity for line in screen.cart.lines] == [2, 1]
        # the copy parked when the countdown began is closed: not offered twice
        qtbot.waitUntil(lambda: parked(kiosk) == [], timeout=WAIT_MS)
        [kept] = parked(kiosk, "RESUMED")
        assert kept.closed_by == kept.parked_by
    finally:
        window.shutdown()


def test_a_key_or_scan_cancels_the_countdown_too(qtbot, home):
    kiosk = kiosk_at(home)
    window = open_window(qtbot, kiosk, idle_timeout_s=0.3, countdown_s=30)
    try:
        screen, _record = fill_cart(qtbot, window)
        qtbot.waitUntil(window.countdown.isVisible, timeout=WAIT_MS)
        lot = usable_lot(SKUS[1])
        scan_line(qtbot, screen, gs1(SKUS[1], lot["lot_number"]), 2)  # the wedge scan lands
        qtbot.waitUntil(lambda: screen.cart.lines[1].quantity == 2, timeout=WAIT_MS)
        assert not window.countdown.isVisible()
        assert window.stack.currentWidget() is screen
    finally:
        window.shutdown()


def test_countdown_expiry_parks_then_signs_out_and_a_restart_offers_it(qtbot, home):
    kiosk = kiosk_at(home)
    window = open_window(qtbot, kiosk, idle_timeout_s=0.3, countdown_s=0.5)
    try:
        _screen, record = fill_cart(qtbot, window)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in,
                        timeout=WAIT_MS)
        assert "parked" in window.sign_in.message.text()
    finally:
        window.shutdown()
    [cart] = parked(kiosk)
    assert cart.cause == "idle" and cart.patient_name == "Mateo Hernández"
    assert cart.appliance_id == record["appliance_id"]
    assert [(line.sku, line.quantity) for line in cart.lines] == [(SKUS[0], 2), (SKUS[1], 1)]

    again = kiosk_at(home)  # a restart: a new application object on the same data dir
    window = open_window(qtbot, again)
    try:
        screen = signed_in(qtbot, window, "orthodontist")  # the next user at this kiosk
        offer = window.parked_offer
        qtbot.waitUntil(offer.isVisible, timeout=WAIT_MS)
        assert offer.heading.text().startswith("Parked cart for Mateo Hernández, 3 items, ")
        click(qtbot, offer.resume_button)
        qtbot.waitUntil(lambda: len(screen.cart) == 2, timeout=WAIT_MS)
        assert not offer.isVisible()
        assert [(line.sku, line.quantity) for line in screen.cart.lines] == [
            (SKUS[0], 2), (SKUS[1], 1)]
        assert screen.patients.current_patient().chart_number == "C-10239"
        assert screen.patients.current_record().id == record["appliance_id"]
        assert parked(again) == []
        assert parked(again, "RESUMED")[0].closed_by != cart.parked_by
    finally:
        window.shutdown()


def test_sign_out_button_parks_a_cart_and_discard_needs_a_reason(qtbot, home):
    kiosk = kiosk_at(home)
    window = open_window(qtbot, kiosk)
    try:
        screen, _record = fill_cart(qtbot, window)
        click(qtbot, screen.sign_out_button)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in,
                        timeout=WAIT_MS)
        [cart] = parked(kiosk)
        assert cart.cause == "sign_out"
        assert screen.staff is None and len(screen.cart) == 0

        signed_in(qtbot, window, "assistant")
        offer = window.parked_offer
        qtbot.waitUntil(offer.isVisible, timeout=WAIT_MS)
        click(qtbot, offer.discard_button)
        assert all(not b.isChecked() for b in offer.reason_buttons)  # none preselected
        assert not offer.confirm_discard.isEnabled()
        click(qtbot, offer.reason_buttons[2])
        click(qtbot, offer.confirm_discard)
        qtbot.waitUntil(lambda: not offer.isVisible(), timeout=WAIT_MS)
        assert "discarded" in window.placement.message.text()
        assert len(window.placement.cart) == 0
    finally:
        window.shutdown()
    [audit] = parked(kiosk, "DISCARDED")
    assert audit.id == cart.id and audit.discard_reason == offer.reason_buttons[2].text()
    assert audit.closed_by == cart.parked_by and audit.closed_at is not None
    assert len(audit.lines) == 2


def test_back_office_sign_out_parks_the_chairside_cart(qtbot, home):
    kiosk = kiosk_at(home)
    window = open_window(qtbot, kiosk)
    try:
        screen, _record = fill_cart(qtbot, window)
        window.back_office.start(screen.staff)  # as the Back office button does
        window.stack.setCurrentWidget(window.back_office)
        click(qtbot, window.back_office.sign_out_button)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in,
                        timeout=WAIT_MS)
        assert len(parked(kiosk)) == 1
    finally:
        window.shutdown()


class FailingParkStore(Store):
    """Every write fails: the park cannot be stored."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.fail = False

    def read(self):
        return self.inner.read()

    def write(self):
        if self.fail:
            raise StoreUnavailable("The kiosk database is locked by another program.")
        return self.inner.write()


def test_a_failed_park_does_not_sign_out_and_says_why(qtbot, home):
    kiosk = kiosk_at(home)
    store = FailingParkStore(kiosk.context.store)
    window = open_window(qtbot, kiosk, store=store)
    try:
        screen, _record = fill_cart(qtbot, window)
        store.fail = True
        click(qtbot, screen.sign_out_button)
        qtbot.waitUntil(lambda: screen.message.property("tone") == "error", timeout=WAIT_MS)
        assert "Could not park the cart" in screen.message.text()
        assert "locked by another program" in screen.message.text()
        assert window.stack.currentWidget() is screen and screen.staff is not None
        assert len(screen.cart) == 2
    finally:
        window.shutdown()
    assert parked(kiosk) == []
