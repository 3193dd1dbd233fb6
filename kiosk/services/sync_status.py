"""What the sync service reports: one round's counts and the state a screen shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Connection(StrEnum):
    UNKNOWN = "unknown"  # no round has run yet
    ONLINE = "online"
    OFFLINE = "offline"  # unreachable or transient failure: retrying with backoff
    REFUSED = "refused"  # credentials or configuration: waits for a person and sync_now()


@dataclass(frozen=True)
class SyncReport:
    """One round: events pushed and quarantined now, records pulled, events still queued."""

    pushed: int = 0
    pulled: int = 0
    quarantined: int = 0
    remaining: int = 0
    online: bool = False
    error: str | None = None


@dataclass(frozen=True)
class SyncState:
    """The sync status a screen shows; ``quarantined`` counts every quarantined event."""

    connection: Connection = Connection.UNKNOWN
    queue_depth: int = 0
    quarantined: int = 0
    last_sync: datetime | None = None
    last_error: str | None = None
    syncing: bool = False
    next_attempt_in_s: float | None = None  # None while syncing or waiting for sync_now()
    recall_watch: str | None = None  # the last daily recall watch run, in one sentence

    @property
    def online(self) -> bool:
        return self.connection is Connection.ONLINE
