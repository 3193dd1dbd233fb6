"""Ports the services talk to; adapters implement them, unit tests use fakes.

A ``Store`` hands out transactions (a ``Tx`` offers every role port: identity, people,
catalog, ledger, outbox, cursors); a ``CatalogStore`` (the central catalog) hands out
``CatalogTx`` transactions with the people and catalog roles only. ``store.write()`` is one
atomic write transaction (SQLite ``BEGIN IMMEDIATE``): everything done through the ``Tx``
commits together when the ``with`` block ends normally and rolls back entirely when it
raises. ``store.read()`` is a consistent read-only snapshot. A Tx is used from one thread
only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from kiosk.domain.lockout import LockoutState
from kiosk.domain.model import (
    Adjustment,
    ApplianceRecord,
    ApplianceType,
    Item,
    Lot,
    Patient,
    Staff,
    Usage,
    UsageVoid,
    Vendor,
)


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""
        ...


@dataclass(frozen=True)
class KioskIdentity:
    kiosk_id: str
    clinic_id: str
    workstation_id: str


@dataclass(frozen=True)
class UsageFilter:
    """Every field narrows; ``None`` means no constraint. Dates are inclusive calendar days
    of the clinic, in the time zone the reader is given (``span``)."""

    from_date: date | None = None
    to_date: date | None = None
    appliance_type: ApplianceType | None = None
    used_by: str | None = None
    patient_id: str | None = None
    lot_number: str | None = None
    item_id: str | None = None

    def span(self, timezone: str) -> tuple[datetime | None, datetime | None]:
        """The UTC instants the dates cover in ``timezone``: from the first day's midnight
        (inclusive) to the midnight after the last day (exclusive); None where open. Every
        reader of the ledger, local or central, takes its day bounds from here."""
        zone = ZoneInfo(timezone)
        start = end = None
        if self.from_date is not None:
            start = datetime.combine(self.from_date, time.min, zone).astimezone(UTC)
        if self.to_date is not None and self.to_date < date.max:
            end = datetime.combine(self.to_date + timedelta(days=1), time.min,
                                   zone).astimezone(UTC)
        return start, end


ANY_USAGE = UsageFilter()


@dataclass(frozen=True)
class OutboxEvent:
    """A kiosk event waiting to reach the central store; ``payload`` is JSON text."""

    event_id: str
    kiosk_seq: int
    event_type: str
    payload: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    acknowledged: int
    quarantined: int


@dataclass(frozen=True)
class OutboxEntry:
    """An event not yet synced, as IT sees it: its state and why it is stuck, if it is."""

    event_id: str
    kiosk_seq: int
    event_type: str
    state: str  # PENDING or QUARANTINED
    attempts: int
    last_error: str | None
    created_at: datetime


class IdentityPort(ABC):
    """Who this kiosk is, and its event sequence."""

    @abstractmethod
    def identity(self) -> KioskIdentity: ...
    @abstractmethod
    def next_kiosk_seq(self) -> int:
        """Reserve the next (strictly increasing, gap-free per committed tx) kiosk sequence."""


@dataclass(frozen=True)
class ItemLabel:
    """What a report row shows of an item."""

    sku: str
    name: str


class PeoplePort(ABC):
    """Staff, patients and their appliance records."""

    @abstractmethod
    def staff_by_id(self, staff_id: str) -> Staff | None: ...
    @abstractmethod
    def staff_by_badge(self, badge: str) -> Staff | None:
        """Case-insensitive: ``b1001`` finds the badge ``B1001``."""

    @abstractmethod
    def all_staff(self) -> list[Staff]: ...
    @abstractmethod
    def save_staff(self, staff: Staff) -> None:
        """Insert or replace by id."""

    @abstractmethod
    def patient_by_id(self, patient_id: str) -> Patient | None: ...
    @abstractmethod
    def patient_by_chart(self, chart_number: str) -> Patient | None: ...
    @abstractmethod
    def all_patients(self) -> list[Patient]: ...
    def patients_by_ids(self, patient_ids: Iterable[str]) -> dict[str, Patient]:
        """The patients among ``patient_ids``, by id (unknown ids absent): a report labels
        thousands of usages with one call. A store may answer it in one query."""
        found = {pid: self.patient_by_id(pid) for pid in set(patient_ids)}
        return {pid: patient for pid, patient in found.items() if patient is not None}

    @abstractmethod
    def save_patient(self, patient: Patient) -> None: ...

    @abstractmethod
    def appliance(self, appliance_id: str) -> ApplianceRecord | None: ...
    @abstractmethod
    def appliances_for_patient(self, patient_id: str) -> list[ApplianceRecord]: ...
    @abstractmethod
    def save_appliance(self, record: ApplianceRecord) -> None: ...


class CatalogPort(ABC):
    """Vendors, items with their offers and codes, lots, and stock on hand."""

    @abstractmethod
    def vendor_by_id(self, vendor_id: str) -> Vendor | None: ...
    @abstractmethod
    def vendor_by_name(self, name: str) -> Vendor | None:
        """Case-insensitive exact name match."""

    @abstractmethod
    def save_vendor(self, vendor: Vendor) -> None: ...

    @abstractmethod
    def item(self, item_id: str) -> Item | None: ...
    @abstractmethod
    def item_by_sku(self, sku: str) -> Item | None: ...
    @abstractmethod
    def item_by_gtin(self, gtin14: str) -> Item | None: ...
    @abstractmethod
    def item_by_hibcc(self, key: str) -> Item | None:
        """``key`` is labeler + product code, uppercase."""

    @abstractmethod
    def all_items(self) -> list[Item]: ...
    def item_labels(self, item_ids: Iterable[str]) -> dict[str, ItemLabel]:
        """SKU and name of the items among ``item_ids``, by id (unknown ids absent), for
        labelling report rows. A store may answer it in one query."""
        found = {iid: self.item(iid) for iid in set(item_ids)}
        return {iid: ItemLabel(item.sku, item.name) for iid, item in found.items()
                if item is not None}

    @abstractmethod
    def save_item(self, item: Item) -> None:
        """Insert or replace by id, including its offers, GTINs and HIBCC keys."""

    @abstractmethod
    def lot(self, lot_id: str) -> Lot | None: ...
    @abstractmethod
    def lot_by_number(self, item_id: str, lot_number: str) -> Lot | None: ...
    @abstractmethod
    def lots_for_item(self, item_id: str) -> list[Lot]: ...
    @abstractmethod
    def lots_numbered(self, lot_number: str) -> list[Lot]:
        """Every lot with this number, across items."""

    @abstractmethod
    def save_lot(self, lot: Lot) -> None: ...

    @abstractmethod
    def change_stock(self, item_id: str, lot_id: str | None, delta: int) -> None:
        """Add ``delta`` to the item's on-hand and, when given, to the lot's."""


class LedgerPort(ABC):
    """This kiosk's events, append-only: usages, voids and adjustments."""

    @abstractmethod
    def add_usage(self, usage: Usage) -> None: ...
    @abstractmethod
    def usage(self, usage_id: str) -> Usage | None: ...
    @abstractmethod
    def usages(self, where: UsageFilter = ANY_USAGE, timezone: str = "UTC") -> list[Usage]:
        """Matching usages, oldest first (voided ones included); the filter's dates are
        calendar days in ``timezone`` (the clinic's, for anything a person reads)."""

    @abstractmethod
    def add_void(self, void: UsageVoid) -> None: ...
    @abstractmethod
    def void_for(self, usage_id: str) -> UsageVoid | None: ...
    @abstractmethod
    def voided_usage_ids(self) -> set[str]: ...
    @abstractmethod
    def add_adjustment(self, adjustment: Adjustment) -> None: ...
    @abstractmethod
    def adjustments(self) -> list[Adjustment]: ...


