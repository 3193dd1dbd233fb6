"""Recall follow-ups in the local store (a kiosk with no central server): one append-only
row per step in ``recall_follow_up_steps``; the rows of one follow-up, oldest first, are its
history (the ``RecallFollowUps`` port over it is ``follow_ups.SqliteRecallFollowUps``)."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.adapters.sqlite.orm import RecallFollowUpStepRow
from kiosk.adapters.sqlite.repo_base import RepoBase, table
from kiosk.domain.follow_up import FollowUpKey, FollowUpStatus, FollowUpStep
from kiosk.services.follow_up_ports import FollowUps

_steps = table(RecallFollowUpStepRow)


class FollowUpRepo(RepoBase):
    def recall_follow_ups(self, recall_number: str) -> FollowUps:
        query = (select(_steps).where(_steps.c.recall_number == recall_number)
                 .order_by(_steps.c.at, _steps.c.id))
        found: FollowUps = {}
        with self._guard("read the recall's follow-ups"):
            for row in self._execute(query):
                key = FollowUpKey(row.recall_number, row.item_id, row.lot_number, row.patient_id)
                step = FollowUpStep(FollowUpStatus(row.status), row.by, row.by_name, row.at,
                                    row.note)
                found[key] = (*found.get(key, ()), step)
        return found

    def add_recall_follow_up_step(self, key: FollowUpKey, step: FollowUpStep) -> None:
        self._insert(_steps.insert(), {
            "recall_number": key.recall_number, "item_id": key.item_id,
            "lot_number": key.lot_number, "patient_id": key.patient_id,
            "status": step.status.value, "by": step.by, "by_name": step.by_name, "at": step.at,
            "note": step.note}, "save the follow-up step")
