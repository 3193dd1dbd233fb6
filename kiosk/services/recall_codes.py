"""What a recall's ``code_info`` text names: lots, lot ranges, expiries, device identifiers
and catalog numbers, as openFDA records print them.

Real texts come in many shapes, e.g. (all from FDA device recall records):
  "Lot R131360"
  "R&D Lot Numbers:4519 - 4522, 4524 - 4527"           a range is expanded when both ends
                                                        share their prefix and width
  "Lot Numbers: 1234567 Exp. 03/31/2025; 1234568 …"    the expiry beside each lot is kept
  "UDI code: (01)00812345678905(10)LOT42(17)270131"    any GS1 form: parenthesised, with a
  "(01) 00812345678905", "UDI/DI 00812345678905"        space, or a plain 8-14 digit run
  "Product No. 91672, 91673, and 91689", "REF #224-017", "Catalog No. 350-0101", "Model 3M-12"

The reader never decides what is recalled: ``recalls`` matches these against the catalog. It
reports ``names_lots`` when the text speaks of lots at all, so that a text naming only device
identifiers or catalog numbers reads as a product-level recall (every lot of the product),
while a text that lists lots the reader could not split never widens to every lot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kiosk.domain.barcodes import gtin14, is_valid_gtin
from kiosk.domain.barcodes.gs1 import parse_gs1_hri

MAX_RANGE = 10_000  # a range wider than this is read as its two ends only

_LOT_WORD = re.compile(r"\b(?:lot|lots|lot#|batch)\b|\blot(?=\s*(?:#|no\b|number|code|:))|"
                       r"\(10\)", re.IGNORECASE)
_LOT_LIST = re.compile(
    r"\b(?:lots?|batch(?:es)?)(?:\s*(?:numbers?|nos?\.?|codes?|#))*\s*[:#.]?\s*"
    r"(?P<list>.*?)"
    r"(?=(?:\b(?:udi|ref|reference|product|catalog|cat|model|part|item|serial|gtin|di)\b"
    r"[\s.#:/]|\(01\)|$|(?<![Ee]xp)\.\s|\.$))", re.IGNORECASE)
_REF_LIST = re.compile(
    r"\b(?:ref(?:erence)?|product|catalog(?:ue)?|cat|model|part|item|article)"
    r"(?:\s*(?:numbers?|nos?\.?|#|code))*\s*[:#.]?\s*(?P<list>[^.;]*?)"
    r"(?=(?:\b(?:lot|lots|batch|udi|serial|exp|expiry|expiration)\b|\(01\)|$|\.\s|\.$|;))",
    re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]*[A-Za-z0-9]|[A-Za-z0-9]")
_RANGE = re.compile(r"(?P<a>[A-Za-z0-9-]*?\d+)\s*(?:-|–|to|through|thru)\s*"
                    r"(?P<b>[A-Za-z0-9-]*?\d+)", re.IGNORECASE)
_EXPIRY = re.compile(r"\b(?:exp(?:iry|iration)?(?:\s*date)?|use\s*by)\.?\s*[:.]?\s*"
                     r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-\d{2}"
                     r"|\d{1,2}/\d{4})", re.IGNORECASE)
_HRI = re.compile(r"\(01\)\s*\d{14}(?:\s*\(\d{2,4}\)\s*[^\s(),;]+)*")
_DIGIT_RUN = re.compile(r"(?<![\dA-Za-z])\d{8,14}(?![\dA-Za-z])")
_NOT_LOTS = {"and", "or", "to", "the", "of", "all", "numbers", "number", "no", "nos", "exp",
             "expiry", "expiration", "date", "code", "codes", "lot", "lots", "batch"}


@dataclass
class CodeInfo:
    lots: set[str] = field(default_factory=set)  # upper-cased
    expiries: dict[str, date] = field(default_factory=dict)  # lot (upper) -> printed expiry
    gtins: set[str] = field(default_factory=set)  # 14 digits, check digit valid
    udi_lots: dict[str, set[str]] = field(default_factory=dict)  # gtin -> lots it was paired with
    refs: set[str] = field(default_factory=set)  # catalog/model/REF numbers, upper-cased
    names_lots: bool = False  # the text names lot numbers (so it is not product-level)

    def lot_named(self, lot_number: str) -> bool:
        return lot_number.upper() in self.lots


def read_code_info(text: str) -> CodeInfo:
    info = CodeInfo()
    _read_udis(text, info)
    rest = _HRI.sub(" ", text)
    for match in _DIGIT_RUN.finditer(_EXPIRY.sub(" ", rest)):
        digits = match.group()  # GTIN-8 is left out: too many other 8-digit numbers
        if len(digits) in (12, 13, 14) and is_valid_gtin(digits):
            info.gtins.add(gtin14(digits))
    for match in _LOT_LIST.finditer(rest):
        _read_lots(match.group("list"), info)
    for match in _REF_LIST.finditer(rest):
        info.refs |= {t.upper() for t in _tokens(match.group("list"))}
    # "all lots", or lot words with no lot number one can read: the whole product
    info.names_lots = bool(info.lots) and _LOT_WORD.search(text) is not None
    return info


def _read_udis(text: str, info: CodeInfo) -> None:
    for match in _HRI.finditer(text):
        scan = parse_gs1_hri(match.group(), match.group())
        if not scan.ok or scan.gtin is None:
            continue
        info.gtins.add(scan.gtin)
        if scan.lot:
            lot = scan.lot.upper()
            info.lots.add(lot)
            info.udi_lots.setdefault(scan.gtin, set()).add(lot)
            if scan.expiry is not None:
                info.expiries[lot] = scan.expiry


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if t.lower() not in _NOT_LOTS]


def _read_lots(listed: str, info: CodeInfo) -> None:
    """Each lot of a list (ranges expanded), with the expiry printed right after it (in the
    same part, or as the next part: "Lot number AB12, Exp. 20270131")."""
    previous: list[str] = []
    for entry in re.split(r"[,;]|\band\b", listed):
        part = entry.rpartition(":")[2]  # "manufactured in 2014: B24K805": the label goes
        expiry = _EXPIRY.search(part)
        head = part[:expiry.start()] if expiry else part
        if any(not any(c.isdigit() for c in t) for t in _tokens(head)):
            continue  # prose ("all lots distributed after June 2013"), not lot numbers
        lots = [lot.upper() for lot in _lots_of(head.strip())]
        info.lots.update(lots)
        when = _date(expiry.group("date")) if expiry else None
        if when is not None:
            info.expiries.update(dict.fromkeys(lots or previous, when))
        previous = lots or previous


def _lots_of(part: str) -> list[str]:
    """The lots of one list entry: a range ("4519 - 4522", "AB-0099 to AB-0101") or lots.
    "4519-4522" without spaces may be one hyphenated lot number as well as a range: both."""
    span = _RANGE.fullmatch(part)
    if span is None:
        return _tokens(part)
    first, last = span.group("a"), span.group("b")
    expanded = _expand(first, last)
    if part != f"{first}-{last}":  # spaced, or "to"/"through": a range
        return expanded if expanded is not None else [first, last]
    return [part, *(expanded or ())]


def _expand(first: str, last: str) -> list[str] | None:
    """"4519 - 4522" -> 4519, 4520, 4521, 4522: both ends with the same prefix and width;
    None when they do not share them (or the range is implausibly wide)."""
    a, b = re.fullmatch(r"(.*?)(\d+)", first), re.fullmatch(r"(.*?)(\d+)", last)
    if (a is None or b is None or a.group(1) != b.group(1)
            or len(a.group(2)) != len(b.group(2))):
        return None
    low, high, width = int(a.group(2)), int(b.group(2)), len(a.group(2))
    if not 0 <= high - low <= MAX_RANGE:
        return None
    return [f"{a.group(1)}{n:0{width}d}" for n in range(low, high + 1)]


def _date(text: str) -> date | None:
    digits = re.findall(r"\d+", text)
    try:
        if "/" in text and len(digits) == 3:  # US labels: MM/DD/YYYY
            return date(int(digits[2]), int(digits[0]), int(digits[1]))
        if "/" in text and len(digits) == 2:  # MM/YYYY: the last day is not needed here
            return date(int(digits[1]), int(digits[0]), 1)
        if len(digits) == 3:
            return date(int(digits[0]), int(digits[1]), int(digits[2]))
        if len(digits) == 1 and len(digits[0]) == 8:
            return date(int(digits[0][:4]), int(digits[0][4:6]), int(digits[0][6:]))
    except ValueError:
        return None
    return None
