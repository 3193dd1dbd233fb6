"""Void the last placement, with a reason from a list, only within a short window after it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from kiosk.domain.model import Staff
from kiosk.services import chairside
from kiosk.services.context import ServiceContext
from kiosk.ui.common.widgets import hbox, message_label, named, touch_button
from kiosk.ui.common.workers import Task, Worker, sentence

VOID_REASONS = ("Wrong patient", "Wrong item", "Dropped/contaminated", "Other")
VOID_WINDOW_S = 300.0
VOID_LABEL = "Void last placement"


class VoidPanel(QWidget):
    """Voids on the writer thread; emits ``said(tone, sentence)`` with the outcome."""

    said = Signal(str, str)

    def __init__(self, ctx: ServiceContext, worker: Worker, window_s: float = VOID_WINDOW_S,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._worker = worker
        self.window_s = window_s
        self.staff: Staff | None = None
        self.usage_ids: tuple[str, ...] = ()
        self.expired = False
        self.void_reason = named(QComboBox(), "voidReasonCombo")
        self.void_reason.addItems(VOID_REASONS)
        self.void_reason.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.void_button = touch_button(VOID_LABEL, "voidButton")
        self.void_note = message_label("voidNote")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.expire)
        layout = hbox(self.void_note, 1, QLabel("Void reason"), self.void_reason,
                      self.void_button)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.void_button.clicked.connect(self.on_click)
        self.clear()

    def arm(self, usage_ids: tuple[str, ...], staff: Staff | None) -> None:
        """A placement was recorded: it may be voided for ``window_s`` seconds."""
        self.usage_ids = tuple(usage_ids)
        self.staff = staff
        self.expired = False
        self._timer.start(int(self.window_s * 1000))
        minutes = self.window_s / 60
        shown = f"{minutes:g} min" if minutes >= 1 else f"{self.window_s:g} s"
        self.void_note.setText(f"You can void it for {shown}.")
        self._update()

    def clear(self, note: str = "") -> None:
        self.usage_ids = ()
        self.expired = False
        self._timer.stop()
        self.void_note.setText(note)
        self._update()

    def expire(self) -> None:
        self.expired = True
        self._timer.stop()
        minutes = self.window_s / 60
        shown = f"{minutes:g} minutes" if minutes >= 1 else f"{self.window_s:g} seconds"
        self.void_note.setText(f"Void closed: more than {shown} since the placement. "
                               "Ask a manager for an adjustment.")
        self._update()

    def on_click(self) -> None:
        if not self.usage_ids or self.expired or self.staff is None:
            return
        self.void_button.setEnabled(False)
        ctx, staff, ids = self._ctx, self.staff, self.usage_ids
        reason = self.void_reason.currentText()
        Task(self._worker, lambda: chairside.void_placement(ctx, staff, ids, reason)).success(
            self.on_voided).failure(sentence(self.on_failed)).changes().run()

    def on_voided(self, count: int) -> None:
        self.clear()
        self.said.emit("ok", f"Voided {count} usage{'s' if count != 1 else ''}; stock restored.")

    def on_failed(self, sentence: str) -> None:
        self.clear()  # part may be voided; never void twice from here
        self.said.emit("error", sentence)

    def _update(self) -> None:
        open_ = bool(self.usage_ids) and not self.expired
        self.void_button.setEnabled(open_)
        self.void_button.setText(VOID_LABEL if open_ or not self.expired else "Void closed")
        self.void_button.setToolTip("" if open_ else self.void_note.text())
