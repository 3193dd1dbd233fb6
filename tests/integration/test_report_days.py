"""Report day filters are the clinic's calendar days in its time zone, on the local SQLite path
as on the central one (issue 14, item 11): a usage at 21:00 in Chicago is that day's, though
it is already the next day in UTC."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from test_cli_central import kiosk_cli

from kiosk.adapters.config import load_config
from kiosk.bootstrap import build
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

SCAN = "(01)00812345671018(10)B25E392"
UTC_DAY = date.today() - timedelta(days=3)
CLINIC_DAY = UTC_DAY - timedelta(days=1)  # 03:00 UTC is 21:00 or 22:00 the evening before
EVENING = datetime.combine(UTC_DAY, time(3, 0), UTC)


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def deduct_in_the_evening(cli) -> str:
    """One usage recorded at EVENING by the kiosk of ``cli``; its id."""
    kiosk = build(load_config(cli.config), clock=FixedClock(EVENING))
    try:
        [usage] = deduct_for_appliance(kiosk.context, "B1001", PlaceSupplies(
            patient="C-10239", appliance_type="BRACKET", scans=[SCAN]))
    finally:
        kiosk.context.store.close()
    return usage.id


def usage_ids_on(cli, day: date) -> list[str]:
    report = json.loads(cli.ok("report", "usage", "--from", day.isoformat(), "--to",
                               day.isoformat(), "--format", "json"))
    return [row["id"] for row in report["rows"]]


def set_timezone(cli, zone: str) -> None:
    text = cli.config.read_text(encoding="utf-8")
    cli.config.write_text(text.replace('timezone = "UTC"', f'timezone = "{zone}"'), "utf-8")


def test_the_local_ledger_filters_by_the_clinics_day(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    usage = deduct_in_the_evening(cli)  # the cli fixture's clinic is in America/Chicago
    assert usage_ids_on(cli, CLINIC_DAY) == [usage]
    assert usage_ids_on(cli, UTC_DAY) == []


def test_the_central_ledger_and_the_local_one_agree_on_the_day(tmp_path, capsys, central_uri,
                                                               demo_csvs):
    first = kiosk_cli(tmp_path, capsys, central_uri, "chair-1")
    second = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")
    for cli in (first, second):
        set_timezone(cli, "America/Chicago")
    first.ok("central", "init")
    for kind, path in demo_csvs.items():
        first.ok("import", kind, str(path))
    first.ok("sync", "--once")
    usage = deduct_in_the_evening(first)
    assert usage_ids_on(first, CLINIC_DAY) == [usage]  # central unpushed: the local ledger
    assert usage_ids_on(first, UTC_DAY) == []
    first.ok("sync", "--once")
    second.ok("sync", "--once")
    assert usage_ids_on(second, CLINIC_DAY) == [usage]  # the central ledger
    assert usage_ids_on(second, UTC_DAY) == []
