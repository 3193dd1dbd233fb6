"""A kiosk process driven by a script: scan supplies one placement at a time, pushing to the
central server every few scans. The fault test SIGKILLs it at random moments and restarts it.

Run as ``python scan_worker.py CONFIG TOTAL PUSH_EVERY``. Scan number N is recorded with the
note ``fault-scan-N``; on start the worker resumes after the highest scan already committed
(as a person re-scans only what did not beep). It prints, one line each, flushed:

- ``try N`` as scan N starts, and ``ack N USAGE_ID`` once its transaction has committed
  (the acknowledgement);
- ``push`` before a push to the central server, ``pushed PUSHED REMAINING`` or
  ``offline`` after it;
- ``done`` when every scan up to TOTAL is recorded.
"""

from __future__ import annotations

import sys

from kiosk.adapters.mongo.central import MongoCentral
from kiosk.bootstrap import open_kiosk
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.sync_push import push_pending

SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F")
KINDS = ("BRACKET", "WIRE")
PATIENT, ASSISTANT = "C-10239", "B1001"
NOTE = "fault-scan-"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def last_scan_recorded(ctx) -> int:
    with ctx.store.read() as tx:
        notes = [u.notes for u in tx.usages() if u.notes and u.notes.startswith(NOTE)]
    return max((int(n.removeprefix(NOTE)) for n in notes), default=0)


def main(config: str, total: int, push_every: int) -> None:
    kiosk = open_kiosk(config)
    ctx = kiosk.context
    with ctx.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    central = MongoCentral.from_uri(kiosk.config.mongo_uri, kiosk.config.clinic_id, kiosk_id)
    try:
        for n in range(last_scan_recorded(ctx) + 1, total + 1):
            say(f"try {n}")
            command = PlaceSupplies(patient=PATIENT, appliance_type=KINDS[n % 2],
                                    scans=[SCANS[n % 2]], notes=f"{NOTE}{n}")
            [usage] = deduct_for_appliance(ctx, ASSISTANT, command)
            say(f"ack {n} {usage.id}")
            if n % push_every == 0:
                say("push")
                try:
                    report = push_pending(ctx, central, batch_size=50)
                    say(f"pushed {report.pushed} {report.remaining}")
                except CentralUnavailable:
                    say("offline")
        say("done")
    finally:
        central.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
