"""`kiosk queue` and `kiosk queue retry`: the quarantined events, for IT."""

from __future__ import annotations

from argparse import Namespace
from zoneinfo import ZoneInfo

from kiosk import bootstrap
from kiosk.cli.output import to_json
from kiosk.domain.errors import ValidationError
from kiosk.services.outbox_queue import quarantined_events, retry_quarantined


def cmd_queue(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    if args.action == "retry":
        if not args.actor:
            raise ValidationError("Retrying a quarantined event needs --actor (someone with "
                                  "admin:configure).")
        moved = retry_quarantined(kiosk.context, args.actor, args.event_id, every=args.all)
        names = ", ".join(moved) if len(moved) <= 5 else f"{len(moved)} events"
        print(f"Queued {len(moved)} quarantined event(s) to be sent again at the next sync "
              f"({names or 'none'}); the server's receipts keep each from being applied twice.")
        return 0
    if args.event_id or args.all:
        raise ValidationError("`kiosk queue` lists; use `kiosk queue retry ID` or "
                              "`kiosk queue retry --all` to send events again.")
    entries = quarantined_events(kiosk.context, args.actor)
    if args.json:
        print(to_json({"quarantined": [
            {"id": e.event_id, "kind": e.event_type, "seq": e.kiosk_seq,
             "when": e.created_at.isoformat(), "reason": e.last_error or ""}
            for e in entries]}))
        return 0
    if not entries:
        print("No quarantined events: everything recorded here is synced or waiting to sync.")
        return 0
    zone = ZoneInfo(kiosk.context.settings.timezone)
    for e in entries:
        when = e.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        print(f"{e.event_id}  {e.event_type}  {when}  {e.last_error or 'no reason recorded'}")
    print(f"{len(entries)} quarantined; fix the cause, then `kiosk queue retry ID`.")
    return 0
