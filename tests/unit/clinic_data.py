"""Constants and builders shared by the unit tests of services."""

from __future__ import annotations

from datetime import UTC, date, datetime

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def with_check_digit(body: str) -> str:
    """Append the GS1 mod-10 check digit to 13 digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def gs1(gtin: str, lot: str | None = None, expiry: date | None = None) -> str:
    text = f"(01){gtin}"
    if expiry:
        text += f"(17){expiry:%y%m%d}"
    if lot:
        text += f"(10){lot}"
    return text


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


ID = "{:024x}".format
