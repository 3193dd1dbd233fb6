"""Catalog writes that must reach the central catalog first when there is one: imports,
lot status changes and recall files (a change made only locally would be undone by the next
pull). Each talks to the store and the network: call it off the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import cast

from kiosk.domain.errors import CentralUnavailable, ImportConflict, KioskError
from kiosk.domain.model import Lot, LotStatus
from kiosk.services.app_ports import CentralCatalog
from kiosk.services.context import ServiceContext
from kiosk.services.imports import import_csv
from kiosk.services.lot_status import set_lot_status
from kiosk.services.ports import Store
from kiosk.services.recalls import AffectedLot, RecallOutcome, import_recall_outcome, mark_recalls

IMPORT_ATTEMPTS = 4


@dataclass(frozen=True)
class CatalogWrites:
    context: ServiceContext
    central: CentralCatalog | None  # None for a local-only kiosk
    sleep: Callable[[float], None] = field(default=time.sleep)

    @contextmanager
    def import_target(self) -> Iterator[ServiceContext]:
        """Where imports write: the clinic's central catalog (one MongoDB transaction per
        file) when there is one, else the local store; the central connection closes when
        the block ends."""
        if self.central is None:
            yield self.context
            return
        with self.central.open() as store:
            # The central catalog has the people and catalog roles only; the imports, lot
            # status changes and recall marking run here use no other (the store contract
            # tests hold both stores to the same cases).
            yield replace(self.context, store=cast(Store, store))

    def import_file(self, kind: str, text: str) -> int:
        """One all-or-nothing import into ``import_target``; returns the rows imported. An
        import aborted because a kiosk's sync wrote the same documents at the same moment is
        run again (a few times, backing off); every other error is final."""
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            try:
                with self.import_target() as ctx:
                    return import_csv(ctx, kind, text)
            except KioskError as error:
                if attempt == IMPORT_ATTEMPTS or not _caused_by(error, ImportConflict):
                    raise
                self.sleep(0.25 * 2 ** attempt)
        raise AssertionError("unreachable")

    def change_lot_status(self, actor: str, sku: str, lot_number: str,
                          status: LotStatus | str, reason: str) -> Lot:
        """Quarantine, release or recall a lot: centrally first, then locally."""
        if self.central is not None:
            try:
                with self.import_target() as central:
                    set_lot_status(central, actor, sku, lot_number, status, reason)
            except CentralUnavailable:
                raise CentralUnavailable(f"The central server cannot be reached, so lot "
                                         f"{lot_number} was not changed; try again when it is "
                                         "back.") from None
        return set_lot_status(self.context, actor, sku, lot_number, status, reason)

    def import_recall_file(self, actor: str, text: str) -> list[AffectedLot]:
        """Mark the lots an openFDA recall file names RECALLED, centrally first (every kiosk
        pulls the recall from there), then locally; returns the affected lots with the
        patients who received them."""
        return self.import_recall_outcome(actor, text).affected

    def import_recall_outcome(self, actor: str, text: str) -> RecallOutcome:
        """``import_recall_file`` with the file's recalls and the name-only matches left for
        review (proposed, never marked)."""
        if self.central is not None:
            with self.import_target() as central:
                mark_recalls(central, actor, text)
        return import_recall_outcome(self.context, actor, text)


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__
    return False
