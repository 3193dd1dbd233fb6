"""A demo kiosk on a real SQLite file, and the main window over it (GUI-thread checked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import open_window

from kiosk import bootstrap


@pytest.fixture
def kiosk(tmp_path: Path):
    return bootstrap.open_demo_kiosk(tmp_path / "demo")


@pytest.fixture
def window(qtbot, kiosk):
    yield from open_window(qtbot, kiosk)
