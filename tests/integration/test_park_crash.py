"""SIGKILL mid-countdown loses nothing acknowledged or parked (issue 13 acceptance)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bootstrap import open_demo_kiosk, open_kiosk
from kiosk.services import parking

WORKER = Path(__file__).with_name("park_worker.py")


def run_until_parked(config: Path) -> tuple[list[str], str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, str(WORKER), str(config)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said: list[str] = []
    try:
        while not said or not said[-1].startswith("parked "):
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"worker died early: {child.stderr.read()[-3000:]}")
            said.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)  # mid-countdown, right after the park committed
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    acked = next(s for s in said if s.startswith("ack ")).split()[1:]
    return acked, said[-1].split()[1], said


def test_sigkill_mid_countdown_keeps_the_placement_and_the_parked_cart(tmp_path):
    home = tmp_path / "demo"
    open_demo_kiosk(home)
    config = home / "config.toml"
    acked, cart_id, said = run_until_parked(config)
    assert said.index("countdown") < len(said) - 1  # killed while the countdown showed
    assert len(acked) == 2

    with sqlite3.connect(home / "kiosk.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ctx = open_kiosk(str(config)).context  # a new store on the same file
    with ctx.store.read() as tx:
        found = {u.id for u in tx.usages()}
    assert set(acked) <= found, "an acknowledged placement was lost"
    [offer] = parking.offered(ctx)
    assert offer.id == cart_id and offer.cause == "idle"
    assert offer.patient_name == "Mateo Hernández"
    assert [line.quantity for line in offer.lines] == [2, 1]
    assert parking.offer_sentence(offer, ctx.settings.timezone).startswith(
        "Parked cart for Mateo Hernández, 3 items, ")
