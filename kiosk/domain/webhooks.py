"""Webhooks for Financial and Reporting: the event types, the signature and the retry delays.

A receiver checks ``X-Kiosk-Signature: sha256=<hex>``, the HMAC-SHA256 with the webhook's
secret over ``<X-Kiosk-Timestamp>.<raw body>`` (the timestamp inside the signed text, so a
captured request cannot be replayed later with a new timestamp), and drops an event id it has
already seen: delivery is at least once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.domain.errors import ValidationError

USAGE_RECORDED = "usage.recorded"
USAGE_VOIDED = "usage.voided"
STOCK_REORDER_POINT = "stock.reorder-point"
LOT_RECALLED = "lot.recalled"
EVENT_TYPES = (USAGE_RECORDED, USAGE_VOIDED, STOCK_REORDER_POINT, LOT_RECALLED)

SIGNATURE_HEADER = "X-Kiosk-Signature"
TIMESTAMP_HEADER = "X-Kiosk-Timestamp"
EVENT_HEADER = "X-Kiosk-Event"
ID_HEADER = "X-Kiosk-Event-Id"
_EVENT_NAMESPACE = uuid.UUID("5d1f7c52-3b1e-4f0e-9a43-6a0b8c9e2f10")


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the delay before try n+1 is ``base_s`` * 2**(n-1), at most
    ``cap_s``. After the last failed try the event is dead-lettered."""

    attempts: int = 6
    base_s: float = 2.0
    cap_s: float = 300.0
    timeout_s: float = 10.0  # one POST, connect and read

    def delays(self) -> list[float]:
        """The waits between the tries (one fewer than ``attempts``)."""
        return [min(self.cap_s, self.base_s * 2 ** n) for n in range(self.attempts - 1)]


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is ``body``'s signature (constant-time), as a receiver checks it."""
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def event_id(change_key: str) -> str:
    """A stable id for the event made of one central change: the same change read again after
    a restart gets the same id, so receivers can drop the repeat."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, change_key))


def checked_url(url: str) -> str:
    """The receiver's URL, or ValidationError in one sentence unless it is http(s) with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"The webhook URL {url[:80]!r} is not an http:// or https:// "
                              "address with a host; give the receiver's full URL.")
    return url.strip()


def checked_events(names: Iterable[str]) -> tuple[str, ...]:
    """The event types asked for (comma- or space-separated), known ones only, in order."""
    wanted = [n.strip() for name in names for n in name.replace(",", " ").split() if n.strip()]
    unknown = [n for n in wanted if n not in EVENT_TYPES]
    if unknown or not wanted:
        raise ValidationError(f"Unknown or missing webhook event {', '.join(unknown) or '(none)'}"
                              f"; choose from {', '.join(EVENT_TYPES)}.")
    return tuple(dict.fromkeys(wanted))
