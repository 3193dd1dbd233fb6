"""Wrong-PIN lockout rules: no Qt, no store; the caller passes the time and keeps the state.

The state is keyed to the person (their staff id), not to the text typed: ``STAFF-B1001``,
``b1001`` and the name tapped in the list are one person with one count. A badge nobody has
gets a count of its own (``unknown_badge_key``) so the kiosk answers a made-up badge exactly
as it answers a real one, without that count ever locking a real person.

After ``MAX_WRONG`` wrong PINs within ``WINDOW`` of the first of them, the person is locked
for ``LOCK``; a right PIN, a manager unlock or the end of the lock starts the count afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

MAX_WRONG = 5
WINDOW = timedelta(minutes=10)
LOCK = timedelta(minutes=5)
STAFF_PREFIX = "STAFF-"
UNKNOWN_PREFIX = "badge:"


def badge_key(badge: str) -> str:
    """One key per badge whether it was scanned (``STAFF-B1001``) or typed (``b1001``)."""
    text = badge.strip().upper()
    return text.removeprefix(STAFF_PREFIX)


def unknown_badge_key(badge: str) -> str:
    """The lockout key of a badge no staff member has (never a staff id: those are hex)."""
    return UNKNOWN_PREFIX + badge_key(badge)


@dataclass(frozen=True)
class LockoutPolicy:
    max_wrong: int = MAX_WRONG
    window: timedelta = WINDOW
    lock: timedelta = LOCK


DEFAULT_POLICY = LockoutPolicy()


@dataclass(frozen=True)
class LockoutState:
    """Wrong PINs counted for one key since ``first_wrong_at``; ``locked_until`` once locked."""

    key: str
    wrong: int
    first_wrong_at: datetime
    locked_until: datetime | None = None


def locked_until(state: LockoutState | None, now: datetime) -> datetime | None:
    """When the key unlocks, or None when it is not locked at ``now``."""
    if state is None or state.locked_until is None or now >= state.locked_until:
        return None
    return state.locked_until


def _current(state: LockoutState | None, now: datetime,
             policy: LockoutPolicy) -> LockoutState | None:
    """The state as it stands at ``now``: None once a lock is over or the window has passed."""
    if state is None:
        return None
    if state.locked_until is not None:
        return state if now < state.locked_until else None
    return state if now - state.first_wrong_at <= policy.window else None


def after_wrong_pin(state: LockoutState | None, key: str, now: datetime,
                    policy: LockoutPolicy = DEFAULT_POLICY) -> LockoutState:
    """The state after one more wrong PIN for ``key``; locked when it reaches the limit."""
    current = _current(state, now, policy)
    if current is not None and current.locked_until is not None:
        return current  # already locked: a wrong PIN while locked does not extend it
    if current is None:
        current = LockoutState(key, 0, now)
    counted = replace(current, wrong=current.wrong + 1)
    if counted.wrong >= policy.max_wrong:
        return replace(counted, locked_until=now + policy.lock)
    return counted


def attempts_left(state: LockoutState | None, now: datetime,
                  policy: LockoutPolicy = DEFAULT_POLICY) -> int:
    """How many more wrong PINs before the lock (0 when locked)."""
    current = _current(state, now, policy)
    if current is None:
        return policy.max_wrong
    if current.locked_until is not None:
        return 0
    return max(policy.max_wrong - current.wrong, 0)
