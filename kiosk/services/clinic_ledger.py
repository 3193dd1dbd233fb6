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
from decimal import Decimal

from kiosk.domain.model import CostCategory, Item, Usage
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


@dataclass(frozen=True)
class StockSnapshot:
    """The clinic's items with their central stock, and its workstations."""

    items: list[Item]
    stations: list[StationSeen]


@dataclass(frozen=True)
class CentralCostSummary:
    """One SupplyCostSummary document as the server keeps it (what every push adds to)."""

    patient_id: str
    treatment_plan_id: str | None
    costs: dict[CostCategory, Decimal]  # every category; a missing field counts as 0
    total: Decimal  # the document's own totalCost, not the sum of its fields


class ClinicLedger(ABC):
    """The clinic's central ledger (ApplianceInventoryLink) and workstation heartbeats."""

    @abstractmethod
    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        """Every usage of the clinic in the filter, oldest first, voided ones included (the
        filter's dates are the clinic's calendar days in ``timezone``), and the clinic's
        workstations from their heartbeats."""

    @abstractmethod
    def cost_summaries(self, patient_id: str | None = None) -> list[CentralCostSummary]:
        """The clinic's SupplyCostSummary documents (one patient's when ``patient_id``), to
        cross-check the costs computed from the ledger."""

    @abstractmethod
    def stock(self) -> StockSnapshot:
        """Every InventoryItem of the clinic as the server has it now (stock every kiosk
        pushed to), validated like a pull, and the clinic's workstations."""

    @abstractmethod
    def stations(self) -> list[StationSeen]:
        """The clinic's workstations as their last heartbeats left them (the fleet view)."""