class OutboxPort(ABC):
    """The queue of events waiting to reach the central store."""

    @abstractmethod
    def enqueue(self, event: OutboxEvent) -> None: ...
    @abstractmethod
    def outbox_counts(self) -> OutboxCounts: ...
    @abstractmethod
    def pending_events(self, limit: int) -> list[OutboxEvent]:
        """The oldest ``limit`` pending events, by kiosk_seq. Never filtered by a time: an
        event held until a wall-clock moment waits out a clock set back while the events
        after it go ahead (issue 14); when to try again is the sync loop's backoff, timed
        on the monotonic clock."""

    @abstractmethod
    def mark_acknowledged(self, event_ids: Iterable[str], at: datetime) -> None: ...
    @abstractmethod
    def mark_quarantined(self, event_ids: Iterable[str], error: str) -> None: ...
    @abstractmethod
    def record_failure(self, event_ids: Iterable[str], error: str) -> None:
        """Count an attempt and keep the error; the events stay first in the queue."""

    @abstractmethod
    def pending_stock_deltas(self) -> dict[tuple[str, str | None], int]:
        """Net stock change of this kiosk's events still PENDING in the outbox, keyed
        (item id, lot id or None): usages −quantity, voids +quantity of their usage,
        adjustments and receipts +delta. A lot's entry counts for its item as well; zero
        entries are left out. Acknowledged and quarantined events are not counted."""

    @abstractmethod
    def unsynced_events(self, limit: int) -> list[OutboxEntry]:
        """Up to ``limit`` PENDING and QUARANTINED events, quarantined first, then oldest
        first (by kiosk_seq), each with its attempts and last error."""


class CursorPort(ABC):
    """How far each pulled collection has been read."""

    @abstractmethod
    def sync_cursor(self, name: str) -> str | None: ...
    @abstractmethod
    def set_sync_cursor(self, name: str, value: str) -> None: ...


PARKED, RESUMED, DISCARDED = "PARKED", "RESUMED", "DISCARDED"


@dataclass(frozen=True)
class ParkedLine:
    """One cart line as it was parked: everything needed to rebuild it."""

    item_id: str
    sku: str
    name: str
    category: ApplianceType
    lot_number: str | None
    expiry: date | None
    unit_cost: Decimal | None
    scans: tuple[str, ...]
    quantity: int
    expiring_soon: bool = False
    override_reason: str | None = None


