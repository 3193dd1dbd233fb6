"""Safe corrections, in place (issue 13 item 4): the void sheet per line, a manager's override at
the chair without signing the assistant out, a way on past a label/catalog expiry mismatch."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint
from ui_helpers import (
    WAIT_MS,
    click,
    click_item,
    confirm,
    first_gtin,
    gs1,
    lot_row,
    pick,
    rows,
    scan,
    scan_line,
    signed_in,
    staff_row,
    stock,
    usable_lot,
)

from kiosk.domain.errors import KioskError, ValidationError
from kiosk.domain.model import Lot, LotStatus
from kiosk.domain.permissions import Permission, Role, require
from kiosk.domain.rules import check_lot_usable
from kiosk.services import chairside
from kiosk.services.inventory_view import item_detail
from kiosk.services.ports import UsageFilter
from kiosk.ui.placement.override_panel import OVERRIDE_REASONS

EXPIRED = lot_row(sku="BON-PRIMER", status="ACTIVE", lot_number="PR25062")
THREE = ("BRK-MBT-U1R", "BRK-MBT-U1L", "BRK-MBT-U2R")


def patient_picked(qtbot, screen) -> dict[str, str]:
    patient = rows("patients")[0]
    pick(qtbot, screen, patient["chart_number"], None)
    return patient


def usages_of(kiosk, chart: str):
    with kiosk.context.store.read() as tx:
        patient = tx.patient_by_chart(chart)
        return tx.usages(UsageFilter(patient_id=patient.id))


def place_three(qtbot, screen) -> list[dict[str, str]]:
    lots = [usable_lot(sku) for sku in THREE]
    for count, lot in enumerate(lots, start=1):
        scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), count)
    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    return lots


def open_sheet(qtbot, screen):
    click(qtbot, screen.void_button)
    sheet = screen.void_panel.sheet
    qtbot.waitUntil(sheet.isVisible, timeout=WAIT_MS)
    return sheet


# void sheet -----------------------------------------------------------------------------------

def test_void_sheet_voids_one_of_three_lines_and_names_the_patient(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    patient = patient_picked(qtbot, screen)
    lots = place_three(qtbot, screen)
    before = [stock(kiosk, lot["sku"], lot["lot_number"]) for lot in lots]

    sheet = open_sheet(qtbot, screen)
    assert sheet.geometry() == screen.rect()
    assert patient["first_name"] in sheet.heading.text()
    assert patient["chart_number"] in sheet.heading.text()
    assert [line.sku for _check, line in sheet.checks] == list(THREE)
    assert all(THREE[i] in check.text() for i, (check, _line) in enumerate(sheet.checks))
    assert all(check.minimumSizeHint().height() >= 48 or check.height() >= 48
               for check, _line in sheet.checks)
    assert sheet.reason() == "", "no reason is preselected"
    assert not sheet.void_button.isEnabled()
    assert "reason" in sheet.error.text()

    sheet.checks[1][0].click()
    sheet.checks[2][0].click()
    assert sheet.void_button.text() == "Void 1 line"
    assert not sheet.void_button.isEnabled(), "still no reason"
    click_item(qtbot, sheet.reasons, 1)
    assert sheet.reason() == "Wrong item"
    click(qtbot, sheet.void_button)
    qtbot.waitUntil(lambda: "Voided 1 line" in screen.message.text(), timeout=WAIT_MS)
    assert "2 lines stay recorded" in screen.message.text()
    assert not sheet.isVisible()
    assert screen.scan_field.hasFocus()

    after = [stock(kiosk, lot["sku"], lot["lot_number"]) for lot in lots]
    assert after[0] == (before[0][0] + 1, before[0][1] + 1)
    assert after[1:] == before[1:]
    usages = {u.lot_number: u for u in usages_of(kiosk, patient["chart_number"])}
    with kiosk.context.store.read() as tx:
        assert tx.void_for(usages[lots[0]["lot_number"]].id).reason == "Wrong item"
        assert tx.void_for(usages[lots[1]["lot_number"]].id) is None
        assert tx.void_for(usages[lots[2]["lot_number"]].id) is None
        assert tx.outbox_counts().pending == 4  # three usages, one void event

    sheet = open_sheet(qtbot, screen)  # the two lines left can still be voided
    assert [line.sku for _check, line in sheet.checks] == list(THREE[1:])
    click(qtbot, sheet.cancel_button)
    assert not sheet.isVisible()


def test_void_button_sits_away_from_confirm(qtbot, window):
    screen = signed_in(qtbot, window)
    void_top = screen.void_button.mapTo(screen, QPoint(0, 0)).y()
    confirm_top = screen.confirm_button.mapTo(screen, QPoint(0, 0)).y()
    assert not screen.cart_panel.isAncestorOf(screen.void_button)
    assert confirm_top - void_top > screen.height() / 2


def test_void_lines_refuses_a_usage_of_another_placement(kiosk):
    staff = kiosk.sign_in(staff_row()["badge"], staff_row()["pin"])
    with pytest.raises(ValidationError, match="last placement"):
        chairside.void_lines(kiosk.context, staff, ["a" * 24], ["b" * 24], "Wrong item")
    with pytest.raises(ValidationError, match="reason"):
        chairside.void_lines(kiosk.context, staff, ["a" * 24], ["a" * 24], " ")


# manager override in place ----------------------------------------------------------------------

def manager_types(qtbot, approval, badge: str, pin: str) -> None:
    approval.badge_field.clear()
    approval.pin_field.clear()
    qtbot.keyClicks(approval.badge_field, badge)
    for digit in pin:
        click(qtbot, approval.digit_buttons[int(digit)])
    click(qtbot, approval.approve_button)


def test_a_manager_approves_an_expired_lot_at_the_chair(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    assistant = screen.staff
    patient = patient_picked(qtbot, screen)
    kept = usable_lot("BRK-MBT-U1R")
    scan_line(qtbot, screen, gs1(kept["sku"], kept["lot_number"]), 1)
    scan(qtbot, screen, gs1(EXPIRED["sku"], EXPIRED["lot_number"]))
    qtbot.waitUntil(screen.override_button.isVisible, timeout=WAIT_MS)
    assert screen.override_button.text() == "Manager override…"
    assert "badge and PIN" in screen.message.text()

    click(qtbot, screen.override_button)
    panel = screen.alerts.override_panel
    click_item(qtbot, panel.reasons, 0)
    click(qtbot, panel.ok_button)
    approval = screen.alerts.manager
    qtbot.waitUntil(approval.isVisible, timeout=WAIT_MS)
    assert approval.badge_field.hasFocus()
    assert EXPIRED["lot_number"] in approval.heading.text()

    manager, other = staff_row("clinic_manager"), staff_row("assistant")
    manager_types(qtbot, approval, f"STAFF-{manager['badge']}", "000000")
    qtbot.waitUntil(lambda: "do not match" in approval.error.text(), timeout=WAIT_MS)
    assert approval.isVisible() and approval.pin_field.text() == ""
    manager_types(qtbot, approval, other["badge"], other["pin"])
    qtbot.waitUntil(lambda: "may not approve" in approval.error.text(), timeout=WAIT_MS)
    assert approval.isVisible()
    assert screen.cart_table.rowCount() == 1

    manager_types(qtbot, approval, manager["badge"], manager["pin"])
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 2, timeout=WAIT_MS)
    assert not approval.isVisible()
    assert window.stack.currentWidget() is screen and screen.staff == assistant
    assert f"approved by {manager['name']}" in screen.cart_table.item(1, 2).text()
    assert screen.patients.current_patient().chart_number == patient["chart_number"]

    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    usage = next(u for u in usages_of(kiosk, patient["chart_number"])
                 if u.lot_number == EXPIRED["lot_number"])
    assert usage.used_by == assistant.id
    assert usage.override_by == manager["staff_id"]
    assert usage.override_reason == OVERRIDE_REASONS[0]
    with kiosk.context.store.read() as tx:
        events = [json.loads(e.payload) for e in tx.pending_events(100)]
    sent = next(e for e in events if e.get("_id") == usage.id)
    assert sent["usedBy"] == assistant.id and sent["overrideBy"] == manager["staff_id"]


def test_an_override_needs_a_permitted_approver_in_the_service(kiosk):
    manager, other = staff_row("inventory_manager"), staff_row("assistant")
    assert chairside.authorize_override(kiosk.context, manager["badge"], manager["pin"]).id \
        == manager["staff_id"]
    with pytest.raises(Exception, match="may not approve"):
        chairside.authorize_override(kiosk.context, other["badge"], other["pin"])


# label / catalog expiry mismatch --------------------------------------------------------------

def test_an_expiry_mismatch_offers_the_label_expiry_and_flags_the_lot(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    patient = patient_picked(qtbot, screen)
    lot = usable_lot("BRK-MBT-U1R")
    with kiosk.context.store.read() as tx:
        item = tx.item_by_sku(lot["sku"])
        catalog = tx.lot_by_number(item.id, lot["lot_number"]).expiration_date
    label = catalog + timedelta(days=31)
    raw = f"(01){first_gtin(lot['sku'])}(17){label:%y%m%d}(10){lot['lot_number']}"
    scan(qtbot, screen, raw)
    qtbot.waitUntil(screen.alerts.label_expiry_button.isVisible, timeout=WAIT_MS)
    assert screen.message.property("tone") == "error"
    assert "use the label's expiry" in screen.message.text()
    assert screen.cart_table.rowCount() == 0

    click(qtbot, screen.alerts.label_expiry_button)
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 1, timeout=WAIT_MS)
    assert label.isoformat() in screen.cart_table.item(0, 2).text()
    assert "flagged" in screen.message.text()
    confirm(qtbot, screen)
    assert screen.message.property("tone") == "ok", screen.message.text()
    (usage,) = usages_of(kiosk, patient["chart_number"])
    assert usage.expiration_date == label
    detail = item_detail(kiosk.context, None, lot["sku"])
    row = next(r for r in detail.lots if r.lot_number == lot["lot_number"])
    assert label.isoformat() in row.note and catalog.isoformat() in row.note
    assert row.status == "ACTIVE"


# every refusal names the next action --------------------------------------------------------

def test_chairside_refusals_name_the_next_action():
    today = date(2026, 12, 2)
    cases = [
        (Lot("", "", "L1", status=LotStatus.RECALLED), "scan another lot"),
        (Lot("", "", "L2", status=LotStatus.QUARANTINED), "use another lot"),
        (Lot("", "", "L3", expiration_date=date(2026, 1, 1)), "badge and PIN"),
    ]
    for lot, action in cases:
        with pytest.raises(KioskError, match=action):
            check_lot_usable(lot, today, Role.ASSISTANT)
    with pytest.raises(KioskError, match="badge and PIN"):
        check_lot_usable(Lot("", "", "L4", expiration_date=date(2026, 1, 1)), today,
                         Role.ASSISTANT, "patient in chair")
    with pytest.raises(KioskError, match="ask an assistant, orthodontist or clinic manager"):
        require("Kenji", Role.IT_ADMIN, Permission.APPLIANCE_UPDATE)
