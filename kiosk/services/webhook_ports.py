"""The ports of the webhook dispatcher: where webhooks and their cursor live, the clinic's
change feed, and the HTTP POST. The MongoDB and urllib adapters implement them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Outcome = Literal["delivered", "failed", "dead-letter"]


@dataclass(frozen=True)
class Webhook:
    id: str
    url: str
    events: tuple[str, ...]
    secret: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class WebhookStatus:
    """What `kiosk api webhook list`, `fleet` and `doctor` show of one webhook (no secret)."""

    id: str
    url: str
    events: tuple[str, ...]
    created_at: datetime
    dead_letters: int
    last_delivery_at: datetime | None
    last_status: int | None

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "url": self.url, "events": list(self.events),
                "createdAt": self.created_at.isoformat(timespec="seconds"),
                "deadLetters": self.dead_letters,
                "lastDeliveryAt": (self.last_delivery_at.isoformat(timespec="seconds")
                                   if self.last_delivery_at else None),
                "lastStatus": self.last_status}


@dataclass(frozen=True)
class Cursor:
    """Where the clinic's dispatcher resumes, and the items it last saw at or below their
    reorder point (so a further fall is not a second crossing)."""

    token: Mapping[str, object]
    below: frozenset[str]


@dataclass(frozen=True)
class Change:
    """One central change, as plain values: ids as hex text, money Decimal, times aware."""

    key: str  # the change's resume token as text: the same every time it is read
    token: Mapping[str, object]
    kind: Literal["usage", "item", "lot"]
    operation: str  # insert | update | replace
    document: Mapping[str, object]  # the document after the change
    updated: Mapping[str, object]  # the fields an update set, with their new values
    at: datetime | None  # when the server applied it, when it says


@dataclass(frozen=True)
class DeliveryAttempt:
    event_id: str
    event_type: str
    webhook_id: str
    attempt: int
    status_code: int | None
    error: str | None
    at: datetime
    outcome: Outcome


class DeliveryFailed(Exception):
    """The POST got no HTTP answer (refused, timed out); ``str()`` says which, briefly."""


class WebhookStore(ABC):
    """The clinic's webhooks, the dispatcher's cursor and the delivery log (central)."""

    @abstractmethod
    def add(self, webhook: Webhook) -> None: ...

    @abstractmethod
    def remove(self, webhook_id: str) -> bool:
        """Whether a webhook of this clinic with that id was removed."""

    @abstractmethod
    def webhooks(self) -> list[Webhook]: ...

    @abstractmethod
    def cursor(self) -> Cursor | None: ...

    @abstractmethod
    def save_cursor(self, cursor: Cursor) -> None: ...

    @abstractmethod
    def log(self, attempt: DeliveryAttempt) -> None:
        """Record one attempt; a dead letter also counts on its webhook."""

    @abstractmethod
    def settled(self, event_id: str, webhook_id: str) -> bool:
        """Whether the event already reached the webhook or was dead-lettered for it (a
        restarted dispatcher reads the changes after its cursor again)."""

    @abstractmethod
    def statuses(self) -> list[WebhookStatus]: ...

    @abstractmethod
    def close(self) -> None:
        """Let go of the connection, if the store keeps one."""


class ChangeFeed(ABC):
    """The clinic's usages, items and lots as they change."""

    @abstractmethod
    def position(self) -> Mapping[str, object]:
        """A token for "now": changes after it are read by ``changes(token)``."""

    @abstractmethod
    def items_at_or_below_reorder_point(self) -> frozenset[str]: ...

    @abstractmethod
    def changes(self, after: Mapping[str, object]) -> Generator[Change | None, None, None]:
        """Changes after ``after``, oldest first, forever; ``None`` when a short wait brought
        nothing (so the caller can look at its stop flag)."""


class Poster(ABC):
    @abstractmethod
    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout_s: float) -> int:
        """The HTTP status of POSTing ``body``; DeliveryFailed without an answer."""


@dataclass(frozen=True)
class WebhookPorts:
    store: WebhookStore
    feed: ChangeFeed
    poster: Poster
