"""Barcode parsing: GS1, HIBCC, plain GTINs and the kiosk's own codes.

``parse_scan`` turns any raw scan into a ``ScanResult`` and never raises;
``ScanAssembler`` joins a product scan with the lot/expiry label scanned after it.
"""

from kiosk.domain.barcodes.assembly import AssemblyStep, ScanAssembler, assemble
from kiosk.domain.barcodes.gtin import gtin14, is_valid_gtin
from kiosk.domain.barcodes.parse import parse_scan
from kiosk.domain.barcodes.result import HibccCode, ScanKind, ScanResult

__all__ = [
    "AssemblyStep",
    "HibccCode",
    "ScanAssembler",
    "ScanKind",
    "ScanResult",
    "assemble",
    "gtin14",
    "is_valid_gtin",
    "parse_scan",
]
