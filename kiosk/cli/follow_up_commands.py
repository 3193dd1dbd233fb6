"""`kiosk recall follow-up RECALL --patient P --status contacted|assessed --actor S [--note]`
and `kiosk recall status RECALL --actor S [--json]`: the recall's follow-through per patient."""

from __future__ import annotations

from argparse import Namespace
from zoneinfo import ZoneInfo

from kiosk import bootstrap
from kiosk.cli.output import to_json
from kiosk.domain.errors import ValidationError
from kiosk.domain.follow_up import parse_status
from kiosk.services.recall_follow_up import AffectedPatient, RecallFollowUpList

ACTIONS = ("follow-up", "status")


def cmd_follow_up(args: Namespace) -> int:
    if args.action == "status":
        return _status(args)
    if not args.patient or not args.status:
        raise ValidationError("recall follow-up needs --patient and --status (contacted or "
                              "assessed).")
    status = parse_status(args.status)
    kiosk = bootstrap.open_kiosk(args.config)
    found = kiosk.find_follow_up(args.actor, args.file, args.patient, sku=args.sku,
                               lot_number=args.lot)
    step = kiosk.take_follow_up_step(args.actor, found.key, status, note=args.note)
    when = step.at.astimezone(ZoneInfo(kiosk.context.settings.timezone))
    print(f"Patient {found.patient.chart_number} ({found.sku} lot {found.key.lot_number}) "
          f"is {step.status.value}: {step.by_name}, {when:%Y-%m-%d %H:%M %Z}.")
    return 0


def _status(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    listing = kiosk.recall_follow_ups(args.actor, args.file, sku=args.sku, lot_number=args.lot)
    if args.json:
        print(to_json(listing.as_json()))
    else:
        print(status_table(listing, kiosk.context.settings.timezone))
    return 0


def status_table(listing: RecallFollowUpList, timezone: str) -> str:
    lines = [f"Recall {listing.recall_number}: {len(listing.patients)} affected patient(s)"]
    lines += [s for s in (listing.warning, listing.statuses_error) if s]
    header = ["chart", "patient", "phone", "guardian", "sku", "lot", "status", "last step"]
    body = [_row(p, timezone) for p in listing.patients]
    widths = [max(len(x) for x in column) for column in zip(header, *body, strict=False)]
    for cells in (header, ["-" * w for w in widths], *body):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    if not body:
        lines.append("(no patients received these lots)")
    return "\n".join(lines)


def _row(p: AffectedPatient, timezone: str) -> list[str]:
    last = p.steps[-1] if p.steps else None
    guardian = " ".join(x for x in (p.patient.guardian_name, p.patient.guardian_phone) if x)
    step = (f"{last.by_name} {last.at.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"
            + (f" · {last.note}" if last.note else "")) if last else ""
    return [p.patient.chart_number, p.patient.display_name, p.patient.phone, guardian, p.sku,
            p.key.lot_number, p.status.value if p.status else "unknown", step]
