"""Procedure kits: the supplies a procedure is expected to use, reconciled against the scans.

A kit pre-fills the cart with *expected* lines; nothing is deducted for them. Scanning fills
them; confirming deducts only what was scanned and reports what was not used.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kiosk.domain.errors import ValidationError
from kiosk.domain.model import ApplianceType


@dataclass(frozen=True)
class KitLine:
    sku: str
    quantity: int
    appliance_type: ApplianceType
    name: str = ""  # the catalog item's name, once known (``named``)

    @property
    def label(self) -> str:
        """"Ceramic bracket U1R ×1": the name when known, else the SKU."""
        return f"{self.name or self.sku} ×{self.quantity}"


@dataclass(frozen=True)
class Kit:
    name: str
    lines: tuple[KitLine, ...]

    def skus(self) -> tuple[str, ...]:
        return tuple(line.sku for line in self.lines)

    def named(self, names: Mapping[str, str]) -> Kit:
        """The kit with each line's item name from ``names`` (SKU -> name)."""
        return replace(self, lines=tuple(replace(line, name=names.get(line.sku, line.name))
                                         for line in self.lines))


@dataclass(frozen=True)
class Reconciliation:
    """``expected``: kit lines not yet (fully) scanned, with the quantity still expected;
    ``extra``: scanned quantities beyond the kit, by SKU (in scan order)."""

    expected: tuple[KitLine, ...]
    extra: tuple[tuple[str, int], ...]

    @property
    def complete(self) -> bool:
        return not self.expected


def reconcile(kit: Kit, scanned: Iterable[tuple[str, int]]) -> Reconciliation:
    """Compare the kit with the scanned (sku, quantity) lines; the same SKU may repeat."""
    have: dict[str, int] = {}
    for sku, quantity in scanned:
        have[sku] = have.get(sku, 0) + quantity
    expected = []
    for line in kit.lines:
        used = min(have.get(line.sku, 0), line.quantity)
        have[line.sku] = have.get(line.sku, 0) - used
        if used < line.quantity:
            expected.append(replace(line, quantity=line.quantity - used))
    extra = tuple((sku, left) for sku, left in have.items() if left > 0)
    return Reconciliation(tuple(expected), extra)


def parse_kits(text: str) -> list[Kit]:
    """Kits from TOML: ``[[kit]] name = "…"`` with ``lines = [{sku, quantity, type}, …]``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(f"The kits file is not valid TOML: {error}.") from None
    kits = []
    for number, entry in enumerate(data.get("kit", []), start=1):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise ValidationError(f"Kit {number} has no name.")
        lines = tuple(_line(name, raw) for raw in entry.get("lines", []))
        if not lines:
            raise ValidationError(f"Kit {name!r} has no lines.")
        kits.append(Kit(name, lines))
    return kits


def _line(kit: str, raw: dict[str, Any]) -> KitLine:  # one parsed TOML table
    sku = str(raw.get("sku", "")).strip()
    quantity = raw.get("quantity", 1)
    if not sku or not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError(f"Kit {kit!r} has a line without a SKU or a positive quantity.")
    try:
        kind = ApplianceType(str(raw.get("type", "")).strip().upper())
    except ValueError:
        raise ValidationError(f"Kit {kit!r} line {sku} has an unknown type.") from None
    return KitLine(sku, quantity, kind)
