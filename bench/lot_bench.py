"""Lot tracking over the central ledger: ``MongoCentral.lot_uses`` against a raw indexed
``find`` of the same filter, sort and fields, at 10k, 100k (and with ``--full`` 1M) usage
records in ApplianceInventoryLink, on one SecantusDB started for the run.

Records look like the push writes them; a lot is used about 20 times (a box of brackets), so
the number of lots grows with the records and one lot's answer stays ~20 documents; one
record in ten belongs to another clinic. Inserting is the slow part on SecantusDB (~3,000
documents a second into the collection with its seven indexes), so 1M records is opt-in.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bson import Decimal128, ObjectId

from bench.common import Figure, Settings, median, secantus_server_class, timed
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.lot_tracking import FIELDS, lot_query
from kiosk.adapters.mongo.schema import LINK, ensure_schema

USES_PER_LOT = 20
BATCH = 5_000
CLINIC, OTHER, KIOSK = (ObjectId("64b0000000000000000000b1"),
                        ObjectId("64b0000000000000000000b2"),
                        ObjectId("64b0000000000000000000b3"))


def lot_number(n: int) -> str:
    return f"LT{n:07d}"


def records(start: int, stop: int, lots: int) -> Iterator[list[dict]]:
    pick = random.Random(start)
    began = datetime(2025, 1, 1, tzinfo=UTC)
    batch: list[dict] = []
    for n in range(start, stop):
        batch.append({
            "_id": ObjectId(), "clinicId": OTHER if n % 10 == 9 else CLINIC,
            "applianceRecordId": None, "applianceType": "BRACKET", "patientId": ObjectId(),
            "inventoryItemId": ObjectId(), "lotNumber": lot_number(pick.randrange(lots)),
            "expirationDate": None, "usageDate": began + timedelta(minutes=n),
            "quantity": 1, "unitCost": Decimal128(Decimal("3.36")), "usedBy": ObjectId(),
            "notes": None, "createdAt": began + timedelta(minutes=n), "kioskId": KIOSK,
            "kioskSeq": n + 1})
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def run(folder: Path, settings: Settings) -> list[Figure]:
    sizes = [10_000] if settings.quick else [10_000, 100_000]
    if settings.full:
        sizes.append(1_000_000)
    server = secantus_server_class()(folder / "secantus-lots").start()
    try:
        uri = server.uri.replace("/?", "/kiosk_bench_lots?")
        client = connect(uri)
        db = database(client)
        ensure_schema(db)
        central = MongoCentral(client, str(CLINIC), str(KIOSK), db)
        links = db[LINK]
        figures: list[Figure] = []
        ours_at: dict[int, float] = {}
        have, insert_s = 0, 0.0
        for size in sizes:
            lots = max(1, size // USES_PER_LOT)
            began = time.perf_counter()
            for batch in records(have, size, lots):
                links.insert_many(batch, ordered=False)
            insert_s += time.perf_counter() - began
            have = size
            pick = random.Random(size)
            numbers = [lot_number(pick.randrange(lots)) for _ in range(settings.rounds(200))]

            def raw(n: int, numbers=numbers) -> list:
                found = links.find(lot_query(CLINIC, numbers[n % len(numbers)]), FIELDS)
                return list(found.sort("usageDate", 1))

            def ours(n: int, numbers=numbers) -> list:
                return central.lot_uses([numbers[n % len(numbers)]], include_voided=True)

            base, mine = [], []
            for _ in range(4):
                base += timed(raw, len(numbers) // 4)
                mine += timed(ours, len(numbers) // 4)
            ours_at[size] = median(mine)
            ratio = median(mine) / median(base)
            figures.append(Figure(
                f"lot tracking, {size // 1000}k records p50", median(mine) * 1e3, "ms",
                median(base) * 1e3, ratio, "≤ 1.5×", ratio <= 1.5,
                f"baseline: raw indexed find, same filter/sort/fields; ~{USES_PER_LOT} uses a lot"))
        first, last = sizes[0], sizes[-1]
        if last > first:
            exponent = math.log(ours_at[last] / ours_at[first]) / math.log(last / first)
            figures.append(Figure(
                f"lot tracking growth {first // 1000}k→{last // 1000}k", ours_at[last] * 1e3,
                "ms", ours_at[first] * 1e3, ours_at[last] / ours_at[first],
                "exponent ≤ 0.5 (sub-linear)", exponent <= 0.5,
                f"time ∝ records^{exponent:.2f}; inserting {have:,} records took "
                f"{insert_s:.0f} s ({have / insert_s:,.0f}/s)"))
        central.close()
    finally:
        server.stop()
    return figures
