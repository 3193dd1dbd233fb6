"""Recall follow-through (issue 16 item 4): each affected patient of a recall goes to contact →
contacted → assessed, one step at a time, each with who, when and a note; the recall
workbench's permissions; a server that cannot be reached saves nothing and says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from clinic_data import ID, gs1

from kiosk.domain.errors import (
    CentralUnavailable,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from kiosk.domain.follow_up import FollowUpKey, FollowUpStatus, FollowUpStep, parse_status
from kiosk.domain.model import LotStatus
from kiosk.services.corrections import void_usage
from kiosk.services.follow_up_ports import FollowUps, RecallFollowUps, StepConflict
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.recall_follow_up import find_follow_up, follow_up_list, record_step

RECALL = "Z-0101-2027"
C, A = FollowUpStatus.CONTACTED, FollowUpStatus.ASSESSED


class MemoryFollowUps(RecallFollowUps):
    """The port's contract in memory; ``down`` makes it behave like an unreachable server."""

    def __init__(self) -> None:
        self.steps: FollowUps = {}
        self.down = False

    def follow_ups(self, recall_number: str) -> FollowUps:
        if self.down:
            raise CentralUnavailable("The central server cannot be reached.")
        return {k: v for k, v in self.steps.items() if k.recall_number == recall_number}

    def add_step(self, key: FollowUpKey, expected: FollowUpStatus, step: FollowUpStep) -> None:
        if self.down:
            raise CentralUnavailable("The central server cannot be reached.")
        have = self.steps.get(key, ())
        if (have[-1].status if have else FollowUpStatus.TO_CONTACT) is not expected:
            raise StepConflict(have)
        self.steps[key] = (*have, step)


@pytest.fixture
def recalled(clinic):
    """Lot BR-A went to C-1 (twice) and C-2 (voided), then was recalled as RECALL."""
    def place(chart):
        return deduct_for_appliance(clinic.ctx, "B1", PlaceSupplies(
            chart, "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], 1))[0]
    place("C-1")
    place("C-1")
    void_usage(clinic.ctx, "B1", place("C-2").id, "wrong patient")
    with clinic.store.write() as tx:
        lot = tx.lot_by_number(ID(51), "BR-A")
        tx.save_lot(replace(lot, status=LotStatus.RECALLED, recall_notice=RECALL))
    return clinic


def test_each_affected_patient_starts_to_contact_and_is_listed_once(recalled):
    listing = follow_up_list(recalled.ctx, MemoryFollowUps(), "B3", RECALL)
    assert [(p.patient.chart_number, p.sku, p.key.lot_number, p.status, p.next_status)
            for p in listing.patients] == [("C-1", "BRK-U1", "BR-A", FollowUpStatus.TO_CONTACT,
                                            C)]  # the voided patient is not affected
    assert listing.warning is None and listing.statuses_error is None


def test_steps_go_in_order_with_who_when_and_note_and_keep_their_history(recalled):
    follow_ups = MemoryFollowUps()
    [patient] = follow_up_list(recalled.ctx, follow_ups, "B3", RECALL).patients
    with pytest.raises(ValidationError, match="to contact, so the next step is contacted"):
        record_step(recalled.ctx, follow_ups, "B3", patient.key, A)
    record_step(recalled.ctx, follow_ups, "B3", patient.key, C, note="Left a\nvoicemail")
    recalled.clock.at += timedelta(hours=2)
    record_step(recalled.ctx, follow_ups, "B2", patient.key, A, note="Brackets intact")
    with pytest.raises(ValidationError, match="already marked assessed by Otto Ortho"):
        record_step(recalled.ctx, follow_ups, "B3", patient.key, A)
    [done] = follow_up_list(recalled.ctx, follow_ups, "B3", RECALL).patients
    assert done.status is A and done.next_status is None
    assert [(s.status, s.by_name, s.note) for s in done.steps] == [
        (C, "Ines Inventory", "Left a voicemail"), (A, "Otto Ortho", "Brackets intact")]
    assert done.steps[1].at - done.steps[0].at == timedelta(hours=2)
    assert done.as_json()["history"][0]["status"] == "contacted"


def test_the_workbench_permissions_are_needed(recalled):
    follow_ups = MemoryFollowUps()
    with pytest.raises(PermissionDenied, match="inventory:adjust"):
        follow_up_list(recalled.ctx, follow_ups, "B1", RECALL)  # an assistant
    with pytest.raises(PermissionDenied, match="appliance:read"):
        follow_up_list(recalled.ctx, follow_ups, "B4", RECALL)  # IT
    key = FollowUpKey(RECALL, ID(51), "BR-A", ID(21))
    with pytest.raises(PermissionDenied):
        record_step(recalled.ctx, follow_ups, "B1", key, C)
    assert follow_ups.steps == {}


def test_an_unreachable_server_saves_nothing_and_says_what_to_do(recalled):
    follow_ups = MemoryFollowUps()
    [patient] = follow_up_list(recalled.ctx, follow_ups, "B3", RECALL).patients
    follow_ups.down = True
    with pytest.raises(CentralUnavailable,
                       match=r"^The follow-up step was not saved: .* try again when"):
        record_step(recalled.ctx, follow_ups, "B3", patient.key, C)
    listing = follow_up_list(recalled.ctx, follow_ups, "B3", RECALL)
    assert listing.patients[0].status is None  # unknown, not "to contact"
    assert listing.statuses_error.startswith("Follow-up statuses could not be read")
    follow_ups.down = False
    assert follow_ups.steps == {}


def test_a_step_taken_meanwhile_elsewhere_is_named(recalled):
    follow_ups = MemoryFollowUps()
    [patient] = follow_up_list(recalled.ctx, follow_ups, "B3", RECALL).patients

    class Racing(MemoryFollowUps):
        def add_step(self, key, expected, step):  # another kiosk got there first
            follow_ups.add_step(key, expected, replace(step, by_name="Otto Ortho"))
            follow_ups.add_step(key, expected, step)

        def follow_ups(self, recall_number):
            return follow_ups.follow_ups(recall_number)

    with pytest.raises(ValidationError, match="already marked contacted by Otto Ortho"):
        record_step(recalled.ctx, Racing(), "B3", patient.key, C)
    assert len(follow_ups.steps[patient.key]) == 1


def test_the_cli_finds_a_patient_by_chart_and_refuses_strangers_and_bad_input(recalled):
    follow_ups = MemoryFollowUps()
    found = find_follow_up(recalled.ctx, follow_ups, "B3", RECALL, "C-1")
    assert found.key == FollowUpKey(RECALL, ID(51), "BR-A", ID(21))
    with pytest.raises(NotFound, match="did not receive a lot of recall"):
        find_follow_up(recalled.ctx, follow_ups, "B3", RECALL, "C-2")
    with pytest.raises(NotFound, match="No lot in the catalog carries the recall notice"):
        follow_up_list(recalled.ctx, follow_ups, "B3", "Z-9999")
    with pytest.raises(ValidationError, match="keep it to 500"):
        record_step(recalled.ctx, follow_ups, "B3", found.key, C, note="x" * 501)
    assert parse_status(" Contacted ") is C and parse_status("ASSESSED") is A
    with pytest.raises(ValidationError, match="use contacted or assessed"):
        parse_status("to contact")
