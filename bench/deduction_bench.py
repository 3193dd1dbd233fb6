"""Durable deduction: one placement committed (usage + outbox + item and lot stock + sequence)
with ``synchronous=FULL``, against raw sqlite3 writing the very same rows.

The baseline opens the same kiosk database file (so the same tables and indexes) with plain
sqlite3 and the kiosk's pragmas, and per round runs BEGIN IMMEDIATE, the
sequence UPDATE, the usage and outbox INSERTs (the columns and payload of a real placement),
the two stock UPDATEs and COMMIT: what any implementation must write. A second, informative
baseline writes the same values into a minimal schema without the kiosk's indexes.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from bench.common import Figure, Settings, latency_figures, median, timed
from kiosk.adapters.sqlite.orm import OutboxRow, UsageRow
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.payloads import usage_event
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000")
SCAN = "(01)00812345671018(10)B25E392"
COMMAND = PlaceSupplies(patient="C-10239", appliance_type="BRACKET", scans=[SCAN])


def kiosk_deduction(folder: Path) -> tuple[Callable[[int], object], object, Path]:
    """One placement through the service; the action, a first real usage, the file."""
    kiosk = open_demo_kiosk(folder / "kiosk")
    ctx = kiosk.context
    first = deduct_for_appliance(ctx, "B1001", COMMAND)[0]
    return (lambda _n: deduct_for_appliance(ctx, "B1001", COMMAND)), first, \
        kiosk.config.database_path


class RawTable:
    """A table's plain INSERT for raw sqlite3, and its values as the column types store them
    (each column's SQLAlchemy bind processor applied by hand: this is the baseline, not the
    kiosk's data path)."""

    _DIALECT = SQLiteDialect_pysqlite()

    def __init__(self, table: Table) -> None:
        self.columns = [c.name for c in table.columns]
        self.binds = [c.type.dialect_impl(self._DIALECT).bind_processor(self._DIALECT)
                      for c in table.columns]
        marks = ", ".join("?" for _ in self.columns)
        self.insert = f"INSERT INTO {table.name} ({', '.join(self.columns)}) VALUES ({marks})"

    def params(self, values: dict[str, Any]) -> list[Any]:
        return [proc(values.get(name)) if proc else values.get(name)
                for name, proc in zip(self.columns, self.binds, strict=True)]


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    return conn


def raw_same_schema(path: Path, usage) -> Callable[[int], object]:
    """The floor: the same rows into the same database file, by hand."""
    conn = _connect(path)
    usages, outbox = RawTable(UsageRow.__table__), RawTable(OutboxRow.__table__)
    event = usage_event(usage)
    usage_values = dict(zip(usages.columns, usages.params(
        {**usage.__dict__, "appliance_type": usage.appliance_type.value,
         "cost_category": usage.cost_category.value}), strict=True))
    outbox_values = dict(zip(outbox.columns, outbox.params(
        {"event_id": event.event_id, "kiosk_seq": 0, "event_type": event.event_type,
         "payload": event.payload, "created_at": event.created_at, "state": "PENDING",
         "attempts": 0}), strict=True))

    ids = itertools.count(0xbe00000000)

    def write(_n: int) -> None:
        row_id = f"{next(ids):024x}"
        conn.execute("BEGIN IMMEDIATE")
        (seq,) = conn.execute("UPDATE kiosk_identity SET last_seq = last_seq + 1 WHERE id = 1 "
                              "RETURNING last_seq").fetchone()
        conn.execute(usages.insert, [row_id if c == "id" else seq if c == "kiosk_seq" else
                                     usage_values[c] for c in usages.columns])
        conn.execute(outbox.insert, [row_id if c == "event_id" else seq if c == "kiosk_seq"
                                     else outbox_values[c] for c in outbox.columns])
        conn.execute("UPDATE lots SET quantity_on_hand = quantity_on_hand - 1 WHERE id = ?",
                     (usage.lot_id,))
        conn.execute("UPDATE items SET quantity_on_hand = quantity_on_hand - 1 WHERE id = ?",
                     (usage.inventory_item_id,))
        conn.execute("COMMIT")

    return write


def raw_minimal_schema(folder: Path) -> Callable[[int], object]:
    """The same number of statements into five bare tables (no secondary indexes)."""
    conn = _connect(folder / "minimal.sqlite3")
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

    ids = itertools.count(1)

    def write(_n: int) -> None:
        row_id = f"{next(ids):024x}"
        conn.execute("BEGIN IMMEDIATE")
        (seq,) = conn.execute("UPDATE seq SET last = last + 1 WHERE id = 1 RETURNING last"
                              ).fetchone()
        conn.execute("INSERT INTO usage VALUES (?, ?, 1, 1, 1, '3.36', '2026-11-24 15:00:00')",
                     (row_id, seq))
        conn.execute("INSERT INTO outbox VALUES (?, ?, ?)", (row_id, seq, "x" * 700))
        conn.execute("UPDATE item SET qty = qty - 1 WHERE id = 1")
        conn.execute("UPDATE lot SET qty = qty - 1 WHERE id = 1")
        conn.execute("COMMIT")

    return write


def run(folder: Path, settings: Settings) -> list[Figure]:
    rounds = settings.rounds(500)
    ours_action, usage, path = kiosk_deduction(folder)
    raw_action = raw_same_schema(path, usage)
    minimal_action = raw_minimal_schema(folder)
    ours, raw, minimal = [], [], []
    for _ in range(5):  # interleaved, so a noisy neighbour hits both alike
        raw += timed(raw_action, rounds // 5)
        ours += timed(ours_action, rounds // 5)
        minimal += timed(minimal_action, rounds // 5)
    figures = latency_figures("durable deduction", ours, raw, p99_ms=5, max_ratio=3,
                              base_name="raw sqlite3, same rows, schema and pragmas")
    figures.append(Figure("  raw sqlite3, minimal schema p50", median(minimal) * 1e3, "ms",
                          note="informative: the same statements into five bare tables"))
    return figures