@dataclass(frozen=True)
class ParkedCart:
    """An unconfirmed cart kept at sign-out, with who parked it, for whom, and its fate.

    ``state`` is PARKED (offered at the next sign-in), RESUMED or DISCARDED; a closed cart is
    never deleted: it stays as the audit record (who closed it, when, and why when discarded).
    """

    id: str
    parked_at: datetime
    parked_by: str  # staff id
    parked_by_name: str
    cause: str  # "idle" or "sign_out"
    lines: tuple[ParkedLine, ...]
    patient_id: str | None = None
    patient_name: str | None = None
    chart_number: str | None = None
    appliance_id: str | None = None
    state: str = PARKED
    closed_by: str | None = None
    closed_by_name: str | None = None
    closed_at: datetime | None = None
    discard_reason: str | None = None


class ParkingPort(ABC):
    """Carts parked at sign-out, kept for good (closed ones are the audit trail)."""

    @abstractmethod
    def add_parked_cart(self, cart: ParkedCart) -> None: ...
    @abstractmethod
    def parked_cart(self, cart_id: str) -> ParkedCart | None: ...
    @abstractmethod
    def parked_carts(self, state: str | None = PARKED) -> list[ParkedCart]:
        """Carts in ``state`` (None: all), oldest first."""

    @abstractmethod
    def close_parked_cart(self, cart_id: str, state: str, by: Staff, at: datetime,
                          reason: str | None = None) -> bool:
        """Mark a PARKED cart RESUMED or DISCARDED; False when it was no longer PARKED."""
class SignInLockoutPort(ABC):
    """Wrong-PIN counts and locks, by lockout key (a staff id, or ``badge:…`` for a badge
    nobody has); kept in the store so a restart does not lift a lock."""

    @abstractmethod
    def sign_in_lockout(self, key: str) -> LockoutState | None: ...
    @abstractmethod
    def save_sign_in_lockout(self, state: LockoutState) -> None:
        """Insert or replace by key."""

    @abstractmethod
    def clear_sign_in_lockout(self, key: str) -> None:
        """Forget the key's count and lock (nothing happens when it has none)."""


@dataclass(frozen=True)
class LocalClaim:
    """This data directory's claim on its kiosk id: the token it syncs under (None before its
    first sync, or when the file was copied or moved since it recorded one), where it runs
    now, and whether a restore asks it to take the kiosk id over."""

    token: str | None
    place: str  # host and database file, as people read them
    takeover: bool


@dataclass(frozen=True)
class SequenceState:
    last_seq: int  # the last kiosk sequence handed out
    lowest_unsent: int | None  # the lowest sequence still PENDING or QUARANTINED


class SequencePort(ABC):
    """What keeps a kiosk's sequence from rewinding and its id from being shared (issue 14):
    the claim on the kiosk id, and renumbering events that never reached the server."""

    @abstractmethod
    def kiosk_claim(self) -> LocalClaim: ...
    @abstractmethod
    def keep_kiosk_claim(self, token: str | None, takeover: bool) -> None:
        """Record ``token`` for this place (None: forget it), and the takeover wish."""

    @abstractmethod
    def sequence_state(self) -> SequenceState: ...
    @abstractmethod
    def resequence(self, event_ids: Iterable[str], above: int, recorded_after: int) -> int:
        """Give ``event_ids`` (in this order), then any unsent event with a sequence above
        ``recorded_after`` (recorded meanwhile), the next sequences above both ``above`` and
        the last one handed out; they become PENDING. Returns the new last sequence."""

    @abstractmethod
    def requeue(self, event_ids: Iterable[str]) -> list[str]:
        """Quarantined events back to PENDING (to be sent again); returns those moved."""

    @abstractmethod
    def replace_kiosk_id(self, kiosk_id: str, applied: Iterable[str], at: datetime) -> int:
        """This database takes ``kiosk_id``: the unsent events the server already has
        (``applied``) are acknowledged, the others move to the new id with fresh sequences.
        Returns how many moved."""


class CatalogTx(PeoplePort, CatalogPort, ABC):
    """What the central catalog offers in one transaction: people and catalog, no ledger."""


class Tx(IdentityPort, CatalogTx, LedgerPort, OutboxPort, CursorPort, ParkingPort,
         SignInLockoutPort, SequencePort, ABC):
    """The kiosk's unit of work: every role, committed together."""


class CatalogStore(ABC):
    @abstractmethod
    def write(self) -> AbstractContextManager[CatalogTx]:
        """One atomic write transaction."""

    @abstractmethod
    def read(self) -> AbstractContextManager[CatalogTx]:
        """A read-only snapshot."""


class Store(CatalogStore):
    @abstractmethod
    def write(self) -> AbstractContextManager[Tx]:
        """One atomic write transaction."""

    @abstractmethod
    def read(self) -> AbstractContextManager[Tx]:
        """A read-only snapshot."""

