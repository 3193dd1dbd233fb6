"""What the chairside screen says about a scan error: plain words for a misread.

The parser's sentences name the check digit or character that failed; that detail is right
for the log and ``kiosk parse``, but an assistant only needs to know to scan again.
"""

from __future__ import annotations

from kiosk.domain.barcodes.hibcc import CHECK_ERROR_START

__all__ = ["MISREAD", "is_misread", "shown_error"]

MISREAD = "This barcode did not read correctly; scan it again."
_MISREAD_MARKS = ("wrong check digit", CHECK_ERROR_START.lower())


def is_misread(error: str) -> bool:
    """True for a check digit / check character failure (a misread or damaged label)."""
    lowered = error.lower()
    return any(mark in lowered for mark in _MISREAD_MARKS)


def shown_error(error: str) -> str:
    """The sentence for the screen: ``MISREAD`` for a check failure, else the error itself."""
    return MISREAD if is_misread(error) else error
