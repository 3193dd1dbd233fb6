"""The port where a recall's per-patient follow-ups are kept.

With a central server the clinic's follow-ups are central (every kiosk of the clinic sees the
same statuses); a kiosk with no server keeps them in its own store. Implementations keep
every step (the history), add a step only when the follow-up is still at the status the
caller saw (``expected``), and write a step whole or not at all. The central one raises
``CentralUnavailable`` / ``CentralRefused`` (nothing written) when the server does not answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from kiosk.domain.follow_up import FollowUpKey, FollowUpStatus, FollowUpStep

FollowUps = dict[FollowUpKey, tuple[FollowUpStep, ...]]


class StepConflict(Exception):
    """The follow-up moved on meanwhile (another kiosk took the step): its steps now."""

    def __init__(self, steps: tuple[FollowUpStep, ...]) -> None:
        super().__init__("the follow-up changed meanwhile")
        self.steps = steps


class RecallFollowUps(ABC):
    """The clinic's recall follow-ups (thread-safe: each call is its own transaction)."""

    @abstractmethod
    def follow_ups(self, recall_number: str) -> FollowUps:
        """Every follow-up of the recall with at least one step, steps oldest first."""

    @abstractmethod
    def add_step(self, key: FollowUpKey, expected: FollowUpStatus, step: FollowUpStep) -> None:
        """Append ``step`` when the follow-up's status is ``expected``; else ``StepConflict``."""
