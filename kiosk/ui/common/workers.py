"""The one background runner of the UI: named executors, results delivered as Qt signals.

Three executors, one thread each, so work of one kind runs in the order it was asked for:
``writer`` (every local database read and write, and the files rendered from them),
``network`` (the central server: connection tests, imports that go central first) and
``printer`` (the print spooler, which may take a minute to answer). A ``Task`` runs one
callable on one of them; its ``succeeded(result)`` / ``failed(exception)`` signals are emitted
from that thread and, because the signals object lives on the GUI thread, Qt queues them so
every handler runs on the GUI thread. The callable must not touch widgets; the handlers may.

Writers of the local database: every write the UI asks for runs on the ``writer`` executor;
the sync thread (``SyncController``) writes too (acknowledgements, pulled catalog pages), as
may a separate ``kiosk sync`` process. Those writers are serialised by SQLite's
``BEGIN IMMEDIATE`` (every write transaction of the store takes the write lock first, and
waits up to its busy timeout), not by one thread.

``CallbackBridge`` is the one way core callbacks (a scanner's reader thread, the sync thread)
reach the GUI thread: ``bridge.wrap(handler)`` returns a plain callable that may be called
from any thread; ``handler`` then runs on the GUI thread.

After a task marked ``changes()`` ends, the runner emits ``changed`` once, so screens
refresh from one notification instead of by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.domain.errors import KioskError

log = logging.getLogger(__name__)

WRITER, NETWORK, PRINTER = "writer", "network", "printer"
EXECUTORS = (WRITER, NETWORK, PRINTER)


def describe(error: BaseException) -> str:
    """The one sentence a person sees: a KioskError says it; anything else is a bug."""
    if isinstance(error, KioskError):
        return str(error)
    return f"Unexpected error: {type(error).__name__}: {str(error)[:200]}"


def describe_for_log(error: BaseException) -> str:
    """``describe`` for the log file: the people a refusal names appear by id."""
    return error.for_log() if isinstance(error, KioskError) else describe(error)


class CallbackBridge(QObject):
    """Lives on the GUI thread; re-emits calls made on any thread as queued signal slots."""

    _called = Signal(object, object)  # handler, argument tuple

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.closed = False
        self._called.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def wrap(self, handler: Callable[..., None]) -> Callable[..., None]:
        def from_any_thread(*args: object) -> None:
            if not self.closed:
                self._called.emit(handler, args)
        return from_any_thread

    @Slot(object, object)
    def _deliver(self, handler: Callable[..., None], args: tuple[object, ...]) -> None:
        if not self.closed:
            handler(*args)


class RunnerSignals(QObject):
    changed = Signal()  # a task that changes stored state succeeded


class Runner:
    """The background runner. Create and shut down on the GUI thread."""

    def __init__(self) -> None:
        self._executors = {name: ThreadPoolExecutor(max_workers=1,
                                                    thread_name_prefix=f"kiosk-{name}")
                           for name in EXECUTORS}
        self._running: set[Task] = set()
        self.signals = RunnerSignals()
        self.changed = self.signals.changed
        self.bridge = CallbackBridge()
        self.closed = False

    def submit(self, fn: Callable[[], Any], executor: str = WRITER) -> Future[Any]:
        return self._executors[executor].submit(fn)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the writer thread and wait: only for start-up, before the window."""
        return self.submit(fn).result()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def keep(self, task: Task) -> None:
        self._running.add(task)

    def release(self, task: Task) -> None:
        self._running.discard(task)

    def shutdown(self) -> None:
        """Finish queued work (it may be a usage being committed), then stop the threads.
        Results still waiting to be delivered are dropped: their screens are closing."""
        for executor in self._executors.values():
            executor.shutdown(wait=True)
        self.closed = True
        self.bridge.closed = True


Worker = Runner  # the name the screens grew up with


class TaskSignals(QObject):
    """Lives on the GUI thread. The worker thread emits the private signals; their slots here
    run on the GUI thread (queued, since the receiver is this QObject) and re-emit the public
    ones, so handlers connected to ``succeeded``/``failed`` never run on a worker thread."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    _returned = Signal(object)
    _errored = Signal(object)

    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task
        self._returned.connect(self._deliver_success)
        self._errored.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        try:
            if not self._task.runner.closed:  # after shutdown the screens may be gone
                self.succeeded.emit(result)
                if self._task.mutates:
                    self._task.runner.changed.emit()
        finally:
            self._task.finish()

    @Slot(object)
    def _deliver_failure(self, error: BaseException) -> None:
        try:
            if not self._task.runner.closed:
                self.failed.emit(error)
                if self._task.mutates:  # part of it may have committed (a void of several)
                    self._task.runner.changed.emit()
        finally:
            self._task.finish()


class Task:
    """``Task(runner, fn).success(on_ok).failure(on_error).run()``, Anki-op style.

    ``fn`` runs on the ``executor`` thread (default the writer); ``on_ok(result)`` and
    ``on_error(exception)`` run on the GUI thread (``describe(exception)`` is its sentence).
    Without a failure handler the sentence goes to the log.
    """

    def __init__(self, runner: Runner, fn: Callable[[], Any], executor: str = WRITER) -> None:
        self.runner = runner
        self._fn = fn
        self._executor = executor
        self.mutates = False
        self.signals = TaskSignals(self)
        self._has_failure_handler = False

    def success(self, handler: Callable[[Any], None]) -> Task:
        self.signals.succeeded.connect(handler)
        return self

    def failure(self, handler: Callable[[BaseException], None]) -> Task:
        self.signals.failed.connect(handler)
        self._has_failure_handler = True
        return self

    def changes(self) -> Task:
        """Mark the task as changing stored state: ``runner.changed`` follows its end."""
        self.mutates = True
        return self

    def run(self) -> Task:
        if not self._has_failure_handler:
            self.signals.failed.connect(lambda error: log.error("%s", describe_for_log(error)))
        self.runner.keep(self)  # the signals object must outlive the queued emission
        self.runner.submit(self._body, self._executor)
        return self

    def _body(self) -> None:
        try:
            result = self._fn()
        except Exception as error:
            if not isinstance(error, KioskError):
                log.exception("Background task failed")
            self.signals._errored.emit(error)
        else:
            self.signals._returned.emit(result)

    def finish(self) -> None:
        self.runner.release(self)


def sentence(handler: Callable[[str], None]) -> Callable[[BaseException], None]:
    """A failure handler that takes the sentence rather than the exception."""
    return lambda error: handler(describe(error))


class OneAtATime:
    """At most one task of a kind in flight (a test print, a connection test): ``start``
    returns False, and starts nothing, while the previous one still runs."""

    def __init__(self, runner: Runner, executor: str) -> None:
        self._runner = runner
        self._executor = executor
        self.busy = False

    def start(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
              on_error: Callable[[BaseException], None]) -> bool:
        if self.busy:
            return False
        self.busy = True

        def ok(result: Any) -> None:
            self.busy = False
            on_ok(result)

        def failed(error: BaseException) -> None:
            self.busy = False
            on_error(error)

        Task(self._runner, fn, self._executor).success(ok).failure(failed).run()
        return True
