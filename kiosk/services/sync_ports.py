"""Ports of the central store, as the sync and audit use cases see it.

Implementations raise ``CentralUnavailable`` for anything worth retrying (connection refused,
timeouts, server selection, TransientTransactionError) and ``CentralRefused`` for what a person
must fix (authentication, authorisation, a wrong database or configuration).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.model import ApplianceRecord, Item, Lot, Patient, Staff, Vendor
from kiosk.services.ports import OutboxEvent

PULL_ORDER = ("Vendor", "InventoryItem", "InventoryLot", "Staff", "Patient", "ApplianceRecord")


@dataclass(frozen=True)
class PushOutcome:
    """What one batch did: applied now or earlier (acknowledged) or refused (quarantined)."""

    acknowledged: list[str] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)  # event id -> reason sentence


@dataclass(frozen=True)
class SkippedRecord:
    """A central document the kiosk could not read (a float price, a wrong type, a 3 MB
    name): passed over, so it is never frozen into a usage and never holds the others."""

    collection: str
    record_id: str
    rev: int | None
    reason: str

    @property
    def sentence(self) -> str:
        return (f"{self.collection} {self.record_id} (rev {self.rev}) was skipped: "
                f"{self.reason}")


@dataclass(frozen=True)
class PulledPage:
    """Documents of one collection with rev > the cursor, oldest rev first."""

    collection: str
    records: list[Vendor | Item | Lot | Staff | Patient | ApplianceRecord]
    last_rev: int | None  # None when the page is empty (the skipped documents count too)
    skipped: tuple[SkippedRecord, ...] = ()


@dataclass(frozen=True)
class WorkstationStatus:
    kiosk_id: str
    workstation_id: str
    version: str
    queue_depth: int
    quarantined: int
    last_sync: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class KioskClaim:
    """Who syncs under a kiosk id: one data directory's token, where it runs, and its name."""

    token: str
    place: str
    workstation_id: str


@dataclass(frozen=True)
class CentralSequences:
    """What the server holds of this kiosk's sequence: its highest kioskSeq, which event
    holds each of the asked sequences, and which of the asked event ids it has applied."""

    highest: int
    held: dict[int, str] = field(default_factory=dict)  # kioskSeq -> event id
    applied: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Drift:
    """One figure the ledger disagrees with."""

    what: str  # e.g. "InventoryItem BRK-MBT-U1R quantityOnHand"
    stored: str
    from_ledger: str


class CentralStore(ABC):
    """The clinic's central MongoDB, scoped to one clinic."""

    @abstractmethod
    def push(self, events: Sequence[OutboxEvent]) -> PushOutcome:
        """Apply a batch of this kiosk's events, oldest first, in one transaction."""

    @abstractmethod
    def pull(self, collection: str, after_rev: int, limit: int) -> PulledPage: ...

    @abstractmethod
    def schema_version(self) -> int:
        """Bumped centrally when documents change shape; a change means a full resync."""

    def active_staff_ids(self) -> frozenset[str] | None:
        """The ids of every staff member the clinic still lets sign in and act, whatever their
        revision; the pull disables everyone else locally. None: this store cannot list its
        staff, so nobody is disabled for being absent."""
        return None

    @abstractmethod
    def heartbeat(self, status: WorkstationStatus) -> None: ...

    @abstractmethod
    def audit(self) -> list[Drift]:
        """Recompute stock and cost summaries from the ledger; every difference found."""

    # A store that keeps no receipts or claims (a test double) accepts every kiosk as it is.
    def claim_kiosk(self, claim: KioskClaim, takeover: bool) -> KioskClaim | None:
        """Hold this kiosk id for ``claim`` (``takeover``: whoever held it before); returns
        None when it is ours, else the claim of the data directory that holds it."""
        return None

    def highest_seq(self) -> int | None:
        """This kiosk's highest kioskSeq centrally (0: none yet; None: not known)."""
        return None

    def sequences(self, seqs: Sequence[int], event_ids: Sequence[str]) -> CentralSequences:
        """Who holds ``seqs`` of this kiosk centrally, and which of ``event_ids`` are applied
        (by any kiosk of the clinic)."""
        return CentralSequences(highest=0)

    def close(self) -> None:  # noqa: B027 - a store without a connection has nothing to close
        """Close the connection."""
