"""The HIBC character set and its modulo-43 check character."""

from __future__ import annotations

__all__ = ["HIBC_CHARSET", "is_hibc_text", "mod43_check_char"]

# Values 0..42 in this order (ANSI/HIBC 2.6, Appendix B; the Code 39 set).
HIBC_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
_VALUE = {char: value for value, char in enumerate(HIBC_CHARSET)}


def is_hibc_text(text: str) -> bool:
    """True when every character is in the HIBC character set (uppercase only)."""
    return all(char in _VALUE for char in text)


def mod43_check_char(data: str) -> str:
    """The check character over ``data`` (leading '+' included, check char excluded).

    Sum the value of every character, take the remainder modulo 43, and map that back
    to a character. Raises ValueError for a character outside the HIBC set.
    """
    try:
        total = sum(_VALUE[char] for char in data)
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not an HIBC character") from None
    return HIBC_CHARSET[total % 43]
