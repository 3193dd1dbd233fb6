"""kill -9 in the middle of a burst of deductions loses nothing acknowledged (issue 2)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bootstrap import open_demo_kiosk, open_kiosk

WORKER = Path(__file__).with_name("crash_worker.py")
SKUS = ("BRK-MBT-U1R", "WIR-TMA-1925-U")
LOTS = ("B25E392", "TM2609F")


def stock(ctx):
    with ctx.store.read() as tx:
        items = {sku: tx.item_by_sku(sku) for sku in SKUS}
        lots = {lot: tx.lot_by_number(items[sku].id, lot) for sku, lot in zip(SKUS, LOTS,
                                                                                strict=True)}
        return ({s: i.quantity_on_hand for s, i in items.items()},
                {n: lot.quantity_on_hand for n, lot in lots.items()})


def burst_then_kill(config: Path, acks_before_kill: int) -> list[str]:
    child = subprocess.Popen([sys.executable, str(WORKER), str(config)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acked = []
    try:
        while len(acked) < acks_before_kill:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"worker died early: {child.stderr.read()[-2000:]}")
            acked.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        acked += [line.strip() for line in child.stdout.read().splitlines() if line.strip()]
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return acked


@pytest.mark.slow
def test_sigkill_during_deductions_loses_no_acknowledged_usage(tmp_path):
    home = tmp_path / "demo"
    open_demo_kiosk(home)
    config = home / "config.toml"
    items_before, lots_before = stock(open_kiosk(str(config)).context)
    rng = random.Random(20261124)
    acknowledged: list[str] = []
    for _ in range(5):
        acknowledged += burst_then_kill(config, rng.randint(5, 40))

    database = home / "kiosk.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ctx = open_kiosk(str(config)).context
    with ctx.store.read() as tx:
        usages = tx.usages()
        counts = tx.outbox_counts()
    found = {u.id for u in usages}
    assert set(acknowledged) <= found, "an acknowledged deduction was lost"
    assert len(acknowledged) == len(set(acknowledged))
    # consistency: each committed usage has exactly one outbox event and one stock change
    assert counts.pending == len(usages)
    assert [u.kiosk_seq for u in usages] == list(range(1, len(usages) + 1))
    items_after, lots_after = stock(ctx)
    per_sku = {sku: sum(u.quantity for u in usages if u.lot_number == lot)
               for sku, lot in zip(SKUS, LOTS, strict=True)}
    assert {s: items_before[s] - items_after[s] for s in SKUS} == per_sku
    assert {lot: lots_before[lot] - lots_after[lot] for lot in LOTS} == {
        lot: per_sku[sku] for sku, lot in zip(SKUS, LOTS, strict=True)}
