"""Push the outbox to the central store: oldest events first, marked only once acknowledged.

A batch is marked acknowledged (or quarantined) locally only after the server committed it
(majority, journaled). If the server's answer is lost, the events stay pending and the next
push finds them applied (same payload hash) and acknowledges them without applying twice.

Events go strictly in ``kioskSeq`` order: a failed batch stays at the head of the queue, with
no wall-clock time to wait for. (It used to be held until "now" by the wall clock, so a clock
set back after a failure kept it waiting while later events, a void of it among them, went
ahead.) When to try again is the sync loop's backoff, timed on the monotonic clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.errors import CentralRefused, CentralUnavailable
from kiosk.services.context import ServiceContext
from kiosk.services.sync_ports import CentralStore

DEFAULT_BATCH = 500  # ~0.3 s of server work a batch, far from the 60 s transaction limit
# The window's sync thread shares the interpreter lock with the chair: encoding and decoding a
# batch holds it in C for a stretch that grows with the batch, and a scan waits behind it.
# 100 keeps the scan-to-row p99 within two frames while a backlog drains (make bench, chair).
CHAIRSIDE_BATCH = 100


@dataclass(frozen=True)
class PushReport:
    pushed: int
    quarantined: int
    remaining: int


def push_pending(ctx: ServiceContext, central: CentralStore,
                 batch_size: int = DEFAULT_BATCH) -> PushReport:
    """Drain every due pending event in batches; raise the central error after noting it on
    the batch it hit (CentralUnavailable: retry later; CentralRefused: a person must act)."""
    pushed = quarantined = 0
    while True:
        with ctx.store.read() as tx:
            events = tx.pending_events(batch_size)
        if not events:
            break
        try:
            outcome = central.push(events)
        except (CentralUnavailable, CentralRefused) as error:
            with ctx.store.write() as tx:
                tx.record_failure([e.event_id for e in events], str(error))
            raise
        reasons: dict[str, list[str]] = {}
        for event_id, reason in outcome.quarantined.items():
            reasons.setdefault(reason, []).append(event_id)
        with ctx.store.write() as tx:
            if outcome.acknowledged:
                tx.mark_acknowledged(outcome.acknowledged, ctx.now())
            for reason, event_ids in reasons.items():
                tx.mark_quarantined(event_ids, reason)
        pushed += len(outcome.acknowledged)
        quarantined += len(outcome.quarantined)
        if not outcome.acknowledged and not outcome.quarantined:
            break  # the server settled nothing: do not spin on the same batch
    with ctx.store.read() as tx:
        remaining = tx.outbox_counts().pending
    return PushReport(pushed=pushed, quarantined=quarantined, remaining=remaining)


def push_chairside(ctx: ServiceContext, central: CentralStore) -> PushReport:
    """``push_pending`` in the small batches the kiosk window's sync thread uses."""
    return push_pending(ctx, central, CHAIRSIDE_BATCH)
