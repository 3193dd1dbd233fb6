"""GTIN check digits and normalisation to 14 digits."""

from __future__ import annotations

__all__ = ["GTIN_LENGTHS", "gtin14", "gtin_check_digit", "gtin_problem", "is_valid_gtin"]

GTIN_LENGTHS = (8, 12, 13, 14)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for ``body`` (a GTIN without its last digit).

    Weights 3, 1, 3, ... from the rightmost digit of the body, so left zero padding
    never changes the result.
    """
    if not _is_digits(body):
        raise ValueError("a GTIN body is digits only")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(value: str) -> bool:
    """True for an 8, 12, 13 or 14 digit string whose check digit is right."""
    if not isinstance(value, str) or len(value) not in GTIN_LENGTHS or not _is_digits(value):
        return False
    return gtin_check_digit(value[:-1]) == int(value[-1])


def gtin14(value: str) -> str:
    """Pad an 8, 12, 13 or 14 digit GTIN with leading zeros to 14 digits.

    Does not validate the check digit (see ``is_valid_gtin``); raises ValueError when
    the value is not 8, 12, 13 or 14 digits.
    """
    if not isinstance(value, str) or len(value) not in GTIN_LENGTHS or not _is_digits(value):
        raise ValueError("a GTIN has 8, 12, 13 or 14 digits")
    return value.zfill(14)


def gtin_problem(value: str) -> str | None:
    """None for a valid GTIN, else one sentence saying what is wrong with it."""
    if not _is_digits(value):
        return "The product number contains characters other than digits."
    if len(value) not in GTIN_LENGTHS:
        return (
            f"The product number has {len(value)} digits, but a GTIN has 8, 12, 13 "
            "or 14, so the scan may be cut short."
        )
    expected = gtin_check_digit(value[:-1])
    if expected != int(value[-1]):
        return (
            f"The GTIN {value} has a wrong check digit: expected {expected} "
            f"but the last digit is {value[-1]}."
        )
    return None
