"""`kiosk api webhook add|list|remove` and `kiosk api webhooks run` (issue 17 item 5): the
clinic's webhooks for Financial and Reporting, and the dispatcher that delivers to them.

``add_parsers`` adds these to the `api` group's subparsers; each leaf sets ``api_handler``,
which `kiosk api` calls, so the HTTP API's own commands can join the same group.
"""

from __future__ import annotations

import signal
import sys
import threading
from argparse import Namespace
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from kiosk import bootstrap
from kiosk.cli.output import to_json
from kiosk.domain.errors import CentralUnavailable, ValidationError
from kiosk.domain.webhooks import EVENT_TYPES, RetryPolicy
from kiosk.services.webhook_ports import WebhookStatus

RECONNECT_CAP_S = 60.0


def add_parsers(groups) -> None:
    """``groups``: the subparsers of `kiosk api`."""
    hook = groups.add_parser("webhook", help="the clinic's webhooks: add, list, remove")
    actions = hook.add_subparsers(dest="webhook_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="send the clinic's events to URL, signed")
    add.add_argument("url")
    add.add_argument("--events", nargs="+", required=True, action="extend",
                     help=f"one or more of {', '.join(EVENT_TYPES)}")
    add.add_argument("--actor", required=True, help="who adds it (admin:configure)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(api_handler=cmd_webhook_add)
    listing = actions.add_parser("list", help="the webhooks, dead letters, last delivery")
    listing.add_argument("--actor", help="who asks (inventory:read); default: this shell's "
                                         "operator")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(api_handler=cmd_webhook_list)
    remove = actions.add_parser("remove", help="stop sending to one webhook")
    remove.add_argument("webhook_id")
    remove.add_argument("--actor", required=True, help="who removes it (admin:configure)")
    remove.set_defaults(api_handler=cmd_webhook_remove)

    hooks = groups.add_parser("webhooks", help="the webhook dispatcher")
    run_actions = hooks.add_subparsers(dest="webhooks_action", required=True,
                                       metavar="ACTION")
    run = run_actions.add_parser("run", help="deliver the clinic's events until stopped")
    policy = RetryPolicy()
    run.add_argument("--attempts", default=str(policy.attempts),
                     help="tries per event before it is dead-lettered")
    run.add_argument("--backoff", default=str(policy.base_s),
                     help="seconds before the second try; doubled each time")
    run.add_argument("--max-backoff", default=str(policy.cap_s))
    run.add_argument("--timeout", default=str(policy.timeout_s), help="seconds per POST")
    run.set_defaults(api_handler=cmd_webhooks_run)


def cmd_webhook_add(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    webhook = kiosk.add_webhook(args.actor, args.url, list(args.events))
    if args.json:
        print(to_json({"id": webhook.id, "url": webhook.url, "events": list(webhook.events),
                       "secret": webhook.secret}))
        return 0
    print(f"Webhook {webhook.id} added: {', '.join(webhook.events)} to {webhook.url}.")
    print("Its signing secret, shown only now (the receiver checks X-Kiosk-Signature with it):")
    print(webhook.secret)
    return 0


def cmd_webhook_list(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    statuses = kiosk.webhook_statuses(args.actor)
    if args.json:
        print(to_json({"webhooks": [s.as_json() for s in statuses]}))
        return 0
    print("\n".join(webhook_lines(statuses, kiosk.context.settings.timezone)))
    return 0


def cmd_webhook_remove(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    kiosk.remove_webhook(args.actor, args.webhook_id)
    print(f"Webhook {args.webhook_id} removed; it receives no further events.")
    return 0


def webhook_lines(statuses: Sequence[WebhookStatus], timezone: str) -> list[str]:
    """One line per webhook, then a summary sentence (also under `kiosk fleet`)."""
    zone = ZoneInfo(timezone)
    lines = []
    for s in statuses:
        last = (f"last delivery {s.last_delivery_at.astimezone(zone):%Y-%m-%d %H:%M} "
                f"(HTTP {s.last_status or 'no answer'})" if s.last_delivery_at
                else "nothing delivered yet")
        lines.append(f"{s.id}  {s.url}  {','.join(s.events)}  {last}  "
                     f"{s.dead_letters} dead letter(s)")
    dead = sum(s.dead_letters for s in statuses)
    lines.append(f"{len(statuses)} webhook(s), {dead} dead letter(s) ({timezone})."
                 if statuses else "No webhooks: add one with `kiosk api webhook add URL "
                                  "--events … --actor S`.")
    return lines


def cmd_webhooks_run(args: Namespace) -> int:
    policy = _policy(args)
    kiosk = bootstrap.open_kiosk(args.config)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"Delivering the webhooks of clinic {kiosk.config.clinic_id}; stop with Ctrl+C or "
          "SIGTERM.", flush=True)
    delay = 1.0
    while not stop.is_set():
        try:
            kiosk.run_webhooks(policy, stop.wait, stop.is_set)
        except CentralUnavailable as error:
            print(f"kiosk: {error} Trying again in {delay:.0f} s.", file=sys.stderr, flush=True)
            stop.wait(delay)
            delay = min(RECONNECT_CAP_S, delay * 2)
    print("Webhook delivery stopped; it resumes where it left off.")
    return 0


def _policy(args: Namespace) -> RetryPolicy:
    try:
        policy = RetryPolicy(attempts=int(args.attempts), base_s=float(args.backoff),
                             cap_s=float(args.max_backoff), timeout_s=float(args.timeout))
    except ValueError:
        raise ValidationError("--attempts is a whole number and --backoff, --max-backoff and "
                              "--timeout are seconds.") from None
    if policy.attempts < 1 or min(policy.base_s, policy.cap_s) < 0 or policy.timeout_s <= 0:
        raise ValidationError("--attempts must be at least 1, the backoffs not negative and "
                              "--timeout above 0.")
    return policy
