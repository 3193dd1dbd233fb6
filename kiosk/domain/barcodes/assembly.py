"""Two-scan assembly: a product barcode followed by its lot/expiry label.

Many supplies carry the product code and the lot/expiry on separate symbols (HIBCC
primary + secondary, or a GTIN plus a kiosk-printed GS1 lot label). The assembler
holds a product scan that has no lot for a short window and merges the lot label
that follows. It never overwrites a value the product scan already carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kiosk.domain.barcodes.result import ScanKind, ScanResult

__all__ = ["AssemblyStep", "ScanAssembler", "assemble"]

NO_PRODUCT = "Scan the product barcode before its lot label."
NOT_A_SUPPLY = "This is a staff or patient code, not a supply barcode."
_FIELDS = (
    ("lot", "lot"),
    ("expiry", "expiry date"),
    ("serial", "serial number"),
    ("quantity", "quantity"),
)


@dataclass(frozen=True)
class AssemblyStep:
    """What one fed scan produced."""

    completed: tuple[ScanResult, ...] = ()  # product scans ready to use
    pending: ScanResult | None = None  # the product scan still held, if any
    error: str | None = None


def _is_label(scan: ScanResult) -> bool:
    """A lot/expiry label: no product, and lot or expiry (or an HIBCC secondary)."""
    if not scan.ok or scan.has_product:
        return False
    return scan.is_lot_label or (scan.kind is ScanKind.HIBCC and scan.hibcc_link is not None)


def _is_complete(scan: ScanResult) -> bool:
    """A product scan that needs no lot label: it has a lot, or it is HIBCC
    concatenated (primary and secondary data in one symbol)."""
    if scan.lot is not None:
        return True
    if scan.hibcc is not None:
        return any(getattr(scan, field) is not None for field, _ in _FIELDS)
    return False


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


class ScanAssembler:
    """Feed scans in order with a monotonic clock reading; collect completed products."""

    def __init__(self, window_seconds: float = 20.0) -> None:
        self.window_seconds = window_seconds
        self._held: ScanResult | None = None
        self._held_at = 0.0

    @property
    def pending(self) -> ScanResult | None:
        return self._held

    def flush(self) -> ScanResult | None:
        """Give back the held product scan, if any, and forget it."""
        held, self._held = self._held, None
        return held

    def _expired(self, now: float) -> bool:
        return now - self._held_at > self.window_seconds

    def _merge(self, label: ScanResult) -> tuple[ScanResult | None, str | None]:
        held = self._held
        if held is None:
            return None, NO_PRODUCT
        if label.kind is ScanKind.HIBCC and label.hibcc_link is not None:
            expected = held.hibcc.check_char if held.hibcc is not None else None
            if label.hibcc_link != expected:
                return None, (
                    f"This HIBCC lot label (link character “{label.hibcc_link}”) does not "
                    "belong to the product scanned before it."
                )
        changes: dict[str, Any] = {}  # values of the _FIELDS, each typed as its field
        for field, name in _FIELDS:
            mine, theirs = getattr(held, field), getattr(label, field)
            if theirs is None:
                continue
            if mine is not None and mine != theirs:
                return None, (
                    f"The lot label's {name} {_shown(theirs)} does not match the "
                    f"product scan's {name} {_shown(mine)}; scan the label that belongs to "
                    "this box."
                )
            changes[field] = theirs
        return replace(held, **changes), None

    def feed(self, scan: ScanResult, now: float) -> AssemblyStep:
        """Process one scan taken at ``now`` (seconds, any monotonic clock)."""
        if not scan.ok:
            return AssemblyStep(pending=self._held, error=scan.error)
        completed: list[ScanResult] = []
        if self._held is not None and self._expired(now):
            completed.append(self._held)
            self._held = None
        if scan.has_product:
            if self._held is not None:
                completed.append(self._held)
                self._held = None
            if _is_complete(scan):
                completed.append(scan)
            else:
                self._held, self._held_at = scan, now
            return AssemblyStep(completed=tuple(completed), pending=self._held)
        if _is_label(scan):
            if self._held is None:
                return AssemblyStep(completed=tuple(completed), error=NO_PRODUCT)
            merged, error = self._merge(scan)
            if merged is None:  # then error says why
                return AssemblyStep(completed=tuple(completed), pending=self._held, error=error)
            self._held = None
            completed.append(merged)
            return AssemblyStep(completed=tuple(completed))
        return AssemblyStep(completed=tuple(completed), pending=self._held, error=NOT_A_SUPPLY)


def assemble(scans: Iterable[ScanResult]) -> tuple[list[ScanResult], list[str]]:
    """Assemble a whole list of scans (the CLI's ``--scan`` list): products and errors."""
    assembler = ScanAssembler()
    products: list[ScanResult] = []
    errors: list[str] = []
    for scan in scans:
        step = assembler.feed(scan, now=0.0)
        products.extend(step.completed)
        if step.error is not None:
            errors.append(step.error)
    held = assembler.flush()
    if held is not None:
        products.append(held)
    return products, errors
