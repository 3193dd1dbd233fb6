"""A recall's follow-through with each affected patient: to contact → contacted → assessed.

One follow-up per (recall number, item, lot, patient); each step records who took it, when
and an optional note, and the steps are kept in order (the history). A patient nobody has
contacted yet has no steps: their status is TO_CONTACT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.errors import ValidationError
from kiosk.domain.values import one_line

NOTE_LEN = 500


class FollowUpStatus(StrEnum):
    TO_CONTACT = "to contact"
    CONTACTED = "contacted"
    ASSESSED = "assessed"


NEXT_STATUS: dict[FollowUpStatus, FollowUpStatus] = {
    FollowUpStatus.TO_CONTACT: FollowUpStatus.CONTACTED,
    FollowUpStatus.CONTACTED: FollowUpStatus.ASSESSED,
}


def parse_status(text: str) -> FollowUpStatus:
    """``contacted`` or ``assessed`` (a step taken; "to contact" is where every patient
    starts), case and surrounding blanks ignored."""
    cleaned = " ".join(text.replace("_", " ").replace("-", " ").lower().split())
    for status in (FollowUpStatus.CONTACTED, FollowUpStatus.ASSESSED):
        if cleaned == status.value:
            return status
    raise ValidationError(f"Unknown follow-up status {text[:40]!r}; use contacted or assessed.")


def clean_note(text: str | None) -> str:
    """The note as one line of at most ``NOTE_LEN`` characters ("" for none)."""
    note = one_line(text or "")
    if len(note) > NOTE_LEN:
        raise ValidationError(f"The note is {len(note)} characters long; keep it to "
                              f"{NOTE_LEN}.")
    return note


@dataclass(frozen=True)
class FollowUpKey:
    recall_number: str
    item_id: str
    lot_number: str
    patient_id: str


@dataclass(frozen=True)
class FollowUpStep:
    status: FollowUpStatus
    by: str  # staff id
    by_name: str
    at: datetime  # UTC
    note: str = ""


def current_status(steps: tuple[FollowUpStep, ...]) -> FollowUpStatus:
    return steps[-1].status if steps else FollowUpStatus.TO_CONTACT


def check_next(steps: tuple[FollowUpStep, ...], wanted: FollowUpStatus) -> FollowUpStatus:
    """The status the follow-up is in, when ``wanted`` is its next step; else one sentence."""
    status = current_status(steps)
    if NEXT_STATUS.get(status) is wanted:
        return status
    if status is wanted:
        last = steps[-1]
        raise ValidationError(f"This patient was already marked {wanted.value} by "
                              f"{last.by_name or last.by}; nothing was changed.")
    following = NEXT_STATUS.get(status)
    then = f"the next step is {following.value}" if following else "the follow-up is complete"
    raise ValidationError(f"This patient is {status.value}, so {then}; nothing was changed.")
