"""Void lines of the last placement, only within a short window after it.

The "Void…" button sits in the top bar, away from Confirm; it opens the ``VoidSheet`` (the
patient, the lines to tick, a reason to pick, then "Void N lines"). Each voided line is its
own void event through the outbox; the lines left unticked stay recorded and can still be
voided later within the window.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.domain.model import Staff
from kiosk.domain.permissions import VOID_WINDOW
from kiosk.services import chairside
from kiosk.services.chairside import PlacedLines
from kiosk.services.context import ServiceContext
from kiosk.ui.common.widgets import hbox, message_label, touch_button
from kiosk.ui.common.workers import Task, Worker, sentence
from kiosk.ui.placement.void_sheet import VOID_REASONS, VoidSheet

__all__ = ["VOID_LABEL", "VOID_REASONS", "VOID_WINDOW_S", "VoidPanel"]

VOID_WINDOW_S = VOID_WINDOW.total_seconds()  # the services refuse an older void the same way
VOID_LABEL = "Void…"


class VoidPanel(QWidget):
    """Voids on the writer thread; emits ``said(tone, sentence)`` with the outcome."""

    said = Signal(str, str)

    def __init__(self, ctx: ServiceContext, worker: Worker, window_s: float = VOID_WINDOW_S,
                 parent: QWidget | None = None, *, screen: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._worker = worker
        self.window_s = window_s
        self.staff: Staff | None = None
        self.usage_ids: tuple[str, ...] = ()
        self.voided: set[str] = set()
        self.expired = False
        self._busy = False
        self.sheet = VoidSheet(screen if screen is not None else self)
        self.void_reason = self.sheet.reasons
        self.void_button = touch_button(VOID_LABEL, "voidButton")
        self.void_note = message_label("voidNote")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.expire)
        layout = hbox(self.void_note, self.void_button)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.void_button.clicked.connect(self.on_click)
        self.sheet.chosen.connect(self.on_chosen)
        self.clear()

    @property
    def open_ids(self) -> tuple[str, ...]:
        """The lines of the last placement not voided yet."""
        return tuple(i for i in self.usage_ids if i not in self.voided)

    def arm(self, usage_ids: tuple[str, ...], staff: Staff | None) -> None:
        """A placement was recorded: its lines may be voided for ``window_s`` seconds."""
        self.usage_ids = tuple(usage_ids)
        self.voided = set()
        self.staff = staff
        self.expired = False
        self._timer.start(int(self.window_s * 1000))
        minutes = self.window_s / 60
        shown = f"{minutes:g} min" if minutes >= 1 else f"{self.window_s:g} s"
        self.void_note.setText(f"Void possible for {shown}.")
        self._update()

    def clear(self, note: str = "") -> None:
        self.usage_ids = ()
        self.voided = set()
        self.expired = False
        self._timer.stop()
        self.sheet.hide()
        self.void_note.setText(note)
        self._update()

    def expire(self) -> None:
        self.expired = True
        self._timer.stop()
        if self.sheet.isVisible():
            self.sheet.close_overlay()
        minutes = self.window_s / 60
        shown = f"{minutes:g} minutes" if minutes >= 1 else f"{self.window_s:g} seconds"
        self.void_note.setText(f"Void closed: more than {shown} since the placement. "
                               "Ask a manager for an adjustment.")
        self._update()

    def on_click(self) -> None:
        if not self.open_ids or self.expired or self.staff is None:
            return
        ctx, ids = self._ctx, self.open_ids
        Task(self._worker, lambda: chairside.placed_lines(ctx, ids)).success(
            self.on_lines).failure(sentence(lambda text: self.said.emit("error", text))).run()

    def on_lines(self, placed: PlacedLines) -> None:
        if self.expired or not self.open_ids:
            return
        self.sheet.show_lines(placed, self.void_note.text())

    def on_chosen(self, ids: tuple[str, ...], reason: str) -> None:
        if self.expired or self.staff is None or self._busy:
            return
        self._busy = True
        self._update()
        ctx, staff, placement = self._ctx, self.staff, self.open_ids
        Task(self._worker, lambda: chairside.void_lines(ctx, staff, placement, ids, reason)
             ).success(lambda count: self.on_voided(ids, count)).failure(
            sentence(self.on_failed)).changes().run()

    def on_voided(self, ids: tuple[str, ...], count: int) -> None:
        self._busy = False
        self.voided |= set(ids)
        left = len(self.open_ids)
        lines = f"{count} line{'s' if count != 1 else ''}"
        if left:
            stay = f" {left} line{'s' if left != 1 else ''} stay recorded."
            self._update()
        else:
            stay = ""
            self.clear()
        self.said.emit("ok", f"Voided {lines}; stock restored.{stay}")

    def on_failed(self, sentence: str) -> None:
        self._busy = False
        self.clear()  # part may be voided; never void twice from here
        self.said.emit("error", f"{sentence} Check the usage report before voiding again.")

    def _update(self) -> None:
        open_ = bool(self.open_ids) and not self.expired and not self._busy
        self.void_button.setEnabled(open_)
        self.void_button.setText(VOID_LABEL if open_ or not self.expired else "Void closed")
        self.void_button.setToolTip("" if open_ else self.void_note.text())
