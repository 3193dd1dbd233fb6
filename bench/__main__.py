"""`make bench`: durable deduction, scan parsing and central push, as ratios to raw baselines.

These machines are noisy, so every figure is a median (and p99) over many runs and is set
beside a baseline measured in the same process a moment earlier.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from biip.gs1_messages import GS1Message

from bench import pdf_bench, push_bench
from kiosk.bootstrap import open_demo_kiosk
from kiosk.domain.barcodes import parse_scan
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

ROUNDS = 300


def timed(action: Callable[[int], object], rounds: int = ROUNDS) -> list[float]:
    samples = []
    for n in range(rounds):
        start = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - start)
    return samples


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def raw_sqlite_commit(folder: Path) -> Callable[[int], object]:
    """The floor: the same rows a placement writes (usage, outbox, item and lot stock,
    sequence), by hand with sqlite3, the kiosk's pragmas and one transaction."""
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript("""
        CREATE TABLE seq (id INTEGER PRIMARY KEY, last INTEGER);
        CREATE TABLE item (id INTEGER PRIMARY KEY, qty INTEGER);
        CREATE TABLE lot (id INTEGER PRIMARY KEY, qty INTEGER);
        CREATE TABLE usage (id TEXT PRIMARY KEY, seq INTEGER UNIQUE, item INTEGER, lot INTEGER,
                            qty INTEGER, cost TEXT, used_at TEXT);
        CREATE TABLE outbox (id TEXT PRIMARY KEY, seq INTEGER UNIQUE, payload TEXT);
        INSERT INTO seq VALUES (1, 0); INSERT INTO item VALUES (1, 100000);
        INSERT INTO lot VALUES (1, 100000);
    """)

    def write(n: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE seq SET last = last + 1 WHERE id = 1")
        (seq,) = conn.execute("SELECT last FROM seq WHERE id = 1").fetchone()
        conn.execute("INSERT INTO usage VALUES (?, ?, 1, 1, 1, '3.36', '2026-11-24T15:00:00')",
                     (f"{n:024x}", seq))
        conn.execute("INSERT INTO outbox VALUES (?, ?, ?)", (f"{n:024x}", seq, "x" * 600))
        conn.execute("UPDATE item SET qty = qty - 1 WHERE id = 1")
        conn.execute("UPDATE lot SET qty = qty - 1 WHERE id = 1")
        conn.execute("COMMIT")

    return write


def kiosk_deduction(folder: Path) -> Callable[[int], object]:
    """One placement through the service: usage + outbox + stock in one transaction."""
    ctx = open_demo_kiosk(folder / "demo").context
    command = PlaceSupplies(patient="C-10239", appliance_type="BRACKET",
                            scans=["(01)00812345671018(10)B25E392"])
    return lambda _n: deduct_for_appliance(ctx, "B1001", command)


SCAN = "]d2010081234567101817280131" "10B25E392\x1d21SN42"


def main() -> None:
    if sys.argv[1:] == ["push"]:  # `python -m bench push`: only the central push figures
        push_bench.run()
        return
    if sys.argv[1:] == ["pdf"]:  # `python -m bench pdf`: only the PDF figures
        pdf_bench.run()
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = timed(raw_sqlite_commit(folder))
        ours = timed(kiosk_deduction(folder))
        rows.append(("durable deduction", ours, raw, "raw sqlite3, same rows and pragmas"))
    bare = timed(lambda _n: GS1Message.parse(SCAN[3:]), 3000)
    parsed = timed(lambda _n: parse_scan(SCAN), 3000)
    rows.append(("parse GS1 DataMatrix scan", parsed, bare, "bare biip GS1Message.parse"))

    print(f"{'figure':28} {'p50 ms':>8} {'p99 ms':>8} {'base p50':>9} {'ratio p50':>9}  baseline")
    for name, samples, base, what in rows:
        p50, base50 = statistics.median(samples), statistics.median(base)
        print(f"{name:28} {p50 * 1e3:8.3f} {p(samples, 0.99) * 1e3:8.3f} {base50 * 1e3:9.3f} "
              f"{p50 / base50:9.2f}  {what}")
    push_bench.run()
    pdf_bench.run()


if __name__ == "__main__":
    main()
