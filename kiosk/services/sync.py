"""SyncService: push the outbox, pull the catalog and send a heartbeat, on an interval and on
demand, and report the state through callbacks.

A plain object without Qt or threads of its own: ``kiosk/ui/common/workers.py`` runs ``run_forever``
on a worker thread and re-emits the state callbacks as Qt signals (core → callbacks → signals).

Retry policy (ARCHITECTURE §7): ``CentralUnavailable`` backs off exponentially with full
jitter (base 1 s, cap 300 s) and never gives up; ``CentralRefused`` stops automatic rounds and
keeps its cause on show until ``sync_now()``; any other kiosk error (a local database
problem, central records the kiosk cannot take) is reported and retried at the interval.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from kiosk import __version__
from kiosk.domain.errors import CentralRefused, CentralUnavailable, KioskError
from kiosk.services.context import ServiceContext
from kiosk.services.ports import Clock
from kiosk.services.sync_ports import CentralStore, WorkstationStatus
from kiosk.services.sync_pull import CatalogDataError, pull_catalog
from kiosk.services.sync_push import push_pending
from kiosk.services.sync_session import prepare_session
from kiosk.services.sync_status import Connection, SyncReport, SyncState

log = logging.getLogger(__name__)

BASE_S = 1.0
CAP_S = 300.0
DEFAULT_INTERVAL_S = 60.0
POLL_S = 0.2  # how soon run_forever notices ``stop`` while waiting


class DailyWatch(Protocol):
    def maybe_run(self) -> str | None:
        """Run when due; one sentence on what happened, None when it was not due."""
        ...


class PushResult(Protocol):  # read-only, so a frozen dataclass (PushReport) matches
    @property
    def pushed(self) -> int: ...
    @property
    def quarantined(self) -> int: ...
    @property
    def remaining(self) -> int: ...


PushFn = Callable[[ServiceContext, CentralStore], PushResult]
PullFn = Callable[[ServiceContext, CentralStore], int]
PrepareFn = Callable[[ServiceContext, CentralStore], object]
StateCallback = Callable[[SyncState], None]
Waiter = Callable[[float | None, threading.Event, threading.Event], None]


def backoff_delay(failures: int, rand: Callable[[], float] = random.random,
                  base_s: float = BASE_S, cap_s: float = CAP_S) -> float:
    """Full jitter: uniform in [0, min(cap, base · 2^(failures − 1))] after ``failures`` ≥ 1
    consecutive failures, so a fleet coming back online does not retry in step."""
    ceiling = min(cap_s, base_s * 2.0 ** min(max(failures - 1, 0), 32))
    return rand() * ceiling


def wait_for(seconds: float | None, stop: threading.Event, wake: threading.Event) -> None:
    """Block for ``seconds`` (None: until woken) or until ``stop`` or ``wake`` is set."""
    deadline = None if seconds is None else time.monotonic() + seconds
    while not (stop.is_set() or wake.is_set()):
        remaining = POLL_S if deadline is None else min(POLL_S, deadline - time.monotonic())
        if remaining <= 0:
            return
        wake.wait(remaining)


class SyncService:
    """Runs sync rounds for one kiosk against its clinic's central store.

    ``run_once``/``run_forever`` block on the network: call them from a worker thread, never
    from the GUI thread. ``sync_now``, ``on_state`` and ``state`` are thread-safe and return
    at once. State callbacks are called from whichever thread runs the round (any thread);
    a GUI must hand them over to its own thread (e.g. by emitting a Qt signal).
    """

    def __init__(self, ctx: ServiceContext, central: CentralStore, *,
                 push: PushFn = push_pending, pull: PullFn = pull_catalog,
                 prepare: PrepareFn = prepare_session,
                 clock: Clock | None = None, wait: Waiter = wait_for,
                 rand: Callable[[], float] = random.random, base_s: float = BASE_S,
                 cap_s: float = CAP_S, version: str = __version__,
                 recall_watch: DailyWatch | None = None) -> None:
        self._ctx, self._central = ctx, central
        self._push, self._pull, self._prepare = push, pull, prepare
        self._clock = clock or ctx.clock
        self._wait, self._rand = wait, rand
        self._base_s, self._cap_s, self._version = base_s, cap_s, version
        self._recall_watch = recall_watch
        self._lock = threading.Lock()  # guards state, callbacks and failures
        self._round = threading.Lock()  # one round at a time
        self._wake = threading.Event()
        self._state = SyncState()
        self._callbacks: list[StateCallback] = []
        self._failures = 0  # consecutive rounds that could not reach the server

    # observing
    @property
    def state(self) -> SyncState:
        with self._lock:
            return self._state

    def on_state(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(SyncState)`` on every change, from any thread; returns an
        unsubscribe function. A callback that raises is logged and otherwise ignored."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    # running
    def sync_now(self) -> None:
        """Ask ``run_forever`` for a round at once; also lifts the hold after a refusal."""
        self._wake.set()

    def run_forever(self, stop: threading.Event,
                    interval_s: float = DEFAULT_INTERVAL_S) -> None:
        """Rounds until ``stop`` is set: every ``interval_s`` while things go well, with
        backoff while the server is unreachable, and after a refusal only on ``sync_now``."""
        while not stop.is_set():
            self._wake.clear()
            try:
                self.run_once()
            except Exception:  # a bug must not end syncing for good; back off and retry
                log.exception("Sync round failed unexpectedly")
                self._round_failed_unexpectedly()
            delay = self._next_delay(interval_s)
            self._update(next_attempt_in_s=delay)
            self._wait(delay, stop, self._wake)

    def run_once(self) -> SyncReport:
        """One round: push the queue, pull the catalog, send the heartbeat. ``remaining``
        is the queue after the round, whether or not the push got through."""
        with self._round:
            self._update(syncing=True, next_attempt_in_s=None)
            report, connection = self._exchange()
            counts = self._outbox_counts()
            if counts is not None:  # the queue as it stands, also after a failed push
                report = replace(report, remaining=counts[0])
            self._finish(report, connection, counts)
            if connection is Connection.ONLINE:
                self._watch_recalls()
            return report

    # one round
    def _exchange(self) -> tuple[SyncReport, Connection | None]:
        """The round's report and what it learned of the server (None: nothing)."""
        try:
            self._prepare(self._ctx, self._central)  # this kiosk's id and sequence, first
            pushed = self._push(self._ctx, self._central)
        except (CentralRefused, CentralUnavailable) as error:
            return SyncReport(error=str(error)), _connection_after(error)
        except KioskError as error:  # the local store, before anything was sent
            return SyncReport(error=str(error)), None
        report = SyncReport(pushed=pushed.pushed, quarantined=pushed.quarantined,
                            remaining=pushed.remaining, online=True)
        try:
            return replace(report, pulled=self._pull(self._ctx, self._central)), Connection.ONLINE
        except CatalogDataError as error:
            return replace(report, pulled=error.applied, error=str(error)), Connection.ONLINE
        except (CentralRefused, CentralUnavailable) as error:
            return replace(report, online=False, error=str(error)), _connection_after(error)
        except KioskError as error:
            return replace(report, error=str(error)), Connection.ONLINE

    def _finish(self, report: SyncReport, connection: Connection | None,
                counts: tuple[int, int] | None) -> None:
        with self._lock:
            self._failures = self._failures + 1 if connection is Connection.OFFLINE else 0
            previous = self._state
        clean = connection is Connection.ONLINE and report.error is None
        state = replace(
            previous, connection=connection or previous.connection, syncing=False,
            last_error=report.error,
            last_sync=self._clock.now() if clean else previous.last_sync,
            queue_depth=counts[0] if counts else previous.queue_depth,
            quarantined=counts[1] if counts else previous.quarantined,
        )
        if connection is Connection.ONLINE:
            self._heartbeat(state)
        self._set_state(state)

    def _watch_recalls(self) -> None:
        """The daily recall watch, after the push and pull (which it never holds up or
        fails); its outcome is one sentence in the state, and an outage is retried later."""
        if self._recall_watch is None:
            return
        try:
            sentence = self._recall_watch.maybe_run()
        except Exception:  # a bug in the watch must not end syncing
            log.exception("The recall watch failed unexpectedly")
            sentence = "The recall watch failed unexpectedly; see the kiosk log."
        if sentence is not None:
            self._update(recall_watch=sentence)

    def _outbox_counts(self) -> tuple[int, int] | None:
        try:
            with self._ctx.store.read() as tx:
                counts = tx.outbox_counts()
        except KioskError:
            log.warning("Could not count the queued events", exc_info=True)
            return None
        return counts.pending, counts.quarantined

    def _heartbeat(self, state: SyncState) -> None:
        """Tell IT how this workstation is doing; a failure never fails the round."""
        try:
            with self._ctx.store.read() as tx:
                identity = tx.identity()
            self._central.heartbeat(WorkstationStatus(
                kiosk_id=identity.kiosk_id, workstation_id=identity.workstation_id,
                version=self._version, queue_depth=state.queue_depth,
                quarantined=state.quarantined, last_sync=state.last_sync,
                last_error=state.last_error))
        except Exception:  # the heartbeat is best effort by design
            log.warning("Could not send the workstation heartbeat", exc_info=True)

    def _round_failed_unexpectedly(self) -> None:
        with self._lock:
            self._failures += 1
        self._update(syncing=False, connection=Connection.OFFLINE,
                     last_error="Syncing failed unexpectedly; see the kiosk log.")

    def _next_delay(self, interval_s: float) -> float | None:
        with self._lock:
            connection, failures = self._state.connection, self._failures
        if connection is Connection.REFUSED:
            return None
        if failures:
            return backoff_delay(failures, self._rand, self._base_s, self._cap_s)
        return interval_s

    # state
    def _update(self, **changes: Any) -> None:  # SyncState fields
        self._set_state(lambda state: replace(state, **changes))

    def _set_state(self, change: SyncState | Callable[[SyncState], SyncState]) -> None:
        with self._lock:
            state = change(self._state) if callable(change) else change
            self._state = state
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(state)
            except Exception:  # an observer's bug must not stop syncing
                log.exception("A sync state callback failed")


def _connection_after(error: KioskError) -> Connection:
    return Connection.REFUSED if isinstance(error, CentralRefused) else Connection.OFFLINE
