"""Before a sync round pushes anything: make sure this data directory may sync as its kiosk,
and that its unsent events carry sequences the server does not hold yet (issue 14).

* **One data directory per kiosk id.** Each directory syncs under a token of its own, which
  the server keeps on the kiosk's Workstation document. A copied or moved directory loses its
  token (the store ties it to the host and file), so a copy finds the kiosk held by its
  original and is refused with one sentence; nothing is sent and nothing is lost. ``kiosk
  restore`` asks the restored file to take the kiosk over instead.
* **Sequences that cannot rewind.** A restored older backup hands out sequences the server
  already holds for events of the lost future. The server's highest kioskSeq is read every
  round (one indexed look-up); when it is above the local counter, or an unsent event's
  sequence is held centrally by another event, the unsent events the server has not applied
  are renumbered above it, in their order, and the counter continues from there. Events the
  server already applied (a lost reply) keep their sequence and contents, so the receipts
  acknowledge them exactly once.
"""

from __future__ import annotations

import logging
import secrets

from kiosk.domain.errors import CentralRefused
from kiosk.services.context import ServiceContext
from kiosk.services.ports import LocalClaim, OutboxEntry
from kiosk.services.sync_ports import CentralStore, KioskClaim

log = logging.getLogger(__name__)
QUARANTINED = "QUARANTINED"
ALL_UNSENT = 1_000_000_000


def prepare_session(ctx: ServiceContext, central: CentralStore) -> None:
    """Raise CentralRefused when another data directory syncs as this kiosk; else renumber
    what must be renumbered. CentralUnavailable passes through (nothing was changed)."""
    claim_kiosk(ctx, central)
    continue_above_central(ctx, central)


def claim_kiosk(ctx: ServiceContext, central: CentralStore) -> None:
    with ctx.store.read() as tx:
        local = tx.kiosk_claim()
        identity = tx.identity()
    token = local.token
    if token is None:  # kept before the server hears of it, so a crash cannot orphan it
        token = secrets.token_hex(16)
        with ctx.store.write() as tx:
            tx.keep_kiosk_claim(token, takeover=local.takeover)
    holder = central.claim_kiosk(KioskClaim(token, local.place, identity.workstation_id),
                                 takeover=local.takeover)
    if holder is not None:
        raise CentralRefused(refusal(identity.kiosk_id, holder, local))
    if local.takeover:
        with ctx.store.write() as tx:
            tx.keep_kiosk_claim(token, takeover=False)
        log.info("This data directory took kiosk %s over after a restore.", identity.kiosk_id)


def refusal(kiosk_id: str, holder: KioskClaim, local: LocalClaim) -> str:
    return (f"Kiosk {kiosk_id} already syncs from workstation {holder.workstation_id} "
            f"({holder.place}), so this copy of its data directory ({local.place}) must not "
            "sync under the same kiosk id: run `kiosk init --replace-kiosk` here to give it a "
            "kiosk id of its own (its unsynced events are kept and sent).")


def continue_above_central(ctx: ServiceContext, central: CentralStore) -> int:
    """Renumber the unsent events that would collide centrally; returns how many moved."""
    with ctx.store.read() as tx:
        state = tx.sequence_state()
    highest = central.highest_seq()
    if highest is None:
        return 0
    lowest = state.lowest_unsent
    if highest <= state.last_seq and (lowest is None or highest < lowest):
        return 0  # the usual round: nothing unsent at or below what the server holds
    with ctx.store.read() as tx:
        unsent = sorted(tx.unsynced_events(ALL_UNSENT), key=lambda e: e.kiosk_seq)
    view = central.sequences([e.kiosk_seq for e in unsent], [e.event_id for e in unsent])
    top = max(highest, view.highest)

    def taken(entry: OutboxEntry) -> bool:
        return view.held.get(entry.kiosk_seq, entry.event_id) != entry.event_id

    stranded = [e for e in unsent if e.event_id not in view.applied and taken(e)]
    if top <= state.last_seq and not stranded:
        return 0  # only lost replies: their receipts acknowledge them as they are
    moving = [e.event_id for e in unsent if e.event_id not in view.applied
              and (e.state != QUARANTINED or taken(e))]
    with ctx.store.write() as tx:
        last = tx.resequence(moving, above=top, recorded_after=state.last_seq)
    log.warning("The server already holds sequences up to %s of this kiosk (a restored or "
                "older database); %d unsent event(s) now follow it, up to %s.",
                top, len(moving), last)
    return len(moving)
