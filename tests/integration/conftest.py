"""A configured kiosk on a real SQLite file, and a way to drive the real CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.services.demo import DEMO_CLINIC_ID, dated_lots

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
KIOSK_EXE = shutil.which("kiosk", path=str(Path(sys.executable).parent))


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    config: Path
    capsys: pytest.CaptureFixture

    def __call__(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = main(["--config", str(self.config), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, result.err
        return result.out

    def run_process(self, *args: str) -> Result:
        """The installed console script in its own process, as IT would run it."""
        done = subprocess.run([KIOSK_EXE, "--config", str(self.config), *args],
                              capture_output=True, text=True, timeout=60, check=False)
        return Result(done.returncode, done.stdout, done.stderr)


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
