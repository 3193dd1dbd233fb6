"""The single entry point: any raw scan -> a typed ScanResult, never an exception."""

from __future__ import annotations

import re

from biip.upc import Upc

from kiosk.domain.barcodes.gs1 import (
    GS,
    parse_gs1_digital_link,
    parse_gs1_element_string,
    parse_gs1_hri,
)
from kiosk.domain.barcodes.gtin import GTIN_LENGTHS, gtin14, gtin_problem
from kiosk.domain.barcodes.hibcc import CHECK_ERROR_START, parse_hibcc
from kiosk.domain.barcodes.kiosk_codes import kiosk_code_kind, parse_kiosk_code
from kiosk.domain.barcodes.result import ScanKind, ScanResult, failed

__all__ = ["EMPTY", "MAX_LENGTH", "UNKNOWN", "parse_scan"]

MAX_LENGTH = 512
EMPTY = "The scan was empty."
UNKNOWN = "This barcode is not a supply, staff or patient code we recognise."
UNREADABLE = "This barcode could not be read."

# ISO/IEC 15424 symbology identifiers: ']' + code character + modifier.
_SYMBOLOGY = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_GS1_SYMBOLOGIES = {"C1", "d2", "Q3", "e0", "e1", "e2", "J1"}
_EAN_SYMBOLOGIES = {"E0", "E3", "E4", "I1"}
_GS1_FIRST_AIS = {"01", "10", "17", "21", "30", "37"}
# ]E0 sends EAN-13 and UPC-A as 13 digits, ]E4 sends EAN-8 (GS1 General Specifications,
# symbology identifiers); UPC-E under ]E0 as 6-8 digits is read as a leniency.
_SYMBOLOGY_DIGITS = {"E0": ("EAN-13 or UPC-A", 13), "E4": ("EAN-8", 8)}


def _to_text(raw: object) -> tuple[str | None, str | None]:
    """(text, None) for text-like input, else (None, error sentence)."""
    if raw is None:
        return "", None
    if isinstance(raw, str):
        return str(raw), None
    if isinstance(raw, bytes | bytearray | memoryview):
        try:
            return bytes(raw).decode("utf-8"), None
        except UnicodeDecodeError:
            return (
                None,
                "The scan contains bytes that are not text, so it is not a barcode we accept.",
            )
    return None, "The scan was not text, so it is not a barcode we accept."


def _symbology_length_problem(digits: str, symbology: str | None) -> str | None:
    if symbology not in _SYMBOLOGY_DIGITS:
        return None
    name, length = _SYMBOLOGY_DIGITS[symbology]
    upc_e = symbology == "E0" and len(digits) in (6, 7, 8) and digits[0] in "01"
    if len(digits) == length or upc_e:
        return None
    return (
        f"An {name} scan (]{symbology}) carries {length} digits, but this one has "
        f"{len(digits)}, so it may be misread or cut short."
    )


def _gtin(digits: str, raw: str, symbology: str | None = None) -> ScanResult:
    problem = _symbology_length_problem(digits, symbology)
    if problem is not None:
        return failed(ScanKind.GTIN, raw, problem)
    if symbology == "E0" and len(digits) in (6, 7, 8) and digits[0] in "01":
        try:  # UPC-E: expand to UPC-A first
            digits = Upc.parse(digits).as_upc_a()
        except Exception:  # biip raises ParseError, and a plain Exception for some input
            return failed(
                ScanKind.GTIN, raw, "The UPC-E code has a wrong check digit or is damaged."
            )
    if symbology == "E3" and len(digits) in (15, 18):
        digits = digits[:13]  # EAN-13 with a 2 or 5 digit add-on
    problem = gtin_problem(digits)
    if problem is not None:
        return failed(ScanKind.GTIN, raw, problem)
    return ScanResult(kind=ScanKind.GTIN, raw=raw, gtin=gtin14(digits))


def _hibcc(content: str, raw: str, trailing_spaces: int) -> ScanResult:
    """A space is a valid HIBCC check (and link) character, so spaces the cleaning
    stripped are put back first; the stripped form is the fallback."""
    results = [
        parse_hibcc(content + " " * count, raw + " " * count)
        for count in range(min(trailing_spaces, 2), -1, -1)
    ]
    for result in results:
        if result.ok:
            return result
    for result in results:
        if not (result.error or "").startswith(CHECK_ERROR_START):
            return result
    return results[-1]


