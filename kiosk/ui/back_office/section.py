"""The base of every back-office section (receive, inventory, recalls, reports, settings).

A section is one screen of the back office. It is built the first time its tab is opened,
``start(staff)`` is called each time it is shown for a signed-in user, and ``on_scanned(text)``
receives any scan (wedge or serial) while it is showing. All store access goes through
``run`` (the writer thread); ``say`` shows one coloured sentence in the section's message line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.ui.common.widgets import message_label, set_tone
from kiosk.ui.common.workers import Task, Worker, sentence


class Section(QWidget):
    """Subclasses build their widgets in ``__init__`` and react in ``on_start``."""

    said = Signal(str)  # the tone of each message shown, for the scan feedback

    def __init__(self, kiosk: Kiosk, worker: Worker, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.kiosk = kiosk
        self.ctx = kiosk.context
        self.worker = worker
        self.staff: Staff | None = None
        self.message: QLabel = message_label(f"{name}Message")

    # lifecycle ----------------------------------------------------------------------------------
    def start(self, staff: Staff) -> None:
        self.staff = staff
        self.on_start()

    def stop(self) -> None:
        """Signed out: forget the user (subclasses also clear what they showed)."""
        self.staff = None
        self.on_stop()

    def on_start(self) -> None:
        """Shown for ``self.staff``: load what the screen shows."""

    def on_stop(self) -> None:
        """Signed out: clear anything a next user must not see."""

    def on_scanned(self, text: str) -> None:
        """A scan while this section shows; by default the section ignores it."""
        self.say("warn", "Scans are not used on this screen.")

    # helpers ------------------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        """The signed-in user's staff id, passed to every service call."""
        return self.staff.id if self.staff is not None else ""

    def can(self, permission: Permission) -> bool:
        return self.staff is not None and has_permission(self.staff.role, permission)

    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_error: Callable[[str], None] | None = None, *, changes: bool = False) -> Task:
        """Run ``fn`` on the writer thread; the handlers run on the GUI thread. A task that
        ``changes`` stored state is followed by the runner's one ``changed`` notification."""
        task = Task(self.worker, fn).success(on_ok).failure(sentence(on_error or self.on_error))
        return (task.changes() if changes else task).run()

    def on_error(self, sentence: str) -> None:
        self.say("error", sentence)

    def say(self, tone: str, text: str) -> None:
        set_tone(self.message, tone, text)
        self.said.emit(tone)
