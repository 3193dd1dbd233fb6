"""The webhook dispatcher over fakes: signed POSTs to the webhooks that asked, retries with
backoff then a dead letter, the cursor saved only after each change is done, a settled event
never sent again, and adding a webhook needs admin:configure and an http(s) URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from clinic_data import ID

from kiosk.domain.errors import NotFound, PermissionDenied, ValidationError
from kiosk.domain.webhooks import RetryPolicy, signature_valid
from kiosk.services.webhook_ports import (
    Change,
    ChangeFeed,
    Cursor,
    DeliveryAttempt,
    DeliveryFailed,
    Poster,
    Webhook,
    WebhookPorts,
    WebhookStatus,
    WebhookStore,
)
from kiosk.services.webhooks import WebhookDispatcher, add_webhook, remove_webhook

CLINIC = ID(1)
AT = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)


class FakeWebhookStore(WebhookStore):
    def __init__(self) -> None:
        self.hooks: dict[str, Webhook] = {}
        self.saved: list[Cursor] = []
        self.attempts: list[DeliveryAttempt] = []

    def add(self, webhook): self.hooks[webhook.id] = webhook
    def remove(self, webhook_id): return self.hooks.pop(webhook_id, None) is not None
    def webhooks(self): return list(self.hooks.values())
    def cursor(self): return self.saved[-1] if self.saved else None
    def save_cursor(self, cursor): self.saved.append(cursor)
    def log(self, attempt): self.attempts.append(attempt)
    def close(self): pass

    def settled(self, event_id, webhook_id):
        return any(a.event_id == event_id and a.webhook_id == webhook_id
                   and a.outcome != "failed" for a in self.attempts)

    def statuses(self) -> list[WebhookStatus]:
        raise AssertionError("not used here")


class FakeFeed(ChangeFeed):
    def __init__(self, changes: list[Change]) -> None:
        self.pending = changes
        self.drained = False

    def position(self): return {"_data": "start"}
    def items_at_or_below_reorder_point(self): return frozenset({ID(899)})

    def changes(self, after) -> Iterator[Change | None]:
        yield from self.pending
        self.drained = True  # the dispatcher stops at the idle tick after the last change
        yield None


class ScriptedPoster(Poster):
    def __init__(self, answers: list[int | Exception]) -> None:
        self.answers, self.sent = answers, []

    def post(self, url, body, headers, timeout_s):
        self.sent.append((url, body, dict(headers)))
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return answer


def usage(n: int) -> Change:
    return Change(key=f"k{n}", token={"_data": f"k{n}"}, kind="usage", operation="insert",
                  document={"_id": ID(500 + n), "clinicId": CLINIC, "quantity": 1}, updated={},
                  at=AT)


def hook(n: int, events=("usage.recorded",)) -> Webhook:
    return Webhook(ID(100 + n), f"http://127.0.0.1:9/{n}", events, f"whsec_{n}", ID(14), AT)


POLICY = RetryPolicy(attempts=3, base_s=1, cap_s=5)


def dispatch(clinic, store, feed, poster):
    slept: list[float] = []
    WebhookDispatcher(clinic.ctx, WebhookPorts(store, feed, poster), CLINIC, POLICY,
                      slept.append, lambda: feed.drained).run()
    return slept


def test_each_event_goes_signed_to_the_webhooks_that_asked_for_it(clinic):
    store, poster = FakeWebhookStore(), ScriptedPoster([])
    store.add(hook(1))
    store.add(hook(2, events=("lot.recalled",)))
    dispatch(clinic, store, FakeFeed([usage(1), usage(2)]), poster)
    assert [url for url, _, _ in poster.sent] == ["http://127.0.0.1:9/1"] * 2
    for _, body, headers in poster.sent:
        assert signature_valid("whsec_1", headers["X-Kiosk-Timestamp"], body,
                               headers["X-Kiosk-Signature"])
        assert headers["X-Kiosk-Event"] == "usage.recorded"
        assert headers["X-Kiosk-Event-Id"] == json.loads(body)["id"]
    assert [c.token for c in store.saved] == [{"_data": "start"}, {"_data": "k1"},
                                              {"_data": "k2"}]
    assert store.saved[0].below == frozenset({ID(899)})  # already low when watching began


def test_failures_back_off_then_dead_letter_and_the_cursor_moves_on(clinic):
    store = FakeWebhookStore()
    poster = ScriptedPoster([500, DeliveryFailed("refused"), 503, 200])
    store.add(hook(1))
    slept = dispatch(clinic, store, FakeFeed([usage(1), usage(2)]), poster)
    assert slept == [1, 2]  # between the three tries of the first event; the second: one
    assert [(a.attempt, a.status_code, a.outcome) for a in store.attempts] == [
        (1, 500, "failed"), (2, None, "failed"), (3, 503, "dead-letter"),
        (1, 200, "delivered")]
    assert store.attempts[1].error == "refused"
    assert store.cursor().token == {"_data": "k2"}


def test_the_cursor_is_not_saved_past_a_change_whose_delivery_was_cut_short(clinic):
    store, poster = FakeWebhookStore(), ScriptedPoster([500, 500, 500])
    store.add(hook(1))
    calls = {"n": 0}

    def stopping() -> bool:  # asked to stop while waiting before the second try
        calls["n"] += 1
        return calls["n"] > 1

    WebhookDispatcher(clinic.ctx, WebhookPorts(store, FakeFeed([usage(1)]), poster), CLINIC,
                      RetryPolicy(attempts=3, base_s=1), lambda _: None, stopping).run()
    assert len(poster.sent) == 1
    assert [c.token for c in store.saved] == [{"_data": "start"}]


def test_an_event_already_delivered_is_not_sent_again_after_a_restart(clinic):
    store, poster = FakeWebhookStore(), ScriptedPoster([])
    store.add(hook(1))
    dispatch(clinic, store, FakeFeed([usage(1)]), poster)
    store.saved.clear()  # killed before the cursor was saved: the change is read again
    dispatch(clinic, store, FakeFeed([usage(1), usage(2)]), poster)
    ids = [json.loads(body)["data"]["id"] for _, body, _ in poster.sent]
    assert ids == [ID(501), ID(502)]


def test_adding_needs_admin_configure_and_an_http_url_and_seeds_the_cursor(clinic):
    store, feed = FakeWebhookStore(), FakeFeed([])
    ports = WebhookPorts(store, feed, ScriptedPoster([]))
    with pytest.raises(PermissionDenied):
        add_webhook(clinic.ctx, ports, "B1", "https://fin.example.org/h", ["usage.recorded"])
    with pytest.raises(ValidationError, match="http"):
        add_webhook(clinic.ctx, ports, "B4", "ftp://fin.example.org/h", ["usage.recorded"])
    assert store.hooks == {} and store.saved == []
    added = add_webhook(clinic.ctx, ports, "B4", "https://fin.example.org/h",
                        ["usage.recorded,lot.recalled"])
    assert added.events == ("usage.recorded", "lot.recalled") and added.created_by == ID(14)
    assert store.cursor().token == {"_data": "start"}  # events from now on are kept
    with pytest.raises(NotFound):
        remove_webhook(clinic.ctx, ports, "B4", ID(999))
    remove_webhook(clinic.ctx, ports, "B4", added.id)
    assert store.hooks == {}
