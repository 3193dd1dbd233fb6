"""`kiosk sync`, `kiosk audit` and `kiosk central init`: the central server from the shell."""

from __future__ import annotations

import signal
import sys
import threading
from argparse import Namespace
from dataclasses import asdict

from kiosk import bootstrap
from kiosk.cli.output import to_json
from kiosk.services.sync import SyncService
from kiosk.services.sync_status import SyncState

SYNC_INTERVAL_S = 30.0


def cmd_sync(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    with kiosk.central() as central:
        service = SyncService(kiosk.context, central,
                              recall_watch=kiosk.daily_recall_watch())
        if not args.once:
            service.on_state(_print_state)
            stop = threading.Event()
            _stop_on_signals(stop)
            service.run_forever(stop, SYNC_INTERVAL_S)
            print("Sync stopped; the queue is kept for the next start.", flush=True)
            return 0
        report = service.run_once()
    if args.json:
        print(to_json(asdict(report)))
    else:
        print(f"Pushed {report.pushed}, pulled {report.pulled}, quarantined "
              f"{report.quarantined}, {report.remaining} still queued.")
    if report.error:
        print(f"kiosk: {report.error}", file=sys.stderr)
        return 1
    return 0


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd stopping the unit) and Ctrl-C end the loop after the current round,
    whose transactions then finish instead of being cut off."""
    def handler(signum, frame) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _print_state(state: SyncState) -> None:
    when = state.last_sync.isoformat(timespec="seconds") if state.last_sync else "never"
    error = f"; {state.last_error}" if state.last_error else ""
    error += f"; {state.recall_watch}" if state.recall_watch else ""
    print(f"{state.connection.value}: {state.queue_depth} queued, {state.quarantined} "
          f"quarantined, last sync {when}{error}", flush=True)


def cmd_audit(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    with kiosk.central() as central:
        drifts = central.audit()
    if args.json:
        print(to_json({"ok": not drifts, "drifts": [asdict(d) for d in drifts]}))
    elif drifts:
        for drift in drifts:
            print(f"DRIFT {drift.what}: stored {drift.stored}, ledger says {drift.from_ledger}")
    else:
        print("No drift: central stock and cost summaries match the ledger.")
    return 1 if drifts else 0


def cmd_central(args: Namespace) -> int:
    created = bootstrap.central_init(args.config)
    if created:
        print(f"Central schema ready; created {len(created)} index(es).")
    else:
        print("Central schema was already complete; nothing to create.")
    return 0
