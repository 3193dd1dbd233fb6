"""HIBC LIC secondary data: quantity, expiry date, lot or serial number.

Secondary data (after the '+' flag, before the link and check characters) begins with:

- five digits YYJJJ (the old Julian-date format), then the lot;
- ``$`` then the lot, or ``$+`` then the serial number;
- ``$$`` (lot) or ``$$+`` (serial), then a format digit: 0 or 1 is the first digit of
  an MMYY date; 2..6 introduce MMDDYY, YYMMDD, YYMMDDHH, YYJJJ, YYJJJHH; 7 means no
  date; 8 and 9 introduce a 2- and 5-digit quantity, optionally followed by one of the
  date forms. Then the lot or serial number (up to 18 characters).

Concatenated and stand-alone secondary symbols may add supplemental fields after further
'/' separators: ``S`` serial, ``14D`` expiry YYYYMMDD, ``16D`` manufacture date YYYYMMDD,
``Q`` quantity. ``parse_secondary_segments`` reads both the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kiosk.domain.barcodes.dates import expand_year, julian_date, month_end

__all__ = [
    "HibccError",
    "SecondaryData",
    "merge_secondary",
    "parse_secondary",
    "parse_secondary_segments",
    "parse_supplemental",
]

_FORMATS = {"2": "MMDDYY", "3": "YYMMDD", "4": "YYMMDDHH", "5": "YYJJJ", "6": "YYJJJHH"}
_IDENT = re.compile(r"[A-Z0-9.\-]{1,18}")


class HibccError(ValueError):
    """A problem with an HIBCC code; ``str(exc)`` is one sentence for the user."""


@dataclass(frozen=True)
class SecondaryData:
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: int | None = None


def _decode_date(fmt: str, digits: str) -> date:
    """Date from the digits of one HIBC date format; month-only dates give month end."""
    if len(digits) != len(fmt) or not digits.isdigit():
        raise HibccError("The HIBCC expiry date is cut short or not a number.")
    part = {
        key: int(digits[fmt.index(key) : fmt.index(key) + 2])
        for key in ("YY", "MM", "DD", "HH")
        if key in fmt
    }
    try:
        if part.get("HH", 0) > 23:
            raise ValueError("hour out of range")
        year = expand_year(part["YY"])
        if fmt == "MMYY":
            return month_end(year, part["MM"])
        if "JJJ" in fmt:
            return julian_date(year, int(digits[2:5]))
        return date(year, part["MM"], part["DD"])
    except ValueError:
        raise HibccError(
            f"The expiry date {digits} ({fmt}) in this HIBCC barcode is not a real date."
        ) from None


def _date(rest: str) -> tuple[date | None, str]:
    """Read a date form (format digit or MMYY) from the start of ``rest``."""
    if not rest:
        raise HibccError("The HIBCC lot label is cut short before its expiry date.")
    flag = rest[0]
    if flag in "01":
        return _decode_date("MMYY", rest[:4]), rest[4:]
    if flag in _FORMATS:
        fmt = _FORMATS[flag]
        return _decode_date(fmt, rest[1 : 1 + len(fmt)]), rest[1 + len(fmt) :]
    if flag == "7":
        return None, rest[1:]
    raise HibccError(
        f"The HIBCC lot label uses an expiry date format ({flag}) we do not recognise."
    )


def _optional_date(rest: str) -> tuple[date | None, str]:
    """After a quantity the date is optional: read one only when a date form follows."""
    if rest[:1] in ("2", "3", "4", "5", "6", "7"):
        return _date(rest)
    if rest[:1] in ("0", "1") and len(rest) >= 4 and rest[:4].isdigit():
        return _date(rest)
    return None, rest


def _identifier(text: str, what: str) -> str | None:
    if not text:
        return None
    if not _IDENT.fullmatch(text):
        raise HibccError(
            f"The HIBCC {what} {text} is longer than 18 characters or has characters "
            f"a {what} cannot contain."
        )
    return text


def parse_secondary(data: str) -> SecondaryData:
    """Parse secondary data (no '+' flag, link or check character). Raises HibccError."""
    quantity: int | None = None
    expiry: date | None = None
    serial = False
    if data.startswith("$$"):
        rest = data[2:]
        serial = rest.startswith("+")
        rest = rest[1:] if serial else rest
        if rest[:1] in ("8", "9"):
            size = 2 if rest[0] == "8" else 5
            digits = rest[1 : 1 + size]
            if len(digits) != size or not digits.isdigit():
                raise HibccError("The HIBCC quantity is cut short or not a number.")
            quantity = int(digits)
            expiry, rest = _optional_date(rest[1 + size :])
        else:
            expiry, rest = _date(rest)
    elif data.startswith("$+"):
        serial, rest = True, data[2:]
    elif data.startswith("$"):
        rest = data[1:]
    elif data[:1].isdigit():
        expiry, rest = _decode_date("YYJJJ", data[:5]), data[5:]
    else:
        raise HibccError("The HIBCC secondary data is not in a format we recognise.")
    if serial:
        return SecondaryData(
            expiry=expiry, serial=_identifier(rest, "serial number"), quantity=quantity
        )
    return SecondaryData(lot=_identifier(rest, "lot number"), expiry=expiry, quantity=quantity)


def _long_date(digits: str, what: str) -> date:
    try:
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError("not YYYYMMDD")
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise HibccError(f"The {what} {digits} in this HIBCC barcode is not a real date.") from None


def _merge(data: SecondaryData, field: str, value: Any, label: str) -> SecondaryData:
    # value is of the named field's type (str, date or int); replace() cannot check that
    current = getattr(data, field)
    if current is not None and current != value:
        raise HibccError(
            f"The HIBCC barcode carries two different {label}s: {current} and {value}."
        )
    return replace(data, **{field: value})


def merge_secondary(data: SecondaryData, other: SecondaryData) -> SecondaryData:
    """Fill ``data`` from ``other``; a field given twice with different values is an error."""
    labels = {
        "lot": "lot number",
        "expiry": "expiry date",
        "serial": "serial number",
        "quantity": "quantity",
    }
    for field, label in labels.items():
        value = getattr(other, field)
        if value is not None:
            data = _merge(data, field, value, label)
    return data


def parse_supplemental(segment: str, data: SecondaryData) -> SecondaryData:
    """Apply one supplemental '/' field of a concatenated symbol. Raises HibccError."""
    if segment.startswith("14D"):
        return _merge(data, "expiry", _long_date(segment[3:], "expiry date"), "expiry date")
    if segment.startswith("16D"):
        _long_date(segment[3:], "manufacture date")
        return data
    if segment.startswith("S") and len(segment) > 1:
        serial = _identifier(segment[1:], "serial number")
        return _merge(data, "serial", serial, "serial number")
    if segment.startswith("Q") and segment[1:].isdigit():
        return _merge(data, "quantity", int(segment[1:]), "quantity")
    raise HibccError(f"The HIBCC barcode has a field ({segment[:4]}) we do not recognise.")


def _starts_secondary(segment: str) -> bool:
    return segment[0] == "$" or (segment[0].isdigit() and not segment.startswith(("14D", "16D")))


def parse_secondary_segments(segments: list[str], *, standalone: bool = False) -> SecondaryData:
    """The '/'-separated secondary data of a symbol: one secondary data field and any
    supplemental fields, as in a concatenated symbol after its primary data or in a
    stand-alone secondary symbol (without its link and check), which must begin with
    its secondary data field. Raises HibccError."""
    if standalone and segments[:1] and segments[0] and not _starts_secondary(segments[0]):
        raise HibccError("The HIBCC secondary data is not in a format we recognise.")
    data = SecondaryData()
    seen_secondary = False
    for segment in segments:
        if not segment:
            raise HibccError("The HIBCC barcode is cut short after a '/' separator.")
        if _starts_secondary(segment) and not seen_secondary:
            seen_secondary = True
            data = merge_secondary(data, parse_secondary(segment))
        else:
            data = parse_supplemental(segment, data)
    return data
