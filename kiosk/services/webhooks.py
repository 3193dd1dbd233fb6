"""Webhooks per clinic (issue 17 item 5): add, list and remove them, and the dispatcher that
turns the clinic's central changes into signed POSTs.

Delivery is at least once: the dispatcher saves its cursor (the change stream's resume token)
only after every webhook took the change's event or had it dead-lettered, so a dispatcher
killed at any moment resumes at the first change not yet done, and a receiver drops an event
id it has already seen. Webhooks are served one change at a time, in order: a receiver that
keeps failing delays the others by at most its retry budget per event (``RetryPolicy``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

from kiosk.domain.errors import NotFound
from kiosk.domain.ids import new_object_id
from kiosk.domain.permissions import Permission
from kiosk.domain.webhooks import (
    EVENT_HEADER,
    ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    RetryPolicy,
    checked_events,
    checked_url,
    new_secret,
    sign,
)
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize, authorize_reader
from kiosk.services.webhook_events import WebhookEvent, events_for
from kiosk.services.webhook_ports import (
    Cursor,
    DeliveryAttempt,
    DeliveryFailed,
    Outcome,
    Webhook,
    WebhookPorts,
    WebhookStatus,
)

log = logging.getLogger(__name__)


def add_webhook(ctx: ServiceContext, ports: WebhookPorts, actor: str, url: str,
                events: list[str]) -> Webhook:
    """A new webhook of the clinic (admin:configure); its secret is in the result, once.
    Events from now on reach it even while no dispatcher runs yet."""
    url, wanted = checked_url(url), checked_events(events)
    with ctx.store.read() as tx:
        staff = authorize(tx, actor, Permission.ADMIN_CONFIGURE)
    webhook = Webhook(new_object_id(), url, wanted, new_secret(), staff.id, ctx.now())
    if ports.store.cursor() is None:
        ports.store.save_cursor(_cursor_now(ports))
    ports.store.add(webhook)
    return webhook


def remove_webhook(ctx: ServiceContext, ports: WebhookPorts, actor: str, webhook_id: str) -> None:
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.ADMIN_CONFIGURE)
    if not ports.store.remove(webhook_id):
        raise NotFound(f"This clinic has no webhook {webhook_id[:40]}; "
                       "`kiosk api webhook list` shows their ids.")


def webhook_statuses(ctx: ServiceContext, ports: WebhookPorts,
                     actor: str | None = None) -> list[WebhookStatus]:
    """The clinic's webhooks with their dead-letter count and last delivery (no secrets)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
    return ports.store.statuses()


def _cursor_now(ports: WebhookPorts) -> Cursor:
    return Cursor(ports.feed.position(), ports.feed.items_at_or_below_reorder_point())


@dataclass
class WebhookDispatcher:
    """The long-running delivery loop of one clinic (`kiosk api webhooks run`)."""

    ctx: ServiceContext
    ports: WebhookPorts
    clinic_id: str
    policy: RetryPolicy
    sleep: Callable[[float], object]  # returns early when stopping is asked for
    stopping: Callable[[], bool]

    def run(self) -> None:
        """Deliver changes until ``stopping()``; the cursor moves only past finished work."""
        store = self.ports.store
        cursor = store.cursor()
        if cursor is None:
            cursor = _cursor_now(self.ports)
            store.save_cursor(cursor)
        with closing(self.ports.feed.changes(cursor.token)) as changes:
            for change in changes:
                if self.stopping():
                    return
                if change is None:
                    continue
                events, below = events_for(change, self.clinic_id, cursor.below,
                                           self.ctx.now())
                if not self._deliver_all(events):
                    return  # stopped mid-change: the cursor stays, the change is read again
                cursor = Cursor(change.token, below)
                store.save_cursor(cursor)

    def _deliver_all(self, events: list[WebhookEvent]) -> bool:
        """Every subscribed webhook takes each event (or dead-letters it); False when
        stopping cut that short."""
        for event in events:
            for webhook in self.ports.store.webhooks():
                if event.type in webhook.events:
                    self._deliver(webhook, event)
                    if self.stopping():
                        return False
        return True

    def _deliver(self, webhook: Webhook, event: WebhookEvent) -> None:
        if self.ports.store.settled(event.id, webhook.id):
            return
        body = event.body()
        delays = self.policy.delays()
        for attempt in range(1, self.policy.attempts + 1):
            status, error = self._post(webhook, event, body)
            ok = status is not None and 200 <= status < 300
            last = attempt == self.policy.attempts
            outcome: Outcome = "delivered" if ok else "dead-letter" if last else "failed"
            self.ports.store.log(DeliveryAttempt(event.id, event.type, webhook.id, attempt,
                                                 status, error, self.ctx.now(), outcome))
            if ok:
                return
            if last:
                log.warning("Webhook %s: event %s dead-lettered after %d attempts.",
                            webhook.id, event.id, attempt)
                return
            self.sleep(delays[attempt - 1])
            if self.stopping():
                return

    def _post(self, webhook: Webhook, event: WebhookEvent, body: bytes
              ) -> tuple[int | None, str | None]:
        timestamp = str(int(self.ctx.now().timestamp()))
        headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
                   SIGNATURE_HEADER: sign(webhook.secret, timestamp, body),
                   EVENT_HEADER: event.type, ID_HEADER: event.id}
        try:
            return self.ports.poster.post(webhook.url, body, headers,
                                          self.policy.timeout_s), None
        except DeliveryFailed as failure:
            return None, str(failure)[:200]
