"""Typed results of one barcode scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kiosk.domain.barcodes.hibcc_chars import mod43_check_char

__all__ = ["HibccCode", "ScanKind", "ScanResult"]


class ScanKind(StrEnum):
    """What kind of barcode a scan was (or looked like, when it failed)."""

    GS1 = "gs1"
    HIBCC = "hibcc"
    GTIN = "gtin"
    STAFF = "staff"
    PATIENT = "patient"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HibccCode:
    """The HIBC LIC primary data: labeler, product/catalogue number, unit of measure."""

    labeler: str
    product: str
    uom: int

    @property
    def key(self) -> str:
        """What the catalogue stores for this product: labeler + product number."""
        return f"{self.labeler}{self.product}"

    @property
    def check_char(self) -> str:
        """The primary symbol's mod-43 check character, i.e. the secondary's link character."""
        return mod43_check_char(f"+{self.labeler}{self.product}{self.uom}")


@dataclass(frozen=True)
class ScanResult:
    """What the scanner pipeline made of one raw scan.

    ``error`` is None for a usable scan, else one plain English sentence ending with a
    period. ``kind`` keeps the detected symbology even when the scan is in error.
    """

    kind: ScanKind
    raw: str
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: int | None = None
    hibcc: HibccCode | None = None
    code: str | None = None
    hibcc_link: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def has_product(self) -> bool:
        return self.gtin is not None or self.hibcc is not None

    @property
    def is_lot_label(self) -> bool:
        """A usable scan that carries lot and/or expiry but no product."""
        return (
            self.ok and not self.has_product and (self.lot is not None or self.expiry is not None)
        )

    def to_json(self) -> dict[str, Any]:
        """The ``kiosk parse --json`` object (exactly these keys)."""
        return {
            "kind": self.kind.value,
            "gtin": self.gtin,
            "lot": self.lot,
            "expiry": self.expiry.isoformat() if self.expiry is not None else None,
            "serial": self.serial,
            "quantity": self.quantity,
            "hibcc": (
                {
                    "labeler": self.hibcc.labeler,
                    "product": self.hibcc.product,
                    "uom": self.hibcc.uom,
                }
                if self.hibcc is not None
                else None
            ),
            "error": self.error,
            "code": self.code,
        }


def failed(kind: ScanKind, raw: str, error: str) -> ScanResult:
    """A scan in error."""
    return ScanResult(kind=kind, raw=raw, error=error)
