"""Wrong-PIN lockout, kept in memory: no Qt, no store, the caller passes the time."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

MAX_WRONG = 5
WINDOW = timedelta(minutes=10)
LOCK = timedelta(minutes=5)
STAFF_PREFIX = "STAFF-"


def badge_key(badge: str) -> str:
    """One key per badge whether it was scanned (``STAFF-B1001``) or typed (``b1001``)."""
    text = badge.strip().upper()
    return text.removeprefix(STAFF_PREFIX)


class PinLockout:
    """After ``MAX_WRONG`` wrong PINs for one badge within ``WINDOW``, that badge is locked
    for ``LOCK``. Not thread-safe: the sign-in screen uses it on the GUI thread only."""

    def __init__(self, max_wrong: int = MAX_WRONG, window: timedelta = WINDOW,
                 lock: timedelta = LOCK) -> None:
        self._max_wrong, self._window, self._lock = max_wrong, window, lock
        self._wrong: dict[str, deque[datetime]] = {}
        self._locked_until: dict[str, datetime] = {}

    def locked_until(self, badge: str, now: datetime) -> datetime | None:
        """When the badge unlocks, or None when it is not locked now."""
        key = badge_key(badge)
        until = self._locked_until.get(key)
        if until is not None and now >= until:
            del self._locked_until[key]
            return None
        return until

    def record_wrong(self, badge: str, now: datetime) -> datetime | None:
        """Note a wrong PIN; returns the unlock time when this one locked the badge."""
        key = badge_key(badge)
        recent = self._wrong.setdefault(key, deque())
        recent.append(now)
        while recent and now - recent[0] > self._window:
            recent.popleft()
        if len(recent) >= self._max_wrong:
            recent.clear()
            self._locked_until[key] = now + self._lock
            return self._locked_until[key]
        return None

    def record_success(self, badge: str) -> None:
        self._wrong.pop(badge_key(badge), None)
