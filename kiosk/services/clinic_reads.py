"""Reads of the whole clinic: the central ledger merged with this kiosk's queue, each usage
counted once, and the scope of the answer said every time.

Usages already pushed come from central (whichever kiosk recorded them); this kiosk's usages
and voids that have not reached it yet are added from the local store, so a void still
waiting here nets its central usage. When the server cannot be asked (none configured,
unreachable, refusing us), the local ledger answers alone and says so ("this-kiosk").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.domain.errors import CentralRefused, CentralUnavailable
from kiosk.domain.model import Usage
from kiosk.services.clinic_ledger import CentralVoid, LedgerUsage, StationSeen
from kiosk.services.context import ServiceContext
from kiosk.services.ports import UsageFilter

CLINIC, THIS_KIOSK = "clinic", "this-kiosk"
USAGES, STOCK = "usages", "stock"  # what a report read: the ledger, or the stock figures
STALE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class PendingStation:
    """Another workstation whose usages may be missing: events queued, or not heard from."""

    workstation_id: str
    last_seen: datetime | None  # its last heartbeat
    queued: int
    last_sync: datetime | None = None  # its last sync that reached the server

    def as_json(self) -> dict[str, object]:
        return {"workstationId": self.workstation_id,
                "lastSeen": self.last_seen.isoformat() if self.last_seen else None,
                "queued": self.queued}


@dataclass(frozen=True)
class Scope:
    """Where a report's usages came from, as of when, and who may be missing."""

    kind: str  # CLINIC or THIS_KIOSK
    as_of: datetime
    pending: tuple[PendingStation, ...] = ()
    why_local: str = ""  # the central error, when kind is THIS_KIOSK because of one
    timezone: str = "UTC"  # the clinic's zone, for the sentence printed in files
    what: str = USAGES  # USAGES or STOCK
    pulled_at: datetime | None = None  # STOCK read locally: this kiosk's last catalog pull
    server_set_up: bool = True  # False: the kiosk has no central server to ask at all

    def as_json(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "scope": self.kind, "asOf": self.as_of.isoformat(timespec="seconds"),
            "pending": [p.as_json() for p in self.pending]}
        if self.kind != CLINIC and self.what == STOCK:  # how old the local figures are
            shown["pulledAt"] = (self.pulled_at.isoformat(timespec="seconds")
                                 if self.pulled_at else None)
        return shown

    def sentence(self, timezone: str | None = None) -> str:
        """One line for tables, PDFs, CSV headers and screens, times in ``timezone`` (by
        default the clinic's, as read)."""
        zone = ZoneInfo(timezone or self.timezone)
        if self.kind != CLINIC and not self.server_set_up:  # not a fault: say it as it is
            what = "stock as this kiosk knows it" if self.what == STOCK else (
                "this kiosk's usages only")
            return f"No central server is set up: {what}."
        if self.kind != CLINIC and self.what == STOCK:
            if self.pulled_at is None:
                return "Central server unreachable: stock as this kiosk knows it."
            return (f"Central server unreachable: stock as this kiosk last pulled it at "
                    f"{self.pulled_at.astimezone(zone):%H:%M on %Y-%m-%d}, with its own "
                    "changes since.")
        if self.kind != CLINIC:
            return "Central server unreachable: this kiosk's usages only."
        line = f"Whole clinic as of {self.as_of.astimezone(zone):%H:%M}"
        for station in self.pending:
            line += f" · {station.workstation_id} {_heard(station, self.as_of)}"
        return line + "."


@dataclass
class LedgerRead:
    usages: list[Usage]
    voids: dict[str, CentralVoid] = field(default_factory=dict)  # usage id -> its void
    scope: Scope | None = None
    central: list[LedgerUsage] | None = None  # what the server answered (None: not asked)

    @property
    def voided(self) -> set[str]:
        return set(self.voids)


def read_usages(ctx: ServiceContext, where: UsageFilter) -> LedgerRead:
    """The clinic's usages in ``where`` (central + this kiosk's unpushed), else this kiosk's.
    The server is asked outside any local transaction; the local store keeps every usage this
    kiosk recorded, so one pushed meanwhile is still counted (once: merged by id)."""
    now, zone = ctx.now(), ctx.settings.timezone
    ledger = ctx.ledger
    central: list[LedgerUsage] | None = None
    scope = Scope(THIS_KIOSK, now, timezone=zone, server_set_up=ledger is not None)
    if ledger is not None:
        try:
            snapshot = ledger.read(where, zone)
            central, stations = snapshot.usages, snapshot.stations
        except (CentralUnavailable, CentralRefused) as error:
            scope = Scope(THIS_KIOSK, now, why_local=str(error), timezone=zone)
    with ctx.store.read() as tx:
        local = tx.usages(where, ctx.settings.timezone)
        own_kiosk = tx.identity().kiosk_id
        voids = {u.id: CentralVoid(v.voided_at, v.voided_by, v.reason)
                 for u in local if (v := tx.void_for(u.id)) is not None}
    if central is None:
        return LedgerRead(local, voids, scope)
    merged = {entry.usage.id: entry.usage for entry in central}
    for entry in central:
        if entry.void is not None:
            voids.setdefault(entry.usage.id, entry.void)
    for usage in local:  # this kiosk's usages the server does not have yet
        merged.setdefault(usage.id, usage)
    usages = sorted(merged.values(), key=lambda u: (u.usage_date, u.id))
    return LedgerRead(usages, voids, Scope(CLINIC, now, pending_stations(stations, own_kiosk, now),
                                           timezone=zone), central)


def pending_stations(stations: list[StationSeen], own_kiosk: str,
                     now: datetime) -> tuple[PendingStation, ...]:
    """The other workstations whose events may be missing: queued, or not heard from."""
    return tuple(
        PendingStation(s.workstation_id, s.last_seen, s.queued, s.last_sync)
        for s in sorted(stations, key=lambda s: s.workstation_id)
        if s.kiosk_id != own_kiosk
        and (s.queued > 0 or s.last_seen is None or now - s.last_seen > STALE_AFTER))


def _heard(station: PendingStation, now: datetime) -> str:
    queued = (f" with {station.queued} event{'s' if station.queued != 1 else ''} queued"
              if station.queued else "")
    if station.last_sync is None:
        return f"never synced{queued}"
    ago = now - station.last_sync
    if ago < timedelta(minutes=1):
        when = "just now"
    elif ago < timedelta(hours=1):
        when = f"{int(ago.total_seconds() // 60)} min ago"
    elif ago < timedelta(days=1):
        hours = int(ago.total_seconds() // 3600)
        when = f"{hours} hour{'s' if hours != 1 else ''} ago"
    else:
        when = f"{ago.days} day{'s' if ago.days != 1 else ''} ago"
    return f"last synced {when}{queued}"
