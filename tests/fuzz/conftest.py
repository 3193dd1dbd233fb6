"""Fuzz tests (hypothesis) of every door hostile input can come through: the barcode parser,
CSV imports, CLI arguments and config files. Each asserts: no crash, no partial change, and a
clear one-sentence message. Shared checks are in fuzz_checks.py."""

from __future__ import annotations

import pytest

from kiosk.app import KioskApp as Kiosk
from kiosk.bootstrap import open_demo_kiosk


@pytest.fixture(scope="module")
def demo_kiosk(tmp_path_factory) -> Kiosk:
    """The demo clinic on a real SQLite file, shared by the examples of one module."""
    return open_demo_kiosk(tmp_path_factory.mktemp("fuzz") / "demo")
