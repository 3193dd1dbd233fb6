"""What every use case needs: the store, a clock, the clinic's settings and, with a central
server, the clinic's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from kiosk.domain.rules import DEFAULT_EXPIRY_WINDOW_DAYS, MAX_LINE_QUANTITY
from kiosk.services.clinic_ledger import ClinicLedger
from kiosk.services.ports import Clock, Store


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    timezone: str = "UTC"
    expiry_window_days: int = DEFAULT_EXPIRY_WINDOW_DAYS
    max_line_quantity: int = MAX_LINE_QUANTITY


@dataclass(frozen=True)
class ServiceContext:
    store: Store
    clock: Clock
    settings: Settings = Settings()
    ledger: ClinicLedger | None = None  # the clinic's central ledger, when a server is set

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The clinic's calendar date: expiry is judged where the clinic is."""
        return self.clock.now().astimezone(ZoneInfo(self.settings.timezone)).date()
