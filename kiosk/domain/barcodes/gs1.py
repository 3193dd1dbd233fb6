"""GS1 element strings, bracketed HRI and Digital Link URLs, read with biip.

biip does the AI tables and value patterns; this module walks the element strings
itself (with biip's public per-element parser) so that a failure can be explained in
one plain sentence naming the application identifier (AI) at fault.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, unquote, urlsplit

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString

from kiosk.domain.barcodes.digital_link import digital_link_problem
from kiosk.domain.barcodes.gtin import gtin_problem
from kiosk.domain.barcodes.result import ScanKind, ScanResult, failed

__all__ = ["GS", "parse_gs1_digital_link", "parse_gs1_element_string", "parse_gs1_hri"]

GS = "\x1d"
# Dates are checked here, not by biip, so that a bad date gets its own sentence.
_CONFIG = ParseConfig(gs1_element_strings_verify_date=False, separator_chars=(GS,))
_DATE_NAMES = {
    "11": "production date",
    "12": "due date",
    "13": "packaging date",
    "15": "best-before date",
    "16": "sell-by date",
    "17": "expiry date",
}
_HRI_WHOLE = re.compile(r"(?:\(\d{2,4}\)[^()]*)+")
_HRI_PAIR = re.compile(r"\((\d{2,4})\)([^()]*)")
_FIXED_NUMERIC = re.compile(r"N\d\+N(\d+)")
_NO_DATA = "This GS1 barcode carries no product number, lot or expiry date."
# AIs GS1 never allows in one element string (GS1 General Specifications, invalid pairs).
_EXCLUSIVE = {
    ("01", "02"): (
        "This GS1 barcode carries both a product number (01) and a contained-items number "
        "(02), which GS1 never allows in one barcode."
    ),
}


def _diagnose(element: str) -> str:
    """One sentence on why ``element`` (an AI and what follows it) does not parse."""
    try:
        ai = GS1ApplicationIdentifier.extract(element)
    except ParseError:
        shown = element[:4].replace(GS, "<GS>")
        return (
            f"The GS1 barcode contains an unknown application identifier at "
            f"“{shown}”, so it may be misread or cut short."
        )
    value = element[len(ai.ai) :].split(GS, 1)[0]
    if ai.ai in _DATE_NAMES:
        digits = value[:6]
        if len(digits) == 6 and digits.isdigit():
            return (
                f"The {_DATE_NAMES[ai.ai]} {digits} (YYMMDD) in this GS1 barcode "
                "is not a real date."
            )
    fixed = _FIXED_NUMERIC.fullmatch(ai.format)
    if not value:
        return f"The GS1 barcode is cut short: {ai} has no value."
    if fixed is not None and value.isdigit() and len(value) < int(fixed.group(1)):
        return (
            f"The GS1 barcode is cut short: {ai} needs {fixed.group(1)} digits "
            f"but has only {len(value)}."
        )
    return f"The GS1 barcode has a value for {ai} that is not allowed there."


def _exclusive_problem(elements: list[GS1ElementString]) -> str | None:
    present = {element.ai.ai for element in elements}
    return next((text for pair, text in _EXCLUSIVE.items() if present.issuperset(pair)), None)


def _from_elements(elements: list[GS1ElementString], raw: str) -> ScanResult:
    fields: dict[str, str] = {}
    expiry: date | None = None
    quantity: int | None = None
    for element in elements:
        ai = element.ai.ai
        value = element.value
        if ai in ("01", "10", "17", "21"):
            if ai in fields and fields[ai] != value:
                return failed(
                    ScanKind.GS1,
                    raw,
                    f"The GS1 barcode carries two different values for ({ai}): "
                    f"{fields[ai]} and {value}.",
                )
            fields[ai] = value
        if ai == "01":
            problem = gtin_problem(value)
            if problem is not None:
                return failed(ScanKind.GS1, raw, problem)
        elif ai == "17":
            expiry = element.date
            if expiry is None:
                return failed(ScanKind.GS1, raw, _diagnose(f"17{value}"))
        elif ai in ("30", "37") and quantity is None:
            if not value:
                return failed(
                    ScanKind.GS1, raw, f"The GS1 barcode is cut short: ({ai}) has no value."
                )
            quantity = int(value)
    if not ({"01", "10", "17"} & fields.keys()):
        return failed(ScanKind.GS1, raw, _NO_DATA)
    return ScanResult(
        kind=ScanKind.GS1,
        raw=raw,
        gtin=fields.get("01"),
        lot=fields.get("10"),
        expiry=expiry,
        serial=fields.get("21"),
        quantity=quantity,
    )


def _checked(elements: list[GS1ElementString], raw: str) -> ScanResult:
    """The scan result of a whole element string, after the pair rules GS1 sets."""
    problem = _exclusive_problem(elements)
    if problem is not None:
        return failed(ScanKind.GS1, raw, problem)
    return _from_elements(elements, raw)


def parse_gs1_element_string(data: str, raw: str) -> ScanResult:
    """A GS1 element string as DataMatrix/GS1-128/QR scanners send it (FNC1 as GS)."""
    rest = data.lstrip(GS)
    if not rest:
        return failed(ScanKind.GS1, raw, "The GS1 barcode carried no data.")
    elements: list[GS1ElementString] = []
    while rest:
        try:
            element = GS1ElementString.extract(rest, config=_CONFIG)
        except ParseError:
            return failed(ScanKind.GS1, raw, _diagnose(rest))
        elements.append(element)
        rest = rest[len(element) :].lstrip(GS)
    return _checked(elements, raw)


def parse_gs1_hri(text: str, raw: str) -> ScanResult:
    """Bracketed human-readable text: ``(01)00812345678905(17)271231(10)LOT42``."""
    compact = "".join(text.split())
    if not _HRI_WHOLE.fullmatch(compact):
        return failed(
            ScanKind.GS1,
            raw,
            "The GS1 text is not in the (AI)value(AI)value form, so it cannot be read.",
        )
    elements: list[GS1ElementString] = []
    for ai, value in _HRI_PAIR.findall(compact):
        if not value:
            return failed(ScanKind.GS1, raw, f"The GS1 barcode is cut short: ({ai}) has no value.")
        try:
            element = GS1ElementString.parse(f"{ai}{value}", config=_CONFIG)
        except ParseError:
            return failed(ScanKind.GS1, raw, _diagnose(f"{ai}{value}"))
        if element.ai.ai != ai:
            return failed(
                ScanKind.GS1,
                raw,
                f"The GS1 barcode contains an unknown application identifier ({ai}).",
            )
        elements.append(element)
    return _checked(elements, raw)


def _url_pairs(url: str) -> list[tuple[str, str]]:
    """(AI, value) pairs of a Digital Link URL, found without biip, for diagnostics."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 host
        return []
    segments = parts.path.split("/")
    pairs: list[tuple[str, str]] = []
    start = next((i for i, seg in enumerate(segments) if seg.isdigit() and len(seg) >= 2), None)
    if start is not None:
        path = segments[start:]
        pairs += [(path[i], unquote(path[i + 1])) for i in range(0, len(path) - 1, 2)]
    pairs += [(k, v) for k, v in parse_qsl(parts.query) if k.isdigit()]
    return pairs


def parse_gs1_digital_link(url: str, raw: str) -> ScanResult:
    """A GS1 Digital Link URL: ``https://id.example.com/01/<gtin>/10/<lot>?17=YYMMDD``."""
    problem = digital_link_problem(url)
    if problem is not None:
        return failed(ScanKind.GS1, raw, problem)
    try:
        uri = GS1DigitalLinkURI.parse(url, config=_CONFIG)
    except (ParseError, ValueError):
        pairs = _url_pairs(url)
        for ai, value in pairs:
            if not value:
                return failed(
                    ScanKind.GS1, raw, f"The GS1 barcode is cut short: ({ai}) has no value."
                )
            try:
                GS1ElementString.parse(f"{ai}{value}", config=_CONFIG)
            except ParseError:
                return failed(ScanKind.GS1, raw, _diagnose(f"{ai}{value}"))
        kind = ScanKind.GS1 if pairs else ScanKind.UNKNOWN
        return failed(
            kind, raw, "This web address is not a GS1 Digital Link for a product we can read."
        )
    return _checked(list(uri.element_strings), raw)
