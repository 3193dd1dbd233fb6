"""Money is Decimal, never float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kiosk.domain.errors import ValidationError

ZERO = Decimal("0")
MAX_UNIT_COST = Decimal("100000")
CENT_HUNDREDTH = Decimal("0.0001")  # the finest amount: MongoDB's Decimal128 keeps 34 digits
# Commas only as thousands separators: 1,234 or 12,345,678.90 (never 1,50 or 1.234,50).
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def _without_thousands_separators(raw: str, what: str) -> str:
    if "," not in raw:
        return raw
    if not _GROUPED.fullmatch(raw):
        raise ValidationError(
            f"The {what} {raw[:40]!r} has a comma that is not a thousands separator; "
            "write it with a decimal point, e.g. 1.50.")
    return raw.replace(",", "")


def parse_money(text: object, what: str = "unit cost") -> Decimal:
    """Parse a non-negative amount of at most 4 decimal places; floats are refused outright."""
    if isinstance(text, float):
        raise ValidationError(f"The {what} must be given as text or Decimal, not a float.")
    raw = str(text).strip().lstrip("$") if text is not None else ""
    raw = _without_thousands_separators(raw, what)
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"The {what} {str(text)[:40]!r} is not a number.") from None
    if not value.is_finite():
        raise ValidationError(f"The {what} {raw!r} is not a finite number.")
    if value < 0:
        raise ValidationError(f"The {what} cannot be negative.")
    if value > MAX_UNIT_COST:
        raise ValidationError(f"The {what} {raw} is larger than {MAX_UNIT_COST}; check the value.")
    exponent = value.as_tuple().exponent  # an int: the value is finite
    exact = value.quantize(CENT_HUNDREDTH) if isinstance(exponent, int) and exponent < -4 else value
    if exact != value:
        raise ValidationError(f"The {what} {raw[:40]} has more than 4 decimal places.")
    return exact
