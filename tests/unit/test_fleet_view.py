"""The fleet view over a fake clinic ledger: stale exactly after 15 minutes (or never heard
from), this kiosk marked, the summary sentence, and the errors said plainly."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from clinic_data import ID

from kiosk.domain.errors import CentralRefused, CentralUnavailable, ConfigError, NotFound
from kiosk.services.clinic_ledger import (
    CentralCostSummary,
    ClinicLedger,
    ClinicSnapshot,
    StationSeen,
    StockSnapshot,
)
from kiosk.services.fleet import fleet, heard_ago
from kiosk.services.ports import UsageFilter


class FakeLedger(ClinicLedger):
    def __init__(self, stations: list[StationSeen] | Exception) -> None:
        self._stations = stations

    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        raise AssertionError("the fleet reads no usages")

    def cost_summaries(self, patient_id: str | None = None) -> list[CentralCostSummary]:
        raise AssertionError("the fleet reads no cost summaries")

    def stock(self) -> StockSnapshot:
        raise AssertionError("the fleet reads no stock")

    def stations(self) -> list[StationSeen]:
        if isinstance(self._stations, Exception):
            raise self._stations
        return self._stations


def seen(name: str, kiosk: int, heard: timedelta | None, now, queued: int = 0) -> StationSeen:
    return StationSeen(ID(kiosk), name, now - heard if heard is not None else None, None,
                       queued, 0, "0.9.0", None)


def test_stale_after_fifteen_minutes_or_never_heard_from(clinic):
    now = clinic.clock.now()
    ledger = FakeLedger([seen("chair-3", 903, None, now), seen("chair-1", 900, timedelta(0), now),
                         seen("chair-2", 902, timedelta(minutes=15), now, queued=4),
                         seen("chair-4", 904, timedelta(minutes=15, seconds=1), now)])
    found = fleet(replace(clinic.ctx, ledger=ledger))
    assert found.as_of == now
    assert [(s.workstation_id, s.stale, s.this_kiosk) for s in found.stations] == [
        ("chair-1", False, True), ("chair-2", False, False), ("chair-3", True, False),
        ("chair-4", True, False)]
    assert found.summary() == ("4 workstations; not heard from for 15 min: chair-3, chair-4; "
                               "events waiting to sync: chair-2.")
    assert [heard_ago(s, now) for s in found.stations] == [
        "heard under a minute ago", "heard 15 min ago", "STALE: never heard from",
        "STALE: not heard from for 15 min"]
    assert found.as_json()["workstations"][2]["heartbeatAt"] is None


def test_the_errors_are_one_sentence_each(clinic):
    with pytest.raises(ConfigError, match="no central server configured"):
        fleet(clinic.ctx)
    down = replace(clinic.ctx, ledger=FakeLedger(CentralUnavailable("timed out")))
    with pytest.raises(CentralUnavailable, match="workstations cannot be listed"):
        fleet(down)
    refused = CentralRefused("The central server refused the kiosk's credentials.")
    with pytest.raises(CentralRefused, match="refused the kiosk's credentials"):
        fleet(replace(clinic.ctx, ledger=FakeLedger(refused)))
    with pytest.raises(NotFound):
        fleet(replace(clinic.ctx, ledger=FakeLedger([])), "B404")
