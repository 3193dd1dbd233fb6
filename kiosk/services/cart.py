"""The placement cart: scanned lines waiting to be confirmed. Plain data, no Qt, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kiosk.domain.model import ApplianceRecord, ApplianceStatus, ApplianceType
from kiosk.services.kits import Kit, Reconciliation, reconcile
from kiosk.services.placement import PlaceAppliance, PlaceLine


@dataclass(frozen=True)
class CartLine:
    """One item (+ lot) resolved against the catalog; ``scans`` are the raw scans that name it."""

    item_id: str
    sku: str
    name: str
    category: ApplianceType
    lot_number: str | None
    expiry: date | None
    unit_cost: Decimal | None
    scans: tuple[str, ...]
    quantity: int = 1
    expiring_soon: bool = False
    override_reason: str | None = None  # an expired lot used anyway, and why
    override_by: str | None = None  # the manager who approved it at the chair (staff id)
    override_by_name: str | None = None
    label_expiry: bool = False  # ``expiry`` is the label's; the catalog's lot says otherwise

    @property
    def key(self) -> tuple[str, str]:
        return self.item_id, (self.lot_number or "").upper()

    @property
    def line_cost(self) -> Decimal:
        return (self.unit_cost or Decimal(0)) * self.quantity


class Cart:
    """Lines in scan order; the same item and lot scanned again adds to its quantity."""

    def __init__(self, max_quantity: int = 500) -> None:
        self._lines: list[CartLine] = []
        self.max_quantity = max_quantity
        self.kit: Kit | None = None
        # a product scanned without its lot, shown at once while its lot label is awaited;
        # not a line: nothing is deducted for it until the label (or Confirm) completes it
        self.pending: CartLine | None = None

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def add(self, line: CartLine) -> int:
        """Add or merge; returns the row of the line."""
        for row, existing in enumerate(self._lines):
            if existing.key == line.key:
                quantity = min(existing.quantity + line.quantity, self.max_quantity)
                self._lines[row] = replace(existing, quantity=quantity)
                return row
        self._lines.append(line)
        return len(self._lines) - 1

    def change_quantity(self, row: int, delta: int) -> None:
        """Step a line's quantity, staying between 1 and the maximum (Remove deletes a line)."""
        line = self._lines[row]
        quantity = max(1, min(line.quantity + delta, self.max_quantity))
        self._lines[row] = replace(line, quantity=quantity)

    def set_quantity(self, row: int, quantity: int) -> None:
        """Set a line's quantity, kept between 1 and the maximum."""
        quantity = max(1, min(quantity, self.max_quantity))
        self._lines[row] = replace(self._lines[row], quantity=quantity)

    def remove(self, row: int) -> None:
        del self._lines[row]

    def clear(self) -> None:
        self._lines.clear()
        self.kit = None
        self.pending = None

    @property
    def item_count(self) -> int:
        """How many pieces the lines hold (the "8 items" of "Confirm 8 items for …")."""
        return sum(line.quantity for line in self._lines)

    def reconciliation(self) -> Reconciliation | None:
        """What of the picked kit is still expected, and what was scanned beyond it."""
        if self.kit is None:
            return None
        return reconcile(self.kit, ((line.sku, line.quantity) for line in self._lines))

    @property
    def total(self) -> Decimal:
        return sum((line.line_cost for line in self._lines), Decimal(0))

    def commands(self, patient_id: str, record: ApplianceRecord | None) -> list[PlaceAppliance]:
        """One typed command per line (already matched to the catalog, so nothing is parsed
        again), each with its own appliance type; the bulk call is all-or-nothing."""
        return [
            PlaceAppliance(
                patient=patient_id,
                appliance_type=(record.type if record else line.category).value,
                lines=(PlaceLine(item_id=line.item_id, lot_number=line.lot_number,
                                 expiry=line.expiry, quantity=line.quantity,
                                 override_reason=line.override_reason,
                                 override_by=line.override_by,
                                 label_expiry=line.label_expiry),),
                appliance_id=record.id if record else None,
                mark_placed=record is not None and record.status is ApplianceStatus.ORDERED,
            )
            for line in self._lines
        ]
