"""`kiosk recall import|watch|alerts|ack`: device recalls from a file or from openFDA, and
the alerts they raise until a manager acknowledges them."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import asdict
from zoneinfo import ZoneInfo

from kiosk import bootstrap
from kiosk.cli import follow_up_commands
from kiosk.cli.output import to_json
from kiosk.cli.print_commands import cmd_recall_import
from kiosk.services.recall_watch_ports import RecallAlert


def cmd_recall(args: Namespace) -> int:
    handlers = {"import": cmd_recall_import, "watch": cmd_watch, "alerts": cmd_alerts,
                "ack": cmd_ack, "follow-up": follow_up_commands.cmd_follow_up,
                "status": follow_up_commands.cmd_follow_up}
    return handlers[args.action](args)


def cmd_watch(args: Namespace) -> int:
    """Exit 0 after a run (with or without new recalls); a failure is one sentence on
    stderr and exit 1 from ``main`` (nothing changed, the next run asks again)."""
    kiosk = bootstrap.open_kiosk(args.config)
    report = kiosk.watch_recalls(args.actor)
    if args.json:
        print(to_json({"fetched": report.fetched, "new": report.new,
                       "repeats": report.repeats, "skipped": report.skipped,
                       "alerts": [asdict(a) for a in report.alerts]}))
        return 0
    print(f"Fetched {report.fetched} recall record(s): {len(report.new)} new, "
          f"{report.repeats} already handled.")
    for alert in report.alerts:
        print(alert.banner + ".")
    for note in report.skipped:
        print(f"Left out: {note}")
    return 0


def cmd_alerts(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    alerts = kiosk.recall_alerts(open_only=not args.all)
    if args.json:
        print(to_json({"alerts": [asdict(a) for a in alerts]}))
        return 0
    if not alerts:
        print("No recall alert is waiting for acknowledgement.")
    zone = ZoneInfo(kiosk.config.timezone)
    for alert in alerts:
        identity = f" ({alert.identity})" if alert.identity else ""
        print(f"{alert.banner}{identity}. {_acknowledged(alert, zone)}")
        if alert.review:
            print(f"  {alert.review}")
    return 0


def cmd_ack(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    alert = kiosk.acknowledge_recall(args.actor, args.recall_number)
    print(f"Recall {alert.recall_number}: {_acknowledged(alert, ZoneInfo(kiosk.config.timezone))}")
    return 0


def _acknowledged(alert: RecallAlert, zone: ZoneInfo) -> str:
    if alert.acknowledged_at is None:
        return "Not yet acknowledged."
    when = alert.acknowledged_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    return f"Acknowledged by {alert.acknowledged_by} at {when}."
