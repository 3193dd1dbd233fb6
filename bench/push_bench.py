"""Push throughput against a real MongoDB wire server, as a ratio to a raw insert_many.

A demo kiosk queues 10,000 usages (not timed). The baselines insert the very documents the push
writes to ApplianceInventoryLink with a bare ``insert_many`` (batches of 200, majority +
journal, no transaction) into scratch collections of the same server: one with only ``_id``,
one with ApplianceInventoryLink's indexes (the seed's five, the unique kiosk sequence and the
lot-report index), which is most of the cost on this server. Then ``push_pending`` drains the
queue in the kiosk's own batch size (``sync_push.DEFAULT_BATCH``): one transaction each, with
the links, receipts, stock and cost summary writes. All on one SecantusDB started for the
run, one after the other.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bson import ObjectId
from pymongo.write_concern import WriteConcern

from bench.common import Figure, Settings, median, secantus_server_class
from kiosk.adapters.mongo.catalog_docs import item_doc, lot_doc, scoped
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.event_docs import BatchPlan, Known, parse_payload, payload_hash
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import INDEXES, LINK, ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.context import ServiceContext
from kiosk.services.placement import PlaceSupplies, bulk_deduct
from kiosk.services.ports import OutboxEvent
from kiosk.services.sync_push import DEFAULT_BATCH, push_pending

EVENTS = 10_000
BATCH = 200  # the raw insert_many baseline's batch
SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F")


def queue_usages(ctx: ServiceContext, count: int) -> None:
    for start in range(0, count, 250):
        bulk_deduct(ctx, "B1001", [
            PlaceSupplies(patient="C-10239", appliance_type="BRACKET" if n % 2 == 0 else "WIRE",
                          scans=[SCANS[n % 2]]) for n in range(start, min(start + 250, count))])


def seed_catalog(db, ctx: ServiceContext, clinic: ObjectId) -> None:
    rev = next_rev(db, clinic)
    with ctx.store.read() as tx:
        items = tx.all_items()
        lots = [lot for item in items for lot in tx.lots_for_item(item.id)]
    db.InventoryItem.insert_many([scoped(item_doc(i), clinic, rev) for i in items])
    db.InventoryLot.insert_many([scoped(lot_doc(lot), clinic, rev) for lot in lots])
    now = datetime.now(UTC)
    db.InventoryAdjustment.insert_many([
        {"clinicId": clinic, "kind": "IMPORT", "inventoryItemId": ObjectId(lot.item_id),
         "lotId": ObjectId(lot.id), "lotNumber": lot.lot_number, "quantity": lot.quantity_on_hand,
         "reason": "Opening stock", "createdAt": now} for lot in lots])


def link_documents(events: list[OutboxEvent], clinic: ObjectId, kiosk: ObjectId) -> list[dict]:
    """The ApplianceInventoryLink documents the push will write for these events."""
    plan = BatchPlan(clinic, kiosk, datetime.now(UTC), Known(set(), {}, {}, set()))
    for event in events:
        plan.apply(event, parse_payload(event), payload_hash(event.payload))
    return plan.links


def raw_insert_many(db, documents: list[dict], name: str, indexed: bool) -> list[float]:
    """The floor: the same documents, bare insert_many in batches, majority + journal."""
    scratch = db.get_collection(name, write_concern=WriteConcern("majority", j=True))
    if indexed:
        scratch.create_indexes(INDEXES[LINK])
    samples = []
    for start in range(0, len(documents), BATCH):
        began = time.perf_counter()
        scratch.insert_many(documents[start:start + BATCH], ordered=True)
        samples.append(time.perf_counter() - began)
    return samples


def timed_drain(ctx: ServiceContext, central: MongoCentral,
                events: int) -> tuple[float, list[float]]:
    """push_pending with the kiosk's default batch size until empty; the per-batch times
    come from timing the central push call itself."""
    samples: list[float] = []
    push = central.push

    def timed_push(events):
        began = time.perf_counter()
        try:
            return push(events)
        finally:
            samples.append(time.perf_counter() - began)

    central.push = timed_push  # type: ignore[method-assign]
    began = time.perf_counter()
    report = push_pending(ctx, central)
    total = time.perf_counter() - began
    central.push = push  # type: ignore[method-assign]
    assert report.remaining == 0 and report.pushed == events, report
    return total, samples


def run(folder: Path, settings: Settings) -> list[Figure]:
    """The push figures: throughput as a ratio to the indexed raw insert_many, and the drain
    time of the queue (10,000 events; 2,000 with ``--quick``)."""
    events = 2_000 if settings.quick else EVENTS
    server = secantus_server_class()(folder / "secantus").start()
    try:
        ctx = open_demo_kiosk(folder / "push").context
        with ctx.store.read() as tx:
            identity = tx.identity()
        uri = server.uri.replace("/?", "/kiosk_bench?")
        client = connect(uri)
        db = database(client)
        ensure_schema(db)
        clinic, kiosk = ObjectId(identity.clinic_id), ObjectId(identity.kiosk_id)
        seed_catalog(db, ctx, clinic)
        queue_usages(ctx, events)
        with ctx.store.read() as tx:
            queued = tx.pending_events(events)
        links = link_documents(queued, clinic, kiosk)
        bare = raw_insert_many(db, links, "RawInsertBare", indexed=False)
        raw = raw_insert_many(db, links, "RawInsertIndexed", indexed=True)
        central = MongoCentral.from_uri(uri, identity.clinic_id, identity.kiosk_id)
        try:
            drain_s, batches = timed_drain(ctx, central, events)
            drifts = central.audit()
        finally:
            central.close()
            client.close()
    finally:
        server.stop()
    raw_s, bare_s = sum(raw), sum(bare)
    ratio = raw_s / drain_s
    drain_10k = drain_s * EVENTS / events
    return [
        Figure("sync push throughput", events / drain_s, "events/s", events / raw_s, ratio,
               "≥ 0.5×", ratio >= 0.5,
               f"baseline: raw insert_many of the same link documents, batches of {BATCH}, "
               f"the link indexes (without them: {events / bare_s:,.0f}/s); push batches of "
               f"{DEFAULT_BATCH}, p50 {median(batches) * 1e3:.0f} ms"),
        Figure(f"drain {EVENTS:,} queued events", drain_10k, "s", target="≤ 60 s",
               ok=drain_10k <= 60 and not drifts,
               note=(f"measured on {events:,}, scaled" if events != EVENTS else "")
               + f"{'; ' if events != EVENTS else ''}audit afterwards: {len(drifts)} drift(s)"),
    ]
