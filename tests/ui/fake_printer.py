"""A fake OS spooler for the UI print tests: an executable ``lp`` on PATH that records its
arguments and takes its time, like a slow printer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delay_s: float = 1.0) -> Path:
    """Put a fake ``lp`` first on PATH; returns the file where each call's argv is written
    (one argument a line), before it sleeps ``delay_s`` and answers like CUPS."""
    folder = tmp_path / "fake-bin"
    folder.mkdir(exist_ok=True)
    record = tmp_path / "lp-argv.txt"
    script = folder / "lp"
    script.write_text("#!/bin/sh\n"
                      f"printf '%s\\n' \"$0\" \"$@\" > '{record}'\n"
                      f"sleep {delay_s}\n"
                      "echo 'request id is Default-1 (1 file(s))'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return record


def no_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with no ``lp`` on it."""
    folder = tmp_path / "empty-bin"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(folder))