def _digits(content: str, raw: str) -> ScanResult:
    """Digits only: a GTIN, or a GS1 element string sent without FNC1/identifier."""
    if len(content) in GTIN_LENGTHS or 6 <= len(content) < 16:
        return _gtin(content, raw)
    if len(content) >= 16:
        return parse_gs1_element_string(content, raw)
    return failed(ScanKind.UNKNOWN, raw, UNKNOWN)


def _other(content: str, raw: str) -> ScanResult:
    """Anything else: a raw GS1 element string, or not a code we know."""
    result = parse_gs1_element_string(content, raw)
    if result.ok or GS in content or content[:2] in _GS1_FIRST_AIS:
        return result
    return failed(ScanKind.UNKNOWN, raw, UNKNOWN)


def _by_content(content: str, raw: str, trailing_spaces: int) -> ScanResult:
    """Dispatch on what the data looks like (no GS1 symbology identifier)."""
    if content.startswith("*") or content.endswith("*"):
        content = content.strip("*")  # Code 39 start/stop characters some scanners send
    if content.startswith("+"):
        return _hibcc(content, raw, trailing_spaces)
    if content[:8].lower().startswith(("http://", "https://")):
        return parse_gs1_digital_link(content, raw)
    if content.startswith("("):
        return parse_gs1_hri(content, raw)
    if kiosk_code_kind(content) is not None:
        return parse_kiosk_code(content, raw)
    if content.isascii() and content.isdigit():
        return _digits(content, raw)
    return _other(content, raw) if content else failed(ScanKind.UNKNOWN, raw, EMPTY)


def _by_symbology(clean: str, trailing_spaces: int) -> ScanResult:
    """Dispatch on the ISO/IEC 15424 symbology identifier the scanner put in front."""
    if not _SYMBOLOGY.match(clean):
        return failed(ScanKind.UNKNOWN, clean, UNKNOWN)
    symbology, content = clean[1:3], clean[3:]
    if symbology in _GS1_SYMBOLOGIES:
        if content[:8].lower().startswith(("http://", "https://")):
            return parse_gs1_digital_link(content, clean)
        return parse_gs1_element_string(content, clean)
    if symbology in _EAN_SYMBOLOGIES and content.isascii() and content.isdigit():
        return _gtin(content, clean, symbology)
    return _by_content(content, clean, trailing_spaces)


def _clean(raw_input: object) -> tuple[str, int] | ScanResult:
    """(cleaned text, number of trailing spaces stripped), or a result in error."""
    text, problem = _to_text(raw_input)
    if text is None:
        return failed(ScanKind.UNKNOWN, "", problem or UNREADABLE)
    clean = text.strip()
    if not clean:
        return failed(ScanKind.UNKNOWN, "", EMPTY)
    if len(clean) > MAX_LENGTH:
        return failed(
            ScanKind.UNKNOWN,
            clean[:MAX_LENGTH],
            f"The scan is {len(clean)} characters long, more than the {MAX_LENGTH} "
            "that any barcode we accept holds.",
        )
    bad = next((char for char in clean if char != GS and not char.isprintable()), None)
    if bad is not None:
        return failed(
            ScanKind.UNKNOWN,
            clean,
            f"The scan contains a control or binary character (U+{ord(bad):04X}) "
            "that no barcode we accept carries.",
        )
    unterminated = text.rstrip("\r\n")
    return clean, len(unterminated) - len(unterminated.rstrip(" "))


def _parse(raw_input: object) -> ScanResult:
    cleaned = _clean(raw_input)
    if isinstance(cleaned, ScanResult):
        return cleaned
    clean, trailing_spaces = cleaned
    if clean.startswith("]"):
        return _by_symbology(clean, trailing_spaces)
    return _by_content(clean, clean, trailing_spaces)


def parse_scan(raw: str | bytes) -> ScanResult:
    """Turn one raw scan into a ScanResult. Never raises, whatever it is given.

    Accepts GS1 element strings (``]d2``/``]C1``/``]Q3`` or none, FNC1 as GS),
    bracketed GS1 HRI, GS1 Digital Link URLs, HIBCC primary/secondary/concatenated
    symbols, plain UPC-A/EAN-13/EAN-8/GTIN-14 digits, ``STAFF-<badge>`` and
    ``CHART-<chart>``. Problems come back as ``ScanResult.error``, one sentence.
    """
    try:
        return _parse(raw)
    except Exception:  # the scanner pipeline must never raise, whatever it is given
        return failed(ScanKind.UNKNOWN, raw if isinstance(raw, str) else "", UNREADABLE)
