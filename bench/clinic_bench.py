"""Clinic-wide reads at scale (issue 15): the reports a manager runs, read centrally through
the clinic ledger, against a raw pymongo ``find`` of the same filter, indexes and result.

One SecantusDB started for the run holds a clinic of 20 kiosks and a second clinic of the same
size (100,000 usages each by default, 1,000,000 each with ``--full``), spread over two years,
shaped as the push writes ApplianceInventoryLink (costCategory and treatmentPlanId included);
one usage in 50 is voided. A demo kiosk of the first clinic, with 2,000 patients in its store,
asks:

- **patient supply costs**: ``reports.supply_costs`` for one patient (~N/2,000 usages);
- **lot tracking**: ``reports.lot_tracking`` for one lot (~20 usages);
- **one month's usage report**: ``reports.usage_report`` for one calendar month (~N/24).

Each is the whole service call (permission check, central read, merge with the kiosk's own
usages, names from the local store, the report rows). Its baseline is a raw ``find`` with the
same clinic-first filter, fields and sort over the same indexes, reduced in plain Python to
the same result (cost totals net of voids, the lot's patients, the month's rows), and the two
answers are compared before anything is timed.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bson import Decimal128, ObjectId

from bench.common import Figure, Settings, latency_figures, secantus_server_class, timed
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.clinic_ledger import FIELDS, MongoClinicLedger, usage_query
from kiosk.adapters.mongo.schema import LINK, ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.domain.model import Patient
from kiosk.services import reports
from kiosk.services.context import ServiceContext
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.ports import UsageFilter

KIOSKS = 20
PATIENTS = 2_000
USES_PER_LOT = 20
DAYS = 730
BATCH = 5_000
MANAGER = "B1008"  # clinic manager: inventory:read and appliance:read
P99_MS = 100
MAX_RATIO = 1.5
CATEGORIES = ("bracketCost", "wireCost", "bondingCost", "elasticCost", "alignerCost",
              "retainerCost")
STARTED = datetime(2025, 1, 1, tzinfo=UTC)


def patient_ids(clinic: int) -> list[ObjectId]:
    return [ObjectId(f"{clinic:04x}{n:020x}") for n in range(PATIENTS)]


def usage_docs(clinic_id: ObjectId, clinic: int, count: int, items: list[ObjectId],
               staff: list[ObjectId]) -> Iterator[list[dict]]:
    """``count`` links of one clinic, in batches: 20 kiosks, each with its own sequence."""
    pick = random.Random(clinic)
    patients = patient_ids(clinic)
    kiosks = [ObjectId(f"{clinic:04x}{0xFFFF:04x}{k:016x}") for k in range(KIOSKS)]
    lots = max(1, count // USES_PER_LOT)
    step = timedelta(days=DAYS) / count
    batch: list[dict] = []
    for n in range(count):
        when = STARTED + step * n
        patient = pick.randrange(PATIENTS)
        category = CATEGORIES[n % len(CATEGORIES)]
        doc: dict[str, Any] = {
            "_id": ObjectId(), "clinicId": clinic_id, "applianceRecordId": None,
            "applianceType": category.removesuffix("Cost").upper(),
            "patientId": patients[patient], "inventoryItemId": items[n % len(items)],
            "lotNumber": f"L{clinic}{pick.randrange(lots):07d}", "expirationDate": None,
            "usageDate": when, "quantity": 1 + n % 3,
            "unitCost": Decimal128(Decimal(f"{1 + n % 40}.{n % 100:02d}")),
            "usedBy": staff[n % len(staff)], "notes": None, "createdAt": when,
            "kioskId": kiosks[n % KIOSKS], "kioskSeq": n // KIOSKS + 1,
            "costCategory": category, "treatmentPlanId": f"TP-{patient:05d}"}
        if n % 50 == 49:
            doc |= {"voidedAt": when + timedelta(minutes=5), "voidedBy": staff[0],
                    "voidReason": "Wrong patient"}
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def raw_costs(links, clinic: ObjectId, timezone: str, patient: ObjectId) -> dict:
    """Cost totals per treatment plan and category, net of voids, from a bare find."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for doc in links.find(usage_query(clinic, UsageFilter(patient_id=str(patient)), timezone),
                          FIELDS).sort("usageDate", 1):
        if "voidedAt" not in doc:
            totals[doc["treatmentPlanId"]][doc["costCategory"]] += \
                doc["unitCost"].to_decimal() * doc["quantity"]
    return {plan: sum(by.values(), Decimal(0)) for plan, by in totals.items()}


def raw_lot(links, clinic: ObjectId, timezone: str, lot: str) -> list[ObjectId]:
    return [doc["patientId"] for doc in links.find(
        usage_query(clinic, UsageFilter(lot_number=lot), timezone), FIELDS).sort("usageDate", 1)
        if "voidedAt" not in doc]


