"""`kiosk queue`: the quarantined events with their reasons, and sending one (or all) again
once the cause is fixed (issue 14). A retried event goes back to PENDING unchanged; the
server's receipt of its id decides, as for every push, so it is applied at most once: an
event already applied with the same contents is acknowledged, one with other contents is
quarantined again."""

from __future__ import annotations

from kiosk.domain.errors import NotFound, ValidationError
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize
from kiosk.services.ports import OutboxEntry

QUARANTINED = "QUARANTINED"
EVERY_EVENT = 1_000_000_000


def quarantined_events(ctx: ServiceContext, actor: str | None = None) -> list[OutboxEntry]:
    """Oldest first. With no actor, as the operator at this workstation's shell (who can read
    the database anyway, as `kiosk doctor` does); a named actor needs admin:configure."""
    with ctx.store.read() as tx:
        if actor is not None:
            authorize(tx, actor, Permission.ADMIN_CONFIGURE)
        return [e for e in tx.unsynced_events(EVERY_EVENT) if e.state == QUARANTINED]


def retry_quarantined(ctx: ServiceContext, actor: str, event_id: str | None = None,
                      every: bool = False) -> list[str]:
    """Move one quarantined event (or ``every`` one) back to the queue (admin:configure);
    returns the ids moved. Nothing moves when a check fails."""
    if (event_id is None) == (not every):
        raise ValidationError("Name one event id or --all to retry; `kiosk queue` lists the "
                              "quarantined events.")
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.ADMIN_CONFIGURE)
        entries = tx.unsynced_events(EVERY_EVENT)
        if every:
            wanted = [e.event_id for e in entries if e.state == QUARANTINED]
        else:
            wanted = [_quarantined(entries, (event_id or "").strip().lower())]
        return tx.requeue(wanted)


def _quarantined(entries: list[OutboxEntry], event_id: str) -> str:
    found = next((e for e in entries if e.event_id == event_id), None)
    if found is None:
        raise NotFound(f"No quarantined event has the id {event_id!r} (it is synced already, "
                       "or unknown); `kiosk queue` lists the quarantined ones.")
    if found.state != QUARANTINED:
        raise ValidationError(f"Event {event_id} is not quarantined (it is waiting to sync); "
                              "there is nothing to retry.")
    return event_id
