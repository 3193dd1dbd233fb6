"""The back office shows each user only the sections their role permits, and sign-out (by
tap or idle) leaves nothing of the session behind."""

from __future__ import annotations

import pytest
from ui_helpers import WAIT_MS, back_office, click, sign_in_as

from kiosk.domain.model import Staff
from kiosk.domain.permissions import Role
from kiosk.ui.back_office.back_office_sections import SECTIONS, sections_for

EXPECTED = {
    "assistant": ["inventory", "reports"],
    "orthodontist": ["inventory", "recalls", "reports"],
    "inventory_manager": ["receive", "inventory", "recalls", "reports"],
    "clinic_manager": ["receive", "inventory", "recalls", "reports"],
    "it_admin": ["inventory", "settings"],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_only_its_sections(role):
    staff = Staff(id="1" * 24, name="X", role=Role(role), badge="1")
    assert [spec.key for spec in sections_for(staff)] == EXPECTED[role]


def test_chairside_staff_reach_the_back_office_by_a_button_and_come_back(qtbot, window):
    placement = sign_in_as(qtbot, window, "assistant")
    assert placement is window.placement
    click(qtbot, placement.back_office_button)
    office = window.back_office
    assert window.stack.currentWidget() is office
    assert sorted(office.tabs) == sorted(EXPECTED["assistant"])
    assert office.open("settings") is None and office.open("receive") is None
    click(qtbot, office.chairside_button)
    assert window.stack.currentWidget() is placement and placement.staff is not None


def test_back_office_roles_start_there_without_a_chairside_button(qtbot, window):
    assert sign_in_as(qtbot, window, "it_admin") is window.back_office
    office = window.back_office
    assert sorted(office.tabs) == ["inventory", "settings"]
    assert not office.chairside_button.isVisible()
    assert office.current is office.sections["inventory"]


def test_signing_out_of_the_back_office_stops_every_section(qtbot, window):
    section = back_office(qtbot, window, "clinic_manager", "reports")
    click(qtbot, window.back_office.sign_out_button)
    assert window.stack.currentWidget() is window.sign_in
    assert section.staff is None and window.back_office.tabs == {}
    assert window.placement.staff is None


def test_idle_signs_the_back_office_out(qtbot, window):
    back_office(qtbot, window, "inventory_manager", "inventory")
    window.countdown.seconds = 0.2  # issue 13: a countdown comes first
    window.idle.timed_out.emit()
    assert window.countdown.isVisible()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=WAIT_MS)
    assert "without activity" in window.sign_in.message.text()


def test_every_section_is_registered_once():
    keys = [spec.key for spec in SECTIONS]
    assert len(keys) == len(set(keys)) == 5
