"""`kiosk fleet [--json]`: the clinic's workstations from their heartbeats, for IT."""

from __future__ import annotations

from argparse import Namespace
from zoneinfo import ZoneInfo

from kiosk import bootstrap
from kiosk.cli.api_webhook_commands import webhook_lines
from kiosk.cli.output import to_json
from kiosk.services.fleet import Fleet, FleetStation, heard_ago


def cmd_fleet(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    found = kiosk.fleet(args.actor)
    hooks = kiosk.webhook_statuses(args.actor)  # the clinic's webhooks (issue 17 item 5)
    if args.json:
        print(to_json({**found.as_json(), "webhooks": [h.as_json() for h in hooks]}))
    else:
        print(fleet_table(found, kiosk.context.settings.timezone))
        if hooks:
            print("\n".join(["Webhooks:", *webhook_lines(hooks, kiosk.context.settings.timezone)]))
    return 0


def fleet_table(found: Fleet, timezone: str) -> str:
    """One line per workstation (columns aligned), then the one-sentence summary."""
    zone = ZoneInfo(timezone)
    rows = [_cells(station, found, zone) for station in found.stations]
    widths = [max((len(row[n]) for row in rows), default=0) for n in range(4)]
    lines = [f"Workstations of the clinic as of {found.as_of.astimezone(zone):%Y-%m-%d %H:%M} "
             f"({timezone}):"]
    for row in rows:
        lines.append("  ".join([*(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)),
                                row[4]]).rstrip())
    lines.append(found.summary())
    return "\n".join(lines)


def _cells(station: FleetStation, found: Fleet, zone: ZoneInfo) -> list[str]:
    seen = station.seen
    synced = (f"last sync {seen.last_sync.astimezone(zone):%Y-%m-%d %H:%M}"
              if seen.last_sync else "never synced")
    notes = [heard_ago(station, found.as_of)]
    if station.this_kiosk:
        notes.append("this kiosk")
    if seen.last_error:
        notes.append(f"last error: {seen.last_error}")
    return [seen.workstation_id, f"v{seen.version}" if seen.version else "v?", synced,
            f"{seen.queued} queued, {seen.quarantined} quarantined", " · ".join(notes)]
