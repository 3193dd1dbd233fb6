"""Background work for the UI: one writer thread, results delivered as Qt signals.

The kiosk has exactly one executor (a single thread), so database work runs in the order it
was asked for and never concurrently. A ``Task`` runs one callable there; its ``succeeded`` /
``failed`` signals are emitted from that thread and, because the signals object lives on the
GUI thread, Qt queues them so every handler runs on the GUI thread. The callable must not
touch widgets; the handlers may.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.errors import KioskError

log = logging.getLogger(__name__)


def describe(error: BaseException) -> str:
    """The one sentence a person sees: a KioskError says it; anything else is a bug."""
    if isinstance(error, KioskError):
        return str(error)
    return f"Unexpected error: {type(error).__name__}: {str(error)[:200]}"


class TaskSignals(QObject):
    """Lives on the GUI thread. The worker emits the private signals; their slots here run on
    the GUI thread (queued, since the receiver is this QObject) and re-emit the public ones, so
    plain callables connected to ``succeeded``/``failed`` never run on the writer thread."""

    succeeded = Signal(object)
    failed = Signal(str)
    _returned = Signal(object)
    _errored = Signal(str)

    def __init__(self, worker: Worker, on_finished: Callable[[], None]) -> None:
        super().__init__()
        self._worker = worker
        self._on_finished = on_finished
        self._returned.connect(self._deliver_success)
        self._errored.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        try:
            if not self._worker.closed:  # after shutdown the screens may be gone
                self.succeeded.emit(result)
        finally:
            self._on_finished()

    @Slot(str)
    def _deliver_failure(self, sentence: str) -> None:
        try:
            if not self._worker.closed:
                self.failed.emit(sentence)
        finally:
            self._on_finished()


class Worker:
    """The one writer executor. Create and shut down on the GUI thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-writer")
        self._running: set[Task] = set()
        self.closed = False

    def submit(self, fn: Callable[[], Any]) -> Future:
        return self._executor.submit(fn)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the writer thread and wait: only for start-up, before the window."""
        return self._executor.submit(fn).result()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def _keep(self, task: Task) -> None:
        self._running.add(task)

    def _release(self, task: Task) -> None:
        self._running.discard(task)

    def shutdown(self) -> None:
        """Finish queued work (it may be a usage being committed), then stop the thread.
        Results still waiting to be delivered are dropped: their screens are closing."""
        self._executor.shutdown(wait=True)
        self.closed = True


class Task:
    """``Task(worker, fn).success(on_ok).failure(on_error).run()``, Anki-op style.

    ``fn`` runs on the writer thread; ``on_ok(result)`` and ``on_error(sentence)`` run on the
    GUI thread. Without a failure handler the sentence goes to the worker's log.
    """

    def __init__(self, worker: Worker, fn: Callable[[], Any]) -> None:
        self._worker = worker
        self._fn = fn
        self.signals = TaskSignals(worker, on_finished=self._done)
        self._has_failure_handler = False

    def success(self, handler: Callable[[Any], None]) -> Task:
        self.signals.succeeded.connect(handler)
        return self

    def failure(self, handler: Callable[[str], None]) -> Task:
        self.signals.failed.connect(handler)
        self._has_failure_handler = True
        return self

    def run(self) -> Task:
        if not self._has_failure_handler:
            self.signals.failed.connect(lambda sentence: log.error("%s", sentence))
        self._worker._keep(self)  # the signals object must outlive the queued emission
        self._worker.submit(self._body)
        return self

    def _body(self) -> None:
        try:
            result = self._fn()
        except Exception as error:
            if not isinstance(error, KioskError):
                log.exception("Background task failed")
            self.signals._errored.emit(describe(error))
        else:
            self.signals._returned.emit(result)

    def _done(self) -> None:
        self._worker._release(self)
