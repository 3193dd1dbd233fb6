"""``SqliteRecallFollowUps``: the ``RecallFollowUps`` port of a kiosk without a central server,
over the local store's ``recall_follow_up_steps`` (``follow_up_repo``)."""

from __future__ import annotations

from kiosk.adapters.sqlite.store import SqliteStore
from kiosk.domain.follow_up import FollowUpKey, FollowUpStatus, FollowUpStep, current_status
from kiosk.services.follow_up_ports import FollowUps, RecallFollowUps, StepConflict


class SqliteRecallFollowUps(RecallFollowUps):
    """The follow-ups of a kiosk without a central server. A step is checked and added in
    one ``BEGIN IMMEDIATE`` transaction, so two screens of this kiosk cannot both take it."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def follow_ups(self, recall_number: str) -> FollowUps:
        with self.store.read() as tx:
            return tx.recall_follow_ups(recall_number)

    def add_step(self, key: FollowUpKey, expected: FollowUpStatus, step: FollowUpStep) -> None:
        with self.store.write() as tx:
            steps = tx.recall_follow_ups(key.recall_number).get(key, ())
            if current_status(steps) is not expected:
                raise StepConflict(steps)
            tx.add_recall_follow_up_step(key, step)
