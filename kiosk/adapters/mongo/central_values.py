"""Values read from central documents, checked with the rules imports use.

A central document may have been written by anything: a mongo shell (``{$set: {unitCost:
1.1}}`` stores a BSON double), an ORM with ``Float`` fields, a script with a typo. Each
reader here takes one field and either returns the domain value or raises ``ValueError``
with a short reason, which the pull turns into "this record was skipped" (never a float
frozen into a usage, never a crash that stops the other collections).

- money: Decimal128, an int or decimal text; finite, ≥ 0, ≤ the money cap, ≤ 4 places.
- counts: a BSON int (not a bool, not a double), within ±``MAX_COUNT``.
- text: a string of at most ``max_len`` characters, terminal escape sequences and control
  characters removed; a note (a recall notice) is made one line and cut to a reason's
  ``REASON_LEN`` (500) characters instead, as a reason typed at a kiosk is capped.
- revs: a BSON int from 0 to ``MAX_REV`` and, when the clinic's revision counter is known,
  not beyond it: every real rev was taken from that counter.
"""

from __future__ import annotations

from decimal import Decimal

from bson import Decimal128

from kiosk.domain.errors import ValidationError
from kiosk.domain.money import parse_money
from kiosk.domain.rules import REASON_LEN
from kiosk.domain.values import one_line, strip_controls

MAX_COUNT = 10_000_000
# A rev beyond this would park a cursor where no new revision can pass it: the largest
# integer a JavaScript (or any double) writer holds exactly; at 1,000 writes a second a
# clinic reaches it in 285,000 years.
MAX_REV = 2**53 - 1
NAME_LEN, CODE_LEN, NOTE_LEN = 200, 64, REASON_LEN


def money(doc: dict, key: str, *, required: bool = False) -> Decimal | None:
    value = doc.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key} is missing")
        return None
    if isinstance(value, float):
        raise ValueError(f"{key} is a floating-point number ({value!r}); store money as "
                         "Decimal128 or decimal text")
    if isinstance(value, bool) or not isinstance(value, Decimal128 | int | str):
        raise ValueError(f"{key} is a {type(value).__name__}, not an amount")
    if isinstance(value, Decimal128):
        value = value.to_decimal()
        if not value.is_finite():
            raise ValueError(f"{key} is {value}, not an amount")
    try:
        return parse_money(format(value, "f") if isinstance(value, Decimal) else value, key)
    except ValidationError as error:
        raise ValueError(str(error)) from None


def required_money(doc: dict, key: str) -> Decimal:
    value = money(doc, key, required=True)
    assert value is not None  # money() raised for a missing one
    return value


def count(doc: dict, key: str, default: int = 0, *, low: int = -MAX_COUNT,
          high: int = MAX_COUNT) -> int:
    value = doc.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} is a {type(value).__name__} ({str(value)[:20]}), not a "
                         "whole number")
    if not low <= value <= high:
        raise ValueError(f"{key} {value} is outside {low}..{high}")
    return value


def rev(doc: dict, counter: int | None = None) -> int:
    """The document's rev; ``counter`` is the clinic's revision counter read after the
    document (a rev is taken from it in the transaction that writes the document, so no
    real one is beyond it)."""
    value = count(doc, "rev", 0, low=0, high=MAX_REV)
    if counter is not None and value > counter:
        raise ValueError(f"rev {value} is beyond the clinic's revision counter ({counter}); "
                         "give the record a rev from the counter")
    return value


def text(doc: dict, key: str, max_len: int = NAME_LEN, *, required: bool = True,
         default: str = "") -> str:
    value = doc.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key} is missing")
        return default
    if not isinstance(value, str):
        raise ValueError(f"{key} is a {type(value).__name__}, not text")
    if len(value) > max_len:
        raise ValueError(f"{key} is {len(value)} characters long (at most {max_len})")
    cleaned = strip_controls(value).strip()
    if required and not cleaned:
        raise ValueError(f"{key} is empty")
    return cleaned


def note(doc: dict, key: str, max_len: int = NOTE_LEN) -> str | None:
    """Free text such as a recall notice: one line, cut to ``max_len`` rather than refused (a
    recall with a long notice must still block its lot), escape sequences (ANSI colours,
    hyperlinks, screen clears) and control characters removed."""
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} is a {type(value).__name__}, not text")
    return one_line(value, max_len) or None


def texts(doc: dict, key: str, max_len: int = CODE_LEN, max_items: int = 50) -> tuple[str, ...]:
    values = doc.get(key) or ()
    if not isinstance(values, list | tuple):
        raise ValueError(f"{key} is a {type(values).__name__}, not a list")
    if len(values) > max_items:
        raise ValueError(f"{key} has {len(values)} entries (at most {max_items})")
    return tuple(text({key: v}, key, max_len) for v in values)


def flag(doc: dict, key: str, default: bool) -> bool:
    value = doc.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} is a {type(value).__name__}, not true or false")
    return value
