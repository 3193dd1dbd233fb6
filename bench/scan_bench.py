"""Scan to cart: a raw scan string to a priced cart line (parse, catalog lookup by GTIN or
HIBCC, lot, expiry and recall checks, frozen unit cost), as the chairside screen does it with
``operations.resolve_line`` on the writer thread, over catalogs of 1k to 100k items.

The catalog is the demo kiosk's plus synthetic items written straight into its database
(each with one code, one vendor offer and one lot); scans pick items at random, half GS1
DataMatrix (GTIN + expiry + lot) and half HIBCC (primary/secondary with lot). The baseline
is the bare parse (biip for GS1; the kiosk's own parser for HIBCC, which has no library) plus
one indexed item-by-code SELECT on a plain sqlite3 connection to the same file.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from biip.gs1_messages import GS1Message

from bench.common import Figure, Settings, latency_figures, median, timed
from kiosk.bootstrap import open_demo_kiosk
from kiosk.domain.barcodes import parse_scan
from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.services.cart import CartLine
from kiosk.services.chairside import resolve_line
from kiosk.services.lookup import find_staff, parse_product_scan

SIZES = (1_000, 10_000, 50_000, 100_000)
MAIN_SIZE = 50_000
GS = "\x1d"


def gtin_for(n: int) -> str:
    body = f"0{n + 70_000_000_000:012d}"[-13:]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def hibcc_product(n: int) -> str:
    return f"P{n:07d}"


def gs1_scan(n: int) -> str:
    """A DataMatrix as a wedge scanner types it: symbology id, AIs, GS between fields."""
    return f"]d201{gtin_for(n)}17280131" f"10L{n:07d}{GS}21SN{n}"


def hibcc_scan(n: int) -> str:
    body = f"+Z999{hibcc_product(n)}1/$$3280131L{n:07d}"
    return body + mod43_check_char(body)


def add_items(path: Path, start: int, stop: int, vendor_id: str) -> None:
    """Items start..stop-1: even ones with a GTIN, odd ones with an HIBCC key, each with an
    offer and a lot expiring 2028-01-31."""
    def oid(kind: int, n: int) -> str:
        return f"{kind:02x}{n:022x}"

    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO items (id, sku, name, category, unit_of_measure, reorder_point, "
            "reorder_quantity, quantity_on_hand, unit_cost, active) VALUES "
            "(?, ?, ?, 'BRACKET', 'EACH', 5, 20, 1000, NULL, 1)",
            ((oid(0xa1, n), f"SYN-{n:07d}", f"Synthetic bracket {n}") for n in range(start, stop)))
        conn.executemany(
            "INSERT INTO item_codes (kind, code, item_id, position) VALUES (?, ?, ?, 0)",
            (("gtin", gtin_for(n), oid(0xa1, n)) if n % 2 == 0 else
             ("hibcc", f"Z999{hibcc_product(n)}", oid(0xa1, n)) for n in range(start, stop)))
        conn.executemany(
            "INSERT INTO vendor_offers (item_id, vendor_id, vendor_sku, unit_cost, is_preferred, "
            "position) VALUES (?, ?, ?, ?, 1, 0)",
            ((oid(0xa1, n), vendor_id, f"V-{n}", f"{1 + n % 50}.{n % 100:02d}")
             for n in range(start, stop)))
        conn.executemany(
            "INSERT INTO lots (id, item_id, lot_number, expiration_date, vendor_id, unit_cost, "
            "quantity_on_hand, status, recall_notice) VALUES "
            "(?, ?, ?, '2028-01-31', ?, NULL, 1000, 'ACTIVE', NULL)",
            ((oid(0xb1, n), oid(0xa1, n), f"L{n:07d}", vendor_id) for n in range(start, stop)))
    conn.execute("ANALYZE")
    conn.close()


def bare_baseline(path: Path) -> Callable[[str], object]:
    conn = sqlite3.connect(path)
    lookup = ("SELECT items.* FROM items JOIN item_codes ON item_codes.item_id = items.id "
              "WHERE item_codes.kind = ? AND item_codes.code = ?")

    def bare(raw: str) -> object:
        if raw.startswith("]d2"):
            message = GS1Message.parse(raw[3:])
            key = ("gtin", message.element_strings.get(ai="01").value)
        else:
            hibcc = parse_scan(raw).hibcc
            key = ("hibcc", hibcc.key)
        row = conn.execute(lookup, key).fetchone()
        assert row is not None
        return row

    return bare


def run(folder: Path, settings: Settings) -> list[Figure]:
    kiosk = open_demo_kiosk(folder / "scan")
    ctx, path = kiosk.context, kiosk.config.database_path
    with ctx.store.read() as tx:
        staff = find_staff(tx, "B1001")
        vendor_id = tx.all_items()[0].offers[0].vendor_id
    rounds = settings.rounds(1000)
    sizes = (1_000, 10_000) if settings.quick else SIZES
    bare = bare_baseline(path)

    def ours(raw: str) -> object:
        line = resolve_line(ctx, staff, parse_product_scan(raw), (raw,))
        assert isinstance(line, CartLine) and line.unit_cost is not None, line
        return line

    figures: list[Figure] = []
    medians: dict[int, float] = {}
    have = 0
    for size in sizes:
        add_items(path, have, size, vendor_id)
        have = size
        pick = random.Random(size)
        scans = [gs1_scan(n) if n % 2 == 0 else hibcc_scan(n)
                 for n in (pick.randrange(size) for _ in range(rounds))]
        mine, base = [], []
        for part in range(4):  # interleaved against the noise
            chunk = scans[part::4]
            base += timed(lambda n, c=chunk: bare(c[n % len(c)]), len(chunk))
            mine += timed(lambda n, c=chunk: ours(c[n % len(c)]), len(chunk))
        medians[size] = median(mine)
        if size == MAIN_SIZE or (settings.quick and size == sizes[-1]):
            figures += latency_figures(f"scan to cart, {size // 1000}k items", mine, base,
                                       p99_ms=20, max_ratio=3,
                                       base_name="bare parse + one indexed SELECT")
    first, last = sizes[0], sizes[-1]
    growth = medians[last] / medians[first]
    figures.append(Figure(
        f"scan to cart growth {first // 1000}k→{last // 1000}k", medians[last] * 1e3, "ms",
        medians[first] * 1e3, growth, "≤ 1.5× (flat)", growth <= 1.5,
        "p50 at " + ", ".join(f"{s // 1000}k {m * 1e3:.2f} ms" for s, m in medians.items())))
    return figures
