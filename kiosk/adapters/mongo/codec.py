"""Conversions between domain values and BSON: ObjectId ids, Decimal128 money, UTC datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import overload

from bson import Decimal128, ObjectId


def oid(hex_id: str | None) -> ObjectId | None:
    return ObjectId(hex_id) if hex_id else None


@overload
def hex_id(value: ObjectId) -> str: ...
@overload
def hex_id(value: None) -> None: ...
def hex_id(value: ObjectId | None) -> str | None:
    return str(value) if value is not None else None


def dec128(value: Decimal | str | None) -> Decimal128 | None:
    """Exact: Decimal128 holds 34 significant digits, far beyond any unit cost."""
    return Decimal128(Decimal(value)) if value is not None else None


@overload
def dec(value: Decimal128 | Decimal | int) -> Decimal: ...
@overload
def dec(value: None) -> None: ...
def dec(value: Decimal128 | Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal128):
        return value.to_decimal()
    return Decimal(value)


def day_to_datetime(day: date | None) -> datetime | None:
    """MongoDB has no date type: a calendar date is stored as its midnight UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC) if day is not None else None


def datetime_to_day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """Datetimes from a tz_aware client are UTC already; stored naive ones are read as UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
