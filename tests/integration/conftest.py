"""A configured kiosk on a real SQLite file, and a way to drive the real CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from integration_cli import Cli

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.schema import ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.demo import DEMO_CLINIC_ID, dated_lots

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"


@pytest.fixture
def cli(tmp_path, capsys) -> Cli:
    runner = Cli(tmp_path / "config.toml", capsys)
    runner.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
              "--data-dir", str(tmp_path / "data"), "--timezone", "America/Chicago")
    return runner


@pytest.fixture
def demo_csvs(tmp_path) -> dict[str, Path]:
    """The demo clinic as the plain import CSVs a manager would have."""
    folder = tmp_path / "csv"
    folder.mkdir()
    files = {}
    for kind in ("items", "offers", "lots", "staff", "patients", "appliances"):
        text = (DEMO / f"{kind}.csv").read_text(encoding="utf-8")
        if kind == "lots":
            text = dated_lots(text, datetime.now(UTC).date())
        files[kind] = folder / f"{kind}.csv"
        files[kind].write_text(text, encoding="utf-8")
    return files


@pytest.fixture
def demo(tmp_path):
    """The demo kiosk on a real SQLite file of this test's own."""
    kiosk = open_demo_kiosk(tmp_path / "demo")
    yield kiosk
    kiosk.context.store.close()


@pytest.fixture
def db(central_uri):
    """This test's own central database, with the kiosk schema."""
    with connect(central_uri) as client:
        database_ = database(client)
        ensure_schema(database_)
        yield database_
