"""The demo README's example scans work on any day (issue 13 item 10)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import bootstrap
from kiosk.adapters.config import load_config
from kiosk.adapters.workstation import init_kiosk
from kiosk.domain.barcodes import parse_scan
from kiosk.services import chairside
from kiosk.services.cart import CartLine
from kiosk.services.chairside import Blocked
from kiosk.services.demo import DEMO_CLINIC_ID, example_scans

README = bootstrap.DEMO_DIR / "README.md"
BLOCKED = {"TX25117": "recalled", "PR25062": "expired"}  # as the README's notes say


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def readme_scans() -> list[str]:
    """The supply scans of the README's table (GS1 and HIBCC), as a person would type them."""
    return re.findall(r"^\| `((?:\(01\)|\+)[^`]+)`", README.read_text(encoding="utf-8"), re.M)


def demo_on(tmp_path, days_from_now: int):
    """The demo loaded on another day, and used that same day."""
    config = tmp_path / "config.toml"
    init_kiosk(str(config), clinic_id=DEMO_CLINIC_ID, workstation_id="demo-chair-1",
               data_dir=str(tmp_path / "data"), timezone=bootstrap.demo_timezone())
    clock = FixedClock(datetime.now(UTC) + timedelta(days=days_from_now))
    kiosk = bootstrap.build(load_config(config), clock=clock)
    kiosk.seed_demo()
    return kiosk.context


def resolve(ctx, raw: str):
    with ctx.store.read() as tx:
        staff = tx.staff_by_badge("B1001")
    return chairside.resolve_line(ctx, staff, parse_scan(raw), (raw,))


@pytest.mark.parametrize("days_from_now", [-200, 0, 437])
def test_the_readme_scans_are_accepted_whatever_day_the_demo_is_loaded(tmp_path, days_from_now):
    ctx = demo_on(tmp_path, days_from_now)
    scans = readme_scans()
    assert len(scans) == 10
    for raw in scans:
        lot = parse_scan(raw).lot
        line = resolve(ctx, raw)  # a catalog/label expiry mismatch would raise here
        if lot in BLOCKED:
            assert isinstance(line, Blocked) and line.kind == BLOCKED[lot], raw
        else:
            assert isinstance(line, CartLine), f"{raw}: {getattr(line, 'sentence', line)}"


def test_demo_seed_prints_todays_scans_with_the_catalogs_expiry(tmp_path):
    ctx = demo_on(tmp_path, 123)
    printed = example_scans(ctx)
    assert len(printed) == 8
    for raw, _sku in printed:
        scan = parse_scan(raw)
        assert scan.expiry is not None, raw  # every example lot has an expiry today
        line = resolve(ctx, raw)
        if scan.lot in BLOCKED:
            assert isinstance(line, Blocked) and line.kind == BLOCKED[scan.lot], raw
        else:
            assert isinstance(line, CartLine) and line.expiry == scan.expiry, raw


def test_the_cli_demo_seed_prints_them(tmp_path, capsys):
    from kiosk.cli import main  # noqa: PLC0415

    config = tmp_path / "config.toml"
    init_kiosk(str(config), clinic_id=DEMO_CLINIC_ID, workstation_id="chair-1",
               data_dir=str(tmp_path / "data"), timezone=bootstrap.demo_timezone())
    assert main(["--config", str(config), "demo-seed"]) == 0
    out = capsys.readouterr().out
    assert "Example scans for " in out
    assert re.search(r"\(01\)00812345671018\(17\)\d{6}\(10\)B25E392", out)
