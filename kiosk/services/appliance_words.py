"""Appliance records in words an assistant reads at a glance: "Brackets · placed 3 Oct".

The record has no arch or description field, so the type names it; the status and the date
(placement time in the clinic's zone) tell two records of one type apart. REMOVED records are
history: they are not offered for a new placement.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from kiosk.domain.model import ApplianceRecord, ApplianceStatus, ApplianceType

TYPE_WORDS = {
    ApplianceType.BRACKET: "Brackets",
    ApplianceType.BAND: "Bands",
    ApplianceType.WIRE: "Archwire",
    ApplianceType.BONDING: "Bonding",
    ApplianceType.ELASTIC: "Elastics",
    ApplianceType.ALIGNER: "Aligners",
    ApplianceType.RETAINER: "Retainer",
    ApplianceType.EXPANDER: "Expander",
    ApplianceType.ACCESSORY: "Accessory",
}


def record_words(record: ApplianceRecord, timezone: str = "UTC") -> str:
    """"Brackets · placed 3 Oct", "Archwire · ordered"; the date in the clinic's zone."""
    what = TYPE_WORDS.get(record.type, record.type.value.capitalize())
    status = record.status.value.lower()
    if record.placed_at is not None and record.status is ApplianceStatus.PLACED:
        local = record.placed_at.astimezone(ZoneInfo(timezone))
        status = f"{status} {local.day} {local:%b}"
    return f"{what} · {status}"


def offered_records(records: Iterable[ApplianceRecord]) -> tuple[ApplianceRecord, ...]:
    """The records a placement may go on: every one but the REMOVED."""
    return tuple(r for r in records if r.status is not ApplianceStatus.REMOVED)
