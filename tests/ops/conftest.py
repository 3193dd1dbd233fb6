"""Fixtures for the IT operations tests: a configured kiosk driven through the real CLI, with
its log folder inside the test's own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ops_cli import Cli

from kiosk.adapters.logs import stop_logging
from kiosk.services.demo import DEMO_CLINIC_ID


@pytest.fixture(autouse=True)
def log_dir(tmp_path, monkeypatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv("KIOSK_LOG_DIR", str(folder))
    yield folder
    stop_logging()  # no handler outlives its folder


@pytest.fixture
def cli(tmp_path, capsys) -> Cli:
    runner = Cli(tmp_path / "config.toml", capsys)
    runner.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
              "--data-dir", str(tmp_path / "data"), "--timezone", "America/Chicago")
    return runner
