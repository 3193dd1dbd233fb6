"""The sync thread's owner (not a widget): runs ``SyncService.run_forever`` on its own thread
(not the writer executor, so a long push never delays a placement) and reports each
``SyncState`` as ``state_changed`` on the GUI thread (core → callbacks → the runner's one
bridge → signals). Create, start and ``stop()`` it on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.services.sync import SyncService
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.common.workers import CallbackBridge, describe

log = logging.getLogger(__name__)

SYNC_INTERVAL_S = 30.0
STOP_WAIT_S = 15.0

SyncFactory = Callable[[], tuple[SyncService, Callable[[], None]] | None]


class SyncController(QObject):
    state_changed = Signal(object)  # SyncState, on the GUI thread

    def __init__(self, factory: SyncFactory | None, interval_s: float = SYNC_INTERVAL_S,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._service: SyncService | None = None
        self._sync_asked = False
        self._thread: threading.Thread | None = None
        self._bridge = CallbackBridge(self)
        self._report = self._bridge.wrap(self.state_changed.emit)  # callable from any thread

    @property
    def local_only(self) -> bool:
        return self.factory is None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.factory is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, wait_s: float = STOP_WAIT_S) -> bool:
        """Stop after the round in progress; False if it did not end within ``wait_s``."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(wait_s)
        if thread.is_alive():
            log.warning("The sync thread was still busy when the window closed")
            return False
        return True

    def sync_now(self) -> None:
        """Ask for a round at once (also lifts the hold after a refusal). Returns at once."""
        with self._lock:
            service = self._service
            self._sync_asked = service is None
        if service is not None:
            service.sync_now()

    def _run(self) -> None:
        """The sync thread: build the service (it reads the store), then sync until stopped."""
        assert self.factory is not None
        try:
            built = self.factory()
        except Exception as error:  # a bad URI or an unreadable store: show it, stop syncing
            log.exception("The sync service could not be started")
            self._report(SyncState(connection=Connection.REFUSED, last_error=describe(error)))
            return
        if built is None:
            return
        service, close = built
        unsubscribe = service.on_state(self._report)
        with self._lock:
            self._service = service
            asked = self._sync_asked
        try:
            if asked:
                service.sync_now()
            service.run_forever(self._stop, self._interval_s)
        finally:
            unsubscribe()
            with self._lock:
                self._service = None
            close()
