"""Sign in with a badge and a PIN, with a wrong-PIN lockout kept in the store.

A staff member disabled or deleted centrally (inactive after the pull) cannot sign in.

The count belongs to the person the badge names (their staff id), however the badge was
given: scanned (``STAFF-B1001``), typed in any case (``b1001``) or tapped in the name list.
A badge nobody has is answered exactly like a real one (same sentences, same count, same
lock) under a key of its own, so a made-up badge neither reveals that it is made up nor
locks anyone real. A manager (``staff:unlock``) can lift a lock at the kiosk.

The PIN hash is checked outside any transaction (it takes a while); the count is then
updated in one short write transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.domain import lockout
from kiosk.domain.errors import KioskError, PermissionDenied, staff_by_id
from kiosk.domain.lockout import LockoutPolicy, LockoutState
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission, role_label
from kiosk.domain.pins import hash_pin, verify_pin
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import find_staff
from kiosk.services.ports import Tx

NO_MATCH = "That badge and PIN do not match"
DISABLED = ("This badge is disabled in the clinic's staff list; ask a clinic manager to "
            "re-enable it centrally.")
# Checked when the badge is unknown, so an unknown badge takes as long as a known one.
_NOBODY_HASH = hash_pin("0000", b"no-such-badge---")


class SignInRefused(PermissionDenied):
    """A wrong PIN (``attempts_left`` more before the lock) or a locked badge
    (``locked_until`` set). The message is the sentence to show."""

    def __init__(self, message: str, attempts_left: int,
                 locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left
        self.locked_until = locked_until


def locked_sentence(until: datetime, timezone: str) -> str:
    """``Locked until 10:47 (clinic time); ask a manager to unlock.`` Never a minute early."""
    local = until.astimezone(ZoneInfo(timezone))
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"Locked until {local:%H:%M} (clinic time); ask a manager to unlock."


def refused_sentence(left: int) -> str:
    return f"{NO_MATCH}; {left} attempt{'s' if left != 1 else ''} left."


def _person(tx: Tx, badge: str) -> tuple[Staff | None, str]:
    """The staff member the badge names (None when nobody) and the lockout key."""
    try:
        staff = find_staff(tx, badge)
    except KioskError:
        return None, lockout.unknown_badge_key(badge)
    return staff, staff.id


def _refusal(state: LockoutState, now: datetime, timezone: str,
             policy: LockoutPolicy) -> SignInRefused:
    until = lockout.locked_until(state, now)
    if until is not None:
        return SignInRefused(locked_sentence(until, timezone), 0, until)
    left = lockout.attempts_left(state, now, policy)
    return SignInRefused(refused_sentence(left), left)


def sign_in(ctx: ServiceContext, badge: str, pin: str,
            policy: LockoutPolicy = lockout.DEFAULT_POLICY) -> Staff:
    """The staff member whose badge and PIN match. Raises ``SignInRefused`` for a wrong
    PIN (counted) or while the person is locked (not counted, PIN not checked)."""
    now, timezone = ctx.clock.now(), ctx.settings.timezone
    with ctx.store.read() as tx:
        staff, key = _person(tx, badge)
        state = tx.sign_in_lockout(key)
    if lockout.locked_until(state, now) is not None:
        assert state is not None
        raise _refusal(state, now, timezone, policy)
    stored = staff.pin_hash if staff is not None and staff.pin_hash else _NOBODY_HASH
    matches = verify_pin(pin.strip(), stored) and staff is not None and bool(staff.pin_hash)
    if matches and staff is not None and not staff.active:
        # said only to whoever knows the PIN; a wrong PIN is answered and counted as for anyone
        raise SignInRefused(DISABLED, lockout.attempts_left(state, now, policy))
    if matches and state is None:
        assert staff is not None
        return staff
    with ctx.store.write() as tx:
        state = tx.sign_in_lockout(key)  # as it is now, under the write lock
        if matches:
            tx.clear_sign_in_lockout(key)
        else:
            state = lockout.after_wrong_pin(state, key, now, policy)
            tx.save_sign_in_lockout(state)
    if matches:
        assert staff is not None
        return staff
    assert state is not None
    raise _refusal(state, now, timezone, policy)


def unlock(ctx: ServiceContext, manager_badge: str, manager_pin: str, locked_badge: str,
           policy: LockoutPolicy = lockout.DEFAULT_POLICY) -> str:
    """Lift the lock (and the count) of ``locked_badge``'s person, for a manager who signs
    with their own badge and PIN (their wrong PINs count like anyone's) and holds
    ``staff:unlock``. Returns the name of whoever was unlocked (the badge, if nobody has it)."""
    manager = sign_in(ctx, manager_badge, manager_pin, policy)
    if not has_permission(manager.role, Permission.STAFF_UNLOCK):
        raise PermissionDenied(f"{manager.name} ({role_label(manager.role)}) cannot unlock "
                               "sign-in; ask a clinic manager to scan their badge here.",
                               people=staff_by_id(manager.name, manager.id))
    with ctx.store.write() as tx:
        staff, key = _person(tx, locked_badge)
        tx.clear_sign_in_lockout(key)
    return staff.name if staff is not None else lockout.badge_key(locked_badge)