def raw_month(links, clinic: ObjectId, timezone: str, month: UsageFilter) -> list[tuple]:
    return [(doc["_id"], doc["unitCost"].to_decimal() * doc["quantity"], "voidedAt" in doc)
            for doc in links.find(usage_query(clinic, month, timezone), FIELDS)
            .sort("usageDate", 1)]


def month_filter(size_days: int) -> UsageFilter:
    first = (STARTED + timedelta(days=size_days // 2)).date().replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return UsageFilter(from_date=first, to_date=last)


def open_reader(folder: Path, uri: str, client) -> ServiceContext:
    """The demo kiosk of the first clinic with its 2,000 patients, reading through the
    clinic ledger (one client for the run, as a report would open one)."""
    kiosk = open_demo_kiosk(folder / "kiosk")
    ctx = kiosk.context
    with ctx.store.write() as tx:
        for n, pid in enumerate(patient_ids(1)):
            tx.save_patient(Patient(str(pid), f"B-{n:05d}", "Bench", f"Patient {n}"))
    return replace(ctx, ledger=MongoClinicLedger(uri, DEMO_CLINIC_ID, client=client))


def run(folder: Path, settings: Settings) -> list[Figure]:
    size = 1_000_000 if settings.full else (20_000 if settings.quick else 100_000)
    rounds = settings.rounds(100)
    server = secantus_server_class()(folder / "secantus-clinic").start()
    try:
        uri = server.uri.replace("/?", "/kiosk_bench_clinic?")
        client = connect(uri)
        db = database(client)
        ensure_schema(db)
        ctx = open_reader(folder, uri, client)
        with ctx.store.read() as tx:
            items = [ObjectId(i.id) for i in tx.all_items()]
            staff = [ObjectId(s.id) for s in tx.all_staff()]
        clinic, other = ObjectId(DEMO_CLINIC_ID), ObjectId()
        links = db[LINK]
        began = time.perf_counter()
        for number, clinic_id in ((1, clinic), (2, other)):
            for batch in usage_docs(clinic_id, number, size, items, staff):
                links.insert_many(batch, ordered=False)
        insert_s = time.perf_counter() - began
        timezone = ctx.settings.timezone
        pick = random.Random(7)
        patients = [pick.choice(patient_ids(1)) for _ in range(rounds)]
        charts = {str(p): f"B-{int(str(p)[4:], 16):05d}" for p in patients}
        lots = [f"L1{pick.randrange(size // USES_PER_LOT):07d}" for _ in range(rounds)]
        month = month_filter(DAYS)
        figures = []
        checks: list[tuple[str, Callable[[int], Any], Callable[[int], Any], Callable]] = [
            ("patient supply costs",
             lambda n: reports.supply_costs(ctx, MANAGER, charts[str(patients[n % rounds])]),
             lambda n: raw_costs(links, clinic, timezone, patients[n % rounds]),
             lambda ours, raw: {r["treatmentPlanId"]: r["totalCost"] for r in ours.rows} == raw),
            ("lot tracking",
             lambda n: reports.lot_tracking(ctx, MANAGER, lots[n % rounds]),
             lambda n: raw_lot(links, clinic, timezone, lots[n % rounds]),
             lambda ours, raw: [r["patientId"] for r in ours.rows] == [str(p) for p in raw]),
            ("one month's usage report",
             lambda n: reports.usage_report(ctx, MANAGER, month),
             lambda n: raw_month(links, clinic, timezone, month),
             lambda ours, raw: [(r["id"], r["lineCost"], r["voided"]) for r in ours.rows]
             == [(str(i), cost, voided) for i, cost, voided in raw]),
        ]
        answers = {}
        for name, ours, raw, same in checks:
            first_ours, first_raw = ours(0), raw(0)
            if not same(first_ours, first_raw):
                raise RuntimeError(f"{name}: the report and the raw query disagree")
            answers[name] = len(first_ours.rows)
            quick_rounds = max(10, rounds // 5) if name.startswith("one month") else rounds
            base, mine = [], []
            for _ in range(4):
                base += timed(raw, quick_rounds // 4, warmup=1)
                mine += timed(ours, quick_rounds // 4, warmup=1)
            figures += latency_figures(
                f"{name}, {size // 1000}k usages", mine, base, p99_ms=P99_MS,
                max_ratio=MAX_RATIO,
                base_name=(f"raw pymongo find, same filter/indexes/fields, reduced to the same "
                           f"result; {answers[name]} rows; {KIOSKS} kiosks + a second clinic of "
                           f"{size:,}; inserting {2 * size:,} took {insert_s:.0f} s"))
        client.close()
        ctx.store.close()
    finally:
        server.stop()
    return figures

