"""Parked carts on a real SQLite file: park, offer after reopening, resume, discard (issue 13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kiosk.bootstrap import open_demo_kiosk, open_kiosk
from kiosk.domain.barcodes import parse_scan
from kiosk.domain.errors import RuleViolation, ValidationError
from kiosk.services import chairside, parking
from kiosk.services.cart import CartLine

SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671391(10)NT2502D")


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "demo"
    open_demo_kiosk(path)
    return path


def lines(ctx, staff) -> list[CartLine]:
    out = []
    for raw in SCANS:
        line = chairside.resolve_line(ctx, staff, parse_scan(raw), (raw,))
        assert isinstance(line, CartLine)
        out.append(line)
    out[0] = replace(out[0], quantity=2, override_reason=None)
    return out


def people(ctx):
    with ctx.store.read() as tx:
        staff = tx.staff_by_badge("B1001")
        other = tx.staff_by_badge("B1002")
        patient = tx.patient_by_chart("C-10239")
        record = tx.appliances_for_patient(patient.id)[0]
    return staff, other, patient, record


def test_a_parked_cart_survives_reopening_and_resumes_whole(home):
    ctx = open_kiosk(str(home / "config.toml")).context
    at = datetime(2026, 11, 25, 16, 42, tzinfo=UTC)
    ctx = replace(ctx, clock=FixedClock(at))
    staff, other, patient, record = people(ctx)
    cart_lines = lines(ctx, staff)
    parked = parking.park(ctx, staff, cart_lines, patient=patient, record=record,
                          cause=parking.IDLE)
    assert parked is not None

    again = open_kiosk(str(home / "config.toml")).context  # a restart: a new store on the file
    [offer] = parking.offered(again)
    assert offer.id == parked.id and offer.parked_at == at
    assert (offer.parked_by, offer.patient_id, offer.appliance_id) == (staff.id, patient.id,
                                                                     record.id)
    assert parking.offer_sentence(offer, "America/Chicago") == (
        "Parked cart for Mateo Hernández, 3 items, 10:42 — parked by Zoë Álvarez")
    assert isinstance(offer.lines[0].unit_cost, Decimal | None)

    resumed = parking.resume(replace(again, clock=FixedClock(at)), other, offer.id)
    assert list(resumed.lines) == cart_lines  # every field of every line, as it was
    assert resumed.day is not None and resumed.day.patient == patient
    assert resumed.record_id == record.id
    assert parking.offered(again) == []
    with again.store.read() as tx:
        [closed] = tx.parked_carts(state=None)
    assert (closed.state, closed.closed_by, closed.closed_at) == ("RESUMED", other.id, at)
    with pytest.raises(RuleViolation):
        parking.resume(again, other, offer.id)


def test_discard_needs_a_reason_and_leaves_the_audit_record(home):
    ctx = open_kiosk(str(home / "config.toml")).context
    staff, other, patient, _record = people(ctx)
    parked = parking.park(ctx, staff, lines(ctx, staff), patient=patient)
    with pytest.raises(ValidationError):
        parking.discard(ctx, other, parked.id, "  ")
    assert [c.id for c in parking.offered(ctx)] == [parked.id]

    closed = parking.discard(ctx, other, parked.id, parking.DISCARD_REASONS[0])
    assert parking.offered(ctx) == []
    with open_kiosk(str(home / "config.toml")).context.store.read() as tx:
        [audit] = tx.parked_carts(state=None)
    assert audit == closed
    assert (audit.state, audit.parked_by, audit.closed_by, audit.discard_reason) == (
        "DISCARDED", staff.id, other.id, parking.DISCARD_REASONS[0])
    assert audit.closed_at is not None and len(audit.lines) == 2
    with pytest.raises(RuleViolation):
        parking.discard(ctx, other, parked.id, "again")


def test_an_empty_cart_is_not_parked(home):
    ctx = open_kiosk(str(home / "config.toml")).context
    staff, *_ = people(ctx)
    assert parking.park(ctx, staff, []) is None
    assert parking.offered(ctx) == []


def test_a_cart_without_a_patient_parks_and_says_so(home):
    ctx = open_kiosk(str(home / "config.toml")).context
    staff, other, *_ = people(ctx)
    parked = parking.park(ctx, staff, lines(ctx, staff)[:1])
    assert "(no patient picked), 2 items" in parking.offer_sentence(parked, "America/Chicago")
    resumed = parking.resume(ctx, other, parked.id)
    assert resumed.day is None and resumed.record_id is None
