"""HIBC LIC (HIBCC) supplier labels: primary, secondary and concatenated symbols.

- Primary: ``+`` LIC (4, first a letter) PCN (1-18 letters/digits) U/M (digit) check.
- Secondary: ``+`` secondary data [``/`` supplemental ...], link character (the
  primary's check character), check character. See ``hibcc_secondary`` for the
  secondary data formats.
- Concatenated: ``+`` LIC PCN U/M ``/`` secondary data [``/`` supplemental ...] check;
  the primary check, the secondary '+' and the link character are left out.
- A primary symbol directly followed by its secondary symbol in one read is joined.

Every symbol ends with a modulo-43 check character over everything before it,
starting with the '+' (ANSI/HIBC 2.6).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kiosk.domain.barcodes.hibcc_chars import is_hibc_text, mod43_check_char
from kiosk.domain.barcodes.hibcc_secondary import (
    HibccError,
    SecondaryData,
    parse_secondary_segments,
)
from kiosk.domain.barcodes.result import HibccCode, ScanKind, ScanResult, failed

__all__ = ["CHECK_ERROR_START", "check_hibcc", "parse_hibcc"]

CHECK_ERROR_START = "The HIBCC check character is"

_PRIMARY = re.compile(r"([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])")


def check_hibcc(text: str) -> str | None:
    """None when ``text`` (uppercase, starting with '+') has a right check character,
    else one sentence saying what is wrong."""
    if len(text) < 4:
        return "The HIBCC barcode is cut short."
    expected = mod43_check_char(text[:-1])
    if text[-1] != expected:
        shown = "a space" if text[-1] == " " else f"“{text[-1]}”"
        return (
            f"{CHECK_ERROR_START} {shown} but should be “{expected}”, "
            "so the barcode was misread or is damaged."
        )
    return None


def _primary(data: str) -> HibccCode:
    match = _PRIMARY.fullmatch(data)
    if match is not None:
        return HibccCode(labeler=match[1], product=match[2], uom=int(match[3]))
    if len(data) < 6:
        raise HibccError("The HIBCC product code is cut short.")
    if not data[-1].isdigit():
        raise HibccError("The HIBCC product code does not end with a unit-of-measure digit.")
    if len(data) > 4 + 18 + 1:
        raise HibccError("The HIBCC product number is longer than 18 characters.")
    raise HibccError("The HIBCC product code contains characters other than letters and digits.")


def _concatenated(body: str, raw: str) -> ScanResult:
    parts = body.split("/")
    code = _primary(parts[0])
    data = parse_secondary_segments(parts[1:])
    return ScanResult(
        kind=ScanKind.HIBCC,
        raw=raw,
        hibcc=code,
        lot=data.lot,
        expiry=data.expiry,
        serial=data.serial,
        quantity=data.quantity,
    )


def _standalone_secondary(body: str, raw: str) -> ScanResult:
    if len(body) < 2:
        raise HibccError("The HIBCC lot label is cut short.")
    # the last character is the link character, which may itself be a '/'
    data = parse_secondary_segments(body[:-1].split("/"), standalone=True)
    if data == SecondaryData():
        raise HibccError(
            "The HIBCC lot label carries no lot, expiry date, serial number or quantity."
        )
    return ScanResult(
        kind=ScanKind.HIBCC,
        raw=raw,
        lot=data.lot,
        expiry=data.expiry,
        serial=data.serial,
        quantity=data.quantity,
        hibcc_link=body[-1],
    )


def _parse_checked(text: str, raw: str) -> ScanResult:
    """Parse a symbol whose check character is already known to be right."""
    body = text[1:-1]
    try:
        if body[:1].isalpha():
            return _concatenated(body, raw)
        if body[:1] == "$" or body[:1].isdigit():
            return _standalone_secondary(body, raw)
    except HibccError as exc:
        return failed(ScanKind.HIBCC, raw, str(exc))
    return failed(
        ScanKind.HIBCC,
        raw,
        "This HIBCC barcode is not a supplier product or lot label we recognise.",
    )


def _linked_pair(text: str, raw: str) -> ScanResult | None:
    """A primary symbol immediately followed by its secondary symbol (some scanners
    send both linear symbols of a label as one read), joined into one result."""
    for split, char in enumerate(text):
        if split < 2 or char != "+":
            continue
        first, second = text[:split], text[split:]
        if check_hibcc(first) is not None or check_hibcc(second) is not None:
            continue
        primary, secondary = _parse_checked(first, raw), _parse_checked(second, raw)
        if (
            primary.ok
            and secondary.ok
            and primary.hibcc is not None
            # the first symbol must be a bare primary: nothing but the product code
            and primary == ScanResult(kind=ScanKind.HIBCC, raw=raw, hibcc=primary.hibcc)
            and secondary.hibcc_link is not None
        ):
            if secondary.hibcc_link != primary.hibcc.check_char:
                return failed(
                    ScanKind.HIBCC,
                    raw,
                    f"The HIBCC lot label's link character “{secondary.hibcc_link}” does not "
                    f"match the product code's check character “{primary.hibcc.check_char}”.",
                )
            return replace(secondary, hibcc=primary.hibcc, hibcc_link=None)
    return None


def parse_hibcc(text: str, raw: str) -> ScanResult:
    """Parse an HIBCC symbol's data, which starts with '+' (any letter case)."""
    bad = next((c for c in text if not (c.isascii() and is_hibc_text(c.upper()))), None)
    if bad is not None:
        shown = f"“{bad}”" if bad.isprintable() else f"U+{ord(bad):04X}"
        return failed(
            ScanKind.HIBCC,
            raw,
            f"This HIBCC barcode contains {shown}, which HIBCC codes never carry.",
        )
    text = text.upper()
    problem = check_hibcc(text)
    if problem is None:
        return _parse_checked(text, raw)
    return _linked_pair(text, raw) or failed(ScanKind.HIBCC, raw, problem)
