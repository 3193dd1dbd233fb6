"""Driving the real CLI in-process or as the installed console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli import main

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
