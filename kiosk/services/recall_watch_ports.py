"""Ports of the recall watch (issue 16): the openFDA feed, and where the watch keeps what it
has seen, the alerts it raised and who acknowledged them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain.errors import KioskError

SYSTEM_PRINCIPAL = "recall-watch"  # who applies recalls on the daily run (no one signed in)
WATCH, FILE = "watch", "file"  # where an alert's recall came from


class RecallFeedUnavailable(KioskError):
    """The feed could not be read (down, refusing, rate-limited, or answering nonsense); one
    sentence. Nothing was changed, and the next run asks again."""


@dataclass(frozen=True)
class FeedQuery:
    """What concerns this clinic: its devices' FDA product codes and its suppliers' names,
    posted from ``since`` to ``until`` (both inclusive)."""

    product_codes: tuple[str, ...]
    firms: tuple[str, ...]
    since: date
    until: date


class RecallFeed(ABC):
    """A source of device recall records (openFDA's ``results`` objects, unchanged)."""

    @abstractmethod
    def fetch(self, query: FeedQuery) -> list[dict[str, object]]:
        """Every record of the query, all pages; ``RecallFeedUnavailable`` when it cannot
        be read. Talks to the network."""


@dataclass(frozen=True)
class RecallAlert:
    """A recall that marked lots of this clinic, or that may mean some (a match on the
    product description's words only, never marked), on show until a manager acknowledges
    it."""

    recall_number: str
    lots_marked: int
    applied_at: datetime
    applied_by: str  # SYSTEM_PRINCIPAL or the staff id who ran it
    authorized_by: str  # the staff id whose authority marked the lots
    source: str = WATCH  # WATCH or FILE
    acknowledged_by: str | None = None  # staff id
    acknowledged_at: datetime | None = None
    # the recall's identifiers as its record named them ("" where the record said nothing)
    event_number: str = ""
    firm: str = ""
    classification: str = ""  # enforcement records only
    status: str = ""
    reason: str = ""
    to_review: int = 0  # items the recall may mean, by words only (not marked)
    review: str = ""  # which items and lots, in one sentence

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def banner(self) -> str:
        parts = []
        if self.lots_marked or not self.to_review:
            parts.append(f"{self.lots_marked} lot{'s' if self.lots_marked != 1 else ''} "
                         "marked RECALLED")
        if self.to_review:
            parts.append(f"{self.to_review} possible match{'es' if self.to_review != 1 else ''}"
                         " to review")
        return f"Device recall {self.recall_number}: {', '.join(parts)} — see Recalls"

    @property
    def identity(self) -> str:
        """Firm, classification, status and event in one line ("" when none is known)."""
        parts = [self.firm, self.classification, self.status,
                 f"event {self.event_number}" if self.event_number else ""]
        return " · ".join(p for p in parts if p)


class RecallWatchLog(ABC):
    """What the watch has seen and raised. Implementations say whether they are the
    kiosk's own or the clinic's (central); each call is one transaction."""

    @abstractmethod
    def seen(self, recall_ids: Iterable[str]) -> set[str]:
        """Those of ``recall_ids`` already handled (by this kiosk, or any of the clinic's)."""

    @abstractmethod
    def last_run(self) -> datetime | None:
        """When the last successful watch run finished; None before the first."""

    @abstractmethod
    def record_run(self, at: datetime, recall_ids: Iterable[str],
                   alerts: Iterable[RecallAlert]) -> list[RecallAlert]:
        """Remember a successful run: the ids it handled and the alerts it raised; returns
        the alerts actually new (one another kiosk raised first is left out)."""

    @abstractmethod
    def add_alerts(self, alerts: Iterable[RecallAlert]) -> None:
        """Raise alerts outside a watch run (a recall file imported); one already raised
        for the same recall stays as it is."""

    @abstractmethod
    def alerts(self, open_only: bool = True) -> list[RecallAlert]:
        """The alerts, newest first."""

    @abstractmethod
    def acknowledge(self, recall_number: str, by: str, at: datetime) -> RecallAlert | None:
        """Record who acknowledged the recall's alert and when (the first acknowledgement
        stays); None when there is no alert for that recall."""
