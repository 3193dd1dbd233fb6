"""Wrong-PIN lockouts, one row per lockout key (see ``kiosk.domain.lockout``)."""

from __future__ import annotations

from sqlalchemy import delete, select

from kiosk.adapters.sqlite.orm import SignInLockoutRow
from kiosk.adapters.sqlite.repo_base import RepoBase, table
from kiosk.domain.lockout import LockoutState

_lockouts = table(SignInLockoutRow)


class LockoutRepo(RepoBase):
    def sign_in_lockout(self, key: str) -> LockoutState | None:
        with self._guard("read a sign-in lockout"):
            row = self._execute(select(_lockouts).where(_lockouts.c.key == key)).first()
        if row is None:
            return None
        return LockoutState(row.key, row.wrong, row.first_wrong_at, row.locked_until)

    def save_sign_in_lockout(self, state: LockoutState) -> None:
        row = SignInLockoutRow(key=state.key, wrong=state.wrong,
                               first_wrong_at=state.first_wrong_at,
                               locked_until=state.locked_until)
        self._upsert(row, "count a wrong PIN")

    def clear_sign_in_lockout(self, key: str) -> None:
        action = "clear a sign-in lockout"
        self._require_write(action)
        with self._guard(action):
            self._execute(delete(_lockouts).where(_lockouts.c.key == key))
        if self._orm is not None:  # a row saved earlier in this transaction is gone now
            loaded = self._orm.identity_map.get(self._orm.identity_key(SignInLockoutRow, key))
            if loaded is not None:
                self._orm.expunge(loaded)
