"""The claim on the kiosk id and renumbering unsent events (SequencePort, issue 14).

The claim lives in ``sync_cursors`` (it is sync state, like the pull cursors): the token this
data directory syncs under and the place (host and file) it recorded it at. A file that finds
itself at another place was copied or moved: its token no longer counts.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from kiosk.adapters.sqlite.events_repo import ACKNOWLEDGED, PENDING, QUARANTINED, EventsRepo
from kiosk.adapters.sqlite.orm import (
    AdjustmentRow,
    Base,
    KioskIdentityRow,
    OutboxRow,
    UsageRow,
    UsageVoidRow,
)
from kiosk.adapters.sqlite.people_repo import IDENTITY_ROW
from kiosk.services.payloads import STOCK_ADJUSTED, USAGE_RECORDED, USAGE_VOIDED
from kiosk.services.ports import LocalClaim, SequenceState

CLAIM_CURSOR = "kiosk claim"
EVENT_ROWS: dict[str, type[Base]] = {USAGE_RECORDED: UsageRow, USAGE_VOIDED: UsageVoidRow,
                                     STOCK_ADJUSTED: AdjustmentRow}
UNSENT = (PENDING, QUARANTINED)


class SequenceRepo(EventsRepo):
    def place(self) -> str:
        return f"{socket.gethostname()}:{self._path.resolve()}"

    def kiosk_claim(self) -> LocalClaim:
        stored = self._claim()
        here = self.place()
        token = stored.get("token") if stored.get("place") == here else None
        return LocalClaim(token=token if isinstance(token, str) else None, place=here,
                          takeover=stored.get("takeover") is True)

    def keep_kiosk_claim(self, token: str | None, takeover: bool) -> None:
        value: dict[str, Any] = {"takeover": takeover}
        if token is not None:
            value |= {"token": token, "place": self.place()}
        self.set_sync_cursor(CLAIM_CURSOR, json.dumps(value, sort_keys=True))

    def _claim(self) -> dict[str, Any]:
        try:
            value = json.loads(self.sync_cursor(CLAIM_CURSOR) or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def sequence_state(self) -> SequenceState:
        with self._guard("read the kiosk sequence"):
            last = self._execute(select(KioskIdentityRow.last_seq)).scalar_one_or_none()
            lowest = self._execute(select(func.min(OutboxRow.kiosk_seq))
                                   .where(OutboxRow.state.in_(UNSENT))).scalar_one_or_none()
        return SequenceState(last_seq=int(last or 0),
                             lowest_unsent=None if lowest is None else int(lowest))

    def resequence(self, event_ids: Iterable[str], above: int, recorded_after: int) -> int:
        action = "renumber the events not yet synced"
        self._require_write(action)
        wanted = list(event_ids)
        with self._guard(action):
            newer = self._execute(
                select(OutboxRow.event_id).where(OutboxRow.state.in_(UNSENT))
                .where(OutboxRow.kiosk_seq > recorded_after).order_by(OutboxRow.kiosk_seq)
            ).scalars().all()
            moves = wanted + [e for e in newer if e not in set(wanted)]
            last = self._execute(select(KioskIdentityRow.last_seq)).scalar_one()
            seq = max(above, int(last))
            for event_id in moves:
                seq += 1
                self._move(event_id, seq, None)
            self._set_last_seq(seq)
        return seq

    def requeue(self, event_ids: Iterable[str]) -> list[str]:
        action = "send quarantined events again"
        self._require_write(action)
        ids = list(event_ids)
        with self._guard(action):
            found = self._execute(select(OutboxRow.event_id).where(OutboxRow.event_id.in_(ids))
                                  .where(OutboxRow.state == QUARANTINED)).scalars().all()
            self._execute(update(OutboxRow).where(OutboxRow.event_id.in_(found)).values(
                state=PENDING, next_attempt_at=None))
        return list(found)

    def replace_kiosk_id(self, kiosk_id: str, applied: Iterable[str], at: datetime) -> int:
        action = "give this kiosk a new kiosk id"
        self._require_write(action)
        done = set(applied)
        with self._guard(action):
            unsent = self._execute(select(OutboxRow.event_id).where(OutboxRow.state.in_(UNSENT))
                                   .order_by(OutboxRow.kiosk_seq)).scalars().all()
            self._execute(update(OutboxRow).where(OutboxRow.event_id.in_(done & set(unsent)))
                          .values(state=ACKNOWLEDGED, acknowledged_at=at, last_error=None,
                                  next_attempt_at=None))
            seq = int(self._execute(select(KioskIdentityRow.last_seq)).scalar_one())
            moving = [e for e in unsent if e not in done]
            for event_id in moving:
                seq += 1
                self._move(event_id, seq, kiosk_id)
            self._execute(update(KioskIdentityRow).where(KioskIdentityRow.id == IDENTITY_ROW)
                          .values(kiosk_id=kiosk_id))
            self._set_last_seq(seq)
        self._memo.pop(("identity",), None)
        self.keep_kiosk_claim(None, takeover=False)
        return len(moving)

    def _move(self, event_id: str, seq: int, kiosk_id: str | None) -> None:
        """One unsent event to sequence ``seq`` (and ``kiosk_id``): its outbox row, its payload
        and its ledger row; a quarantined one is pending again."""
        row = self._execute(select(OutboxRow.event_type, OutboxRow.payload)
                            .where(OutboxRow.event_id == event_id)).one()
        payload = json.loads(row.payload)
        payload["kioskSeq"] = seq
        if kiosk_id is not None:
            payload["kioskId"] = kiosk_id
        self._execute(update(OutboxRow).where(OutboxRow.event_id == event_id).values(
            kiosk_seq=seq, payload=json.dumps(payload, sort_keys=True), state=PENDING))
        ledger = EVENT_ROWS.get(row.event_type)
        if ledger is not None:
            values: dict[str, Any] = {"kiosk_seq": seq}
            if kiosk_id is not None:
                values["kiosk_id"] = kiosk_id
            self._execute(update(ledger).where(ledger.id == event_id)  # type: ignore[attr-defined]
                          .values(**values))
            self._expire(ledger, event_id)

    def _set_last_seq(self, seq: int) -> None:
        self._execute(update(KioskIdentityRow).where(KioskIdentityRow.id == IDENTITY_ROW)
                      .values(last_seq=seq))
        self._expire(KioskIdentityRow, IDENTITY_ROW)

