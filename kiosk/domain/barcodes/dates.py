"""Calendar helpers shared by the GS1 and HIBCC parsers."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["expand_year", "julian_date", "month_end"]


def expand_year(two_digits: int, today: date | None = None) -> int:
    """Four-digit year for a two-digit one, as GS1 General Specifications 7.12 does.

    The year is taken to lie between 49 years in the past and 50 years in the future
    (the rule biip applies to GS1 dates), so GS1 and HIBCC dates agree.
    """
    current = (today or date.today()).year
    century = current - current % 100
    offset = two_digits - current % 100
    if 51 <= offset <= 99:
        return century - 100 + two_digits
    if -99 <= offset <= -50:
        return century + 100 + two_digits
    return century + two_digits


def month_end(year: int, month: int) -> date:
    """The last day of the month (month-only expiries mean 'use before month end')."""
    return date(year, month, calendar.monthrange(year, month)[1])


def julian_date(year: int, day_of_year: int) -> date:
    """Date from a year and a day-of-year 1..365 (366 in leap years)."""
    days = 366 if calendar.isleap(year) else 365
    if not 1 <= day_of_year <= days:
        raise ValueError("day of year out of range")
    return date.fromordinal(date(year, 1, 1).toordinal() + day_of_year - 1)
