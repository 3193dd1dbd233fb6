"""Column types that keep money exact and times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator


class Money(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as plain decimal TEXT, so SQLite never turns it into a REAL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            # int is exact too; float (or anything else) is a bug upstream, refuse it here.
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
            value = Decimal(value)
        if not value.is_finite():
            raise ValueError(f"money must be finite, not {value}")
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"stored money {value!r} is not a decimal") from None


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, UTC stored as fixed-width ISO text, aware UTC datetimes out.

    The fixed-width text sorts like the instant, so date-range filters compare strings and
    use the index.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetimes are refused; pass a timezone-aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
