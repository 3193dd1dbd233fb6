"""Sign-in and its wrong-PIN lockout, on the in-memory store: keyed to the person, told in
attempts left and a clinic-time unlock, lifted by a manager."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clinic_data import ID
from fake_store import FakeStore

from kiosk.domain import lockout
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.lockout import LockoutPolicy, after_wrong_pin, attempts_left, locked_until
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Role, role_label
from kiosk.domain.pins import hash_pin
from kiosk.services import sign_in as signing
from kiosk.services.context import ServiceContext, Settings
from kiosk.services.ports import KioskIdentity
from kiosk.services.sign_in import SignInRefused

START = datetime(2026, 3, 2, 14, 0, 30, tzinfo=UTC)
ANA, MIA = ID(11), ID(12)


class Clock:
    def __init__(self) -> None:
        self.at = START

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(clock) -> ServiceContext:
    store = FakeStore(KioskIdentity(ID(900), ID(1), "chair-1"))
    with store.write() as tx:
        tx.save_staff(Staff(ANA, "Ana Assistant", Role.ASSISTANT, "B1001", hash_pin("4321")))
        tx.save_staff(Staff(MIA, "Mia Manager", Role.CLINIC_MANAGER, "B1008", hash_pin("8888")))
        tx.save_staff(Staff(ID(13), "Otto Ortho", Role.ORTHODONTIST, "B1005", hash_pin("5555")))
    return ServiceContext(store=store, clock=clock, settings=Settings(timezone="America/Chicago"))


def refused(ctx, badge: str, pin: str = "0000") -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        signing.sign_in(ctx, badge, pin)
    return caught.value


def test_each_wrong_pin_says_how_many_attempts_are_left(ctx):
    assert str(refused(ctx, "B1001")) == "That badge and PIN do not match; 4 attempts left."
    for left in (3, 2):
        assert refused(ctx, "B1001").attempts_left == left
    assert str(refused(ctx, "B1001")) == "That badge and PIN do not match; 1 attempt left."


def test_the_count_belongs_to_the_person_however_the_badge_is_given(ctx, clock):
    for badge in ("B1001", "b1001", "STAFF-B1001", "staff-b1001", ANA):
        last = refused(ctx, badge)
        clock.at += timedelta(seconds=10)
    # the fifth wrong PIN at 14:01:10 UTC locks Ana until 14:06:10 UTC = 08:06:10 in Chicago
    assert last.locked_until == START + timedelta(seconds=40, minutes=5)
    assert str(last) == "Locked until 08:07 (clinic time); ask a manager to unlock."
    with ctx.store.read() as tx:
        assert tx.sign_in_lockout(ANA).locked_until == last.locked_until


def test_while_locked_even_the_right_pin_waits_and_the_lock_does_not_grow(ctx, clock):
    for _ in range(5):
        until = refused(ctx, "B1001").locked_until
    clock.at += timedelta(minutes=4)
    assert refused(ctx, "b1001", "4321").locked_until == until
    assert refused(ctx, "b1001", "0000").locked_until == until
    clock.at = until
    assert signing.sign_in(ctx, "B1001", "4321").id == ANA
    with ctx.store.read() as tx:
        assert tx.sign_in_lockout(ANA) is None  # a right PIN starts the count afresh


def test_a_right_pin_clears_the_count(ctx):
    refused(ctx, "B1001")
    refused(ctx, "B1001")
    assert signing.sign_in(ctx, "STAFF-b1001", " 4321 ").id == ANA
    assert refused(ctx, "B1001").attempts_left == 4


def test_an_unknown_badge_is_answered_like_a_real_one_and_locks_nobody_real(ctx):
    answers = [str(refused(ctx, "B9999")) for _ in range(5)]
    real = [str(refused(ctx, "B1001")) for _ in range(4)]
    assert answers[:4] == real
    assert answers[4].startswith("Locked until")
    assert signing.sign_in(ctx, "B1008", "8888").id == MIA  # nobody real was locked
    with ctx.store.read() as tx:
        assert tx.sign_in_lockout(ANA).locked_until is None
        assert tx.sign_in_lockout(lockout.unknown_badge_key("b9999")).locked_until is not None


def test_a_clinic_manager_unlocks_a_locked_colleague(ctx):
    for _ in range(5):
        refused(ctx, "B1001")
    assert signing.unlock(ctx, "STAFF-B1008", "8888", "staff-b1001") == "Ana Assistant"
    assert signing.sign_in(ctx, "B1001", "4321").id == ANA


def test_only_staff_unlock_holders_unlock_and_a_wrong_manager_pin_counts(ctx):
    for _ in range(5):
        refused(ctx, "B1001")
    cannot = r"Otto Ortho \(Orthodontist\) cannot unlock.*ask a clinic manager"
    with pytest.raises(PermissionDenied, match=cannot):
        signing.unlock(ctx, "B1005", "5555", "B1001")
    with pytest.raises(SignInRefused, match="4 attempts left"):
        signing.unlock(ctx, "B1008", "1111", "B1001")
    assert refused(ctx, "B1001", "4321").locked_until is not None  # still locked


def test_wrong_pins_spread_over_more_than_the_window_never_lock():
    state, policy = None, LockoutPolicy()
    for minute in range(0, 50, 3):  # one every 3 minutes: never 5 within 10 minutes
        state = after_wrong_pin(state, ANA, START + timedelta(minutes=minute), policy)
        assert state.locked_until is None
    state = None
    for second in range(5):
        state = after_wrong_pin(state, ANA, START + timedelta(seconds=second), policy)
    assert state.locked_until == START + timedelta(seconds=4, minutes=5)
    assert locked_until(state, START + timedelta(minutes=4)) == state.locked_until
    assert locked_until(state, state.locked_until) is None
    assert attempts_left(state, state.locked_until) == 5


def test_roles_read_in_words():
    assert role_label(Role.CLINIC_MANAGER) == "Clinic manager"
    assert role_label(Role.IT_ADMIN) == "IT administrator"
    assert all(role_label(r)[0].isupper() and "_" not in role_label(r) for r in Role)
