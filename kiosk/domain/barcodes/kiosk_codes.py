"""The kiosk's own codes: staff badges and patient chart labels."""

from __future__ import annotations

import re

from kiosk.domain.barcodes.result import ScanKind, ScanResult, failed

__all__ = ["CHART_PREFIX", "STAFF_PREFIX", "kiosk_code_kind", "parse_kiosk_code"]

STAFF_PREFIX = "STAFF-"
CHART_PREFIX = "CHART-"
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,32}")
_WHAT = {ScanKind.STAFF: "staff badge", ScanKind.PATIENT: "patient chart"}


def kiosk_code_kind(text: str) -> ScanKind | None:
    """STAFF or PATIENT when ``text`` starts with the badge or chart prefix (any case)."""
    head = text[:6].upper()
    if head == STAFF_PREFIX:
        return ScanKind.STAFF
    if head == CHART_PREFIX:
        return ScanKind.PATIENT
    return None


def parse_kiosk_code(text: str, raw: str) -> ScanResult:
    """``STAFF-<badge>`` or ``CHART-<chart number>``; the code is 1-32 of [A-Za-z0-9_.-]."""
    kind = kiosk_code_kind(text)
    if kind is None:
        return failed(ScanKind.UNKNOWN, raw, "This is not a staff badge or patient chart code.")
    code = text[6:]
    what = _WHAT[kind]
    if not code:
        return failed(kind, raw, f"The {what} code is empty after its prefix.")
    if len(code) > 32:
        return failed(kind, raw, f"The {what} code is longer than 32 characters.")
    if not _CODE.fullmatch(code):
        return failed(
            kind,
            raw,
            f"The {what} code may only contain letters, digits, '_', '.' and '-'.",
        )
    return ScanResult(kind=kind, raw=raw, code=code)
