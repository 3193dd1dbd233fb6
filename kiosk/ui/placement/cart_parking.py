"""Park the placement screen's cart on the writer thread, and say when it is durable.

The window signs out only after ``done``: the cart is committed to the store by then. When
the user stays after all (an idle countdown cancelled), ``keep`` closes the parked copy so it
is not offered to the next user as well as kept in this cart.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.services import parking
from kiosk.services.context import ServiceContext
from kiosk.services.ports import ParkedCart
from kiosk.ui.common.workers import Task, Worker, sentence
from kiosk.ui.placement.placement_screen import PlacementScreen


class CartParker(QObject):
    """Emits ``done(ParkedCart | None)`` once the cart is stored (None: nothing to park) and
    ``failed(sentence)`` when it could not be."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: ServiceContext, worker: Worker, screen: PlacementScreen) -> None:
        super().__init__(screen)
        self._ctx, self._worker, self._screen = ctx, worker, screen
        self.pending = False
        self.parked: ParkedCart | None = None

    def park(self, cause: str) -> None:
        screen = self._screen
        staff, lines = screen.staff, screen.cart.lines
        if self.pending:
            return
        if staff is None or not lines:
            self.parked = None
            self.done.emit(None)
            return
        patient, record = screen.patients.current_patient(), screen.patients.current_record()
        ctx = self._ctx
        self.pending = True
        Task(self._worker, lambda: parking.park(ctx, staff, lines, patient=patient,
                                                record=record, cause=cause)) \
            .success(self._on_parked).failure(sentence(self._on_failed)).run()

    def _on_parked(self, cart: ParkedCart | None) -> None:
        self.pending = False
        self.parked = cart
        self.done.emit(cart)

    def _on_failed(self, text: str) -> None:
        self.pending = False
        self.parked = None
        self.failed.emit(text)

    def keep(self) -> None:
        """The user stayed: the cart stays on screen, its parked copy is closed (RESUMED by
        the same user)."""
        cart, staff = self.parked, self._screen.staff
        self.parked = None
        if cart is None or staff is None:
            return
        ctx = self._ctx
        Task(self._worker, lambda: parking.resume(ctx, staff, cart.id)) \
            .failure(sentence(lambda text: self._screen.say("error", text))).run()

    def take(self) -> ParkedCart | None:
        """The cart parked for this sign-out (and forget it: it is the next user's now)."""
        cart, self.parked = self.parked, None
        return cart
