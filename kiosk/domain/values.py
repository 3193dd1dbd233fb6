"""Plain values crossing the edges: ISO dates in, JSON-safe text out."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from kiosk.domain.errors import ValidationError


def parse_iso_date(text: str | None, what: str = "the date") -> date | None:
    """A calendar date given as YYYY-MM-DD; empty means none."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{what} {text!r} is not a real date as YYYY-MM-DD.") from None


def plain(value: object) -> object:
    """A JSON-safe value: Decimal as exact decimal text, dates and times as ISO text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# Terminal escape sequences, whole: CSI (ESC [ or 0x9B ... final byte), the string kinds
# OSC, DCS, SOS, PM, APC (ESC ] P X ^ _ or their C1 bytes, up to BEL or ST; an unterminated
# one ends after 2048 characters), and the short ESC sequences (ESC ( B, ESC 7, ...).
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
                      r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,2048}"
                      r"(?:\x07|\x1b\\|\x9c)?"
                      r"|\x1b[ -/]*[0-~]?")
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
# other C0 and C1 controls, and the invisible format characters that reorder or hide text
# (bidi overrides and isolates, zero-width spaces and joiners, the BOM)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                       r"\u2060-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences (an ANSI colour, a hyperlink, a screen
    clear: the whole sequence, not only its ESC), control characters or bidi overrides.
    Tabs and newlines stay."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def one_line(text: str, max_len: int | None = None) -> str:
    """``text`` as one clean line: escape sequences and controls removed, line breaks and
    runs of blanks made one space, cut to ``max_len`` characters (the last one an ellipsis)
    when longer. For free text from outside (a recall notice) shown in a table row, a label
    or a one-sentence refusal."""
    if max_len is not None:
        text = text[: max(8 * max_len, 4096)]  # a 3 MB value costs no more than its start
    cleaned = " ".join(strip_controls(_LINE_BREAKS.sub(" ", text)).split())
    if max_len is not None and len(cleaned) > max_len:
        cleaned = cleaned[: max_len - 1].rstrip() + "…"
    return cleaned
