"""Plain values crossing the edges: ISO dates in, JSON-safe text out."""

from __future__ import annotations

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
