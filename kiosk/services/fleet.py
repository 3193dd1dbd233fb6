"""The fleet view (issue 15 item 5): the clinic's workstations as their heartbeats left them,
for IT and managers (`kiosk fleet`, the Settings screen's Workstations page).

Each kiosk's sync writes its Workstation document (version, queue depth, quarantined count,
last sync, last error, when it was sent); this reads them all through the clinic ledger port
and flags a workstation not heard from for ``STALE_AFTER`` (the same 15 minutes after which
the reports name it as possibly missing). It talks to the network: call it off the GUI
thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.errors import CentralUnavailable, ConfigError
from kiosk.domain.permissions import Permission
from kiosk.services.clinic_ledger import StationSeen
from kiosk.services.clinic_reads import STALE_AFTER
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader


@dataclass(frozen=True)
class FleetStation:
    """One workstation of the clinic in the fleet view."""

    seen: StationSeen
    stale: bool  # not heard from for STALE_AFTER (or never)
    this_kiosk: bool

    @property
    def workstation_id(self) -> str:
        return self.seen.workstation_id

    def as_json(self) -> dict[str, object]:
        seen = self.seen
        return {"workstationId": seen.workstation_id, "kioskId": seen.kiosk_id,
                "version": seen.version, "lastSync": _iso(seen.last_sync),
                "queueDepth": seen.queued, "quarantined": seen.quarantined,
                "lastError": seen.last_error, "heartbeatAt": _iso(seen.last_seen),
                "stale": self.stale, "thisKiosk": self.this_kiosk}


@dataclass(frozen=True)
class Fleet:
    as_of: datetime
    stations: tuple[FleetStation, ...]

    def as_json(self) -> dict[str, object]:
        return {"asOf": self.as_of.isoformat(timespec="seconds"),
                "workstations": [s.as_json() for s in self.stations]}

    def summary(self) -> str:
        """One sentence: how many, and which are stale or have events waiting."""
        count = len(self.stations)
        line = f"{count} workstation{'s' if count != 1 else ''}"
        stale = [s.workstation_id for s in self.stations if s.stale]
        queued = [s.workstation_id for s in self.stations if s.seen.queued > 0]
        if stale:
            line += f"; not heard from for {_minutes(STALE_AFTER)} min: {', '.join(stale)}"
        if queued:
            line += f"; events waiting to sync: {', '.join(queued)}"
        if not stale and not queued:
            line += "; all heard from recently, nothing waiting to sync"
        return line + "."


def fleet(ctx: ServiceContext, actor: str | None = None) -> Fleet:
    """The clinic's workstations by name (inventory:read; with no actor, as the operator at
    this workstation's shell). ConfigError without a central server; CentralUnavailable or
    CentralRefused when it cannot be read."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        own_kiosk = tx.identity().kiosk_id
    if ctx.ledger is None:
        raise ConfigError("This kiosk has no central server configured, so there is no fleet "
                          "to list; run `kiosk init` with --mongo-uri first.")
    try:
        seen = ctx.ledger.stations()
    except CentralUnavailable:
        raise CentralUnavailable("The central server cannot be reached, so the clinic's "
                                 "workstations cannot be listed; check the network and the "
                                 "server, then try again.") from None
    now = ctx.now()
    stations = tuple(
        FleetStation(s, s.last_seen is None or now - s.last_seen > STALE_AFTER,
                     s.kiosk_id == own_kiosk)
        for s in sorted(seen, key=lambda s: (s.workstation_id, s.kiosk_id)))
    return Fleet(now, stations)


def heard_ago(station: FleetStation, now: datetime) -> str:
    """"heard 2 min ago", "STALE: not heard from for 40 min", "STALE: never heard from"."""
    seen = station.seen.last_seen
    if seen is None:
        return "STALE: never heard from"
    ago = _ago(now - seen)
    return f"STALE: not heard from for {ago}" if station.stale else f"heard {ago} ago"


def _ago(span: timedelta) -> str:
    if span < timedelta(minutes=1):
        return "under a minute"
    if span < timedelta(hours=1):
        return f"{_minutes(span)} min"
    if span < timedelta(days=1):
        hours = int(span.total_seconds() // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{span.days} day{'s' if span.days != 1 else ''}"


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when is not None else None
