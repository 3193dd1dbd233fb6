"""The clinic ledger port: usages recorded at every kiosk of the clinic, read centrally.

Reports, the cost sheet and the recall workbench read the whole clinic through it
(``services/clinic_reads.py`` merges this kiosk's not-yet-pushed events in). Implementations
filter every query by the clinic, page through results, give up within a few seconds when
the server does not answer, and raise ``CentralUnavailable`` (retry later) or
``CentralRefused`` (a person must fix something), like the central store's port.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.model import Usage
from kiosk.services.ports import UsageFilter


@dataclass(frozen=True)
class CentralVoid:
    """How a usage was voided centrally (by whichever kiosk recorded the void)."""

    voided_at: datetime
    voided_by: str | None
    reason: str


@dataclass(frozen=True)
class LedgerUsage:
    usage: Usage
    void: CentralVoid | None = None


@dataclass(frozen=True)
class StationSeen:
    """One workstation of the clinic as its last heartbeat left it."""

    kiosk_id: str
    workstation_id: str
    last_seen: datetime | None
    last_sync: datetime | None
    queued: int
    quarantined: int
    version: str
    last_error: str | None


@dataclass(frozen=True)
class ClinicSnapshot:
    """One read of the clinic: its usages in a filter, and its workstations."""

    usages: list[LedgerUsage]
    stations: list[StationSeen]


class ClinicLedger(ABC):
    """The clinic's central ledger (ApplianceInventoryLink) and workstation heartbeats."""

    @abstractmethod
    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        """Every usage of the clinic in the filter, oldest first, voided ones included (the
        filter's dates are the clinic's calendar days in ``timezone``), and the clinic's
        workstations from their heartbeats."""

    @abstractmethod
    def stations(self) -> list[StationSeen]:
        """The clinic's workstations as their last heartbeats left them (the fleet view)."""
