"""Push to a real MongoDB wire server: documents, stock and cost summaries exactly right,
conflicting replays quarantined, and one clinic's kiosk blind to another clinic's documents.

The helpers here (a kiosk and its MongoCentral on the demo clinic, the central catalog seed,
the sync invariants) are shared with test_sync_faults.py.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bson import Decimal128, ObjectId
from pymongo.database import Database

from kiosk.adapters.mongo.catalog_docs import item_doc, lot_doc, scoped
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import ensure_schema
from kiosk.app import KioskApp as Kiosk
from kiosk.bootstrap import demo_timezone, init_kiosk, open_demo_kiosk, open_kiosk
from kiosk.domain.costs import summarize_costs
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import UsageVoid
from kiosk.services.context import ServiceContext
from kiosk.services.corrections import adjust_stock, void_usage
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.payloads import usage_event, void_event
from kiosk.services.placement import PlaceSupplies, bulk_deduct, deduct_for_appliance
from kiosk.services.receiving import receive_stock
from kiosk.services.sync_push import PushReport, push_pending

BRACKET_SCAN = "(01)00812345671018(10)B25E392"  # BRK-MBT-U1R lot B25E392, 3.36 from Alder
WIRE_SCAN = "(01)00812345671490(10)TM2609F"  # WIR-TMA-1925-U lot TM2609F, 4.94
PATIENT, PLAN = "C-10239", "64b400000000000000000002"
BRACKET_RECORD = "64b300000000000000000004"  # C-10239's PLACED bracket appliance
ASSISTANT, MANAGER = "B1001", "B1008"


@dataclass
class Site:
    """One kiosk (its own SQLite file) and its MongoCentral on the same clinic."""

    kiosk: Kiosk
    central: MongoCentral

    @property
    def ctx(self) -> ServiceContext:
        return self.kiosk.context

    @property
    def kiosk_id(self) -> str:
        with self.ctx.store.read() as tx:
            return tx.identity().kiosk_id

    def outbox(self) -> dict[str, tuple[int, str]]:
        """event id -> (kiosk seq, state), read straight from the SQLite file."""
        with sqlite3.connect(self.kiosk.config.database_path) as conn:
            rows = conn.execute("SELECT event_id, kiosk_seq, state FROM outbox").fetchall()
        conn.close()
        return {event_id: (seq, state) for event_id, seq, state in rows}


def central_db(uri: str) -> tuple[object, Database]:
    client = connect(uri)
    db = database(client)
    ensure_schema(db)
    return client, db


def open_site(uri: str, home: Path, clinic_id: str = DEMO_CLINIC_ID,
              catalog_from: ServiceContext | None = None) -> Site:
    """The demo kiosk, or a new kiosk with ``catalog_from``'s catalog (same ids, as a pull
    would give it) and its own kiosk id."""
    if catalog_from is None:
        kiosk = open_demo_kiosk(home)
    else:
        config, _ = init_kiosk(str(home / "config.toml"), clinic_id=clinic_id,
                               workstation_id=home.name, data_dir=str(home),
                               timezone=demo_timezone())
        kiosk = open_kiosk(str(config))
        copy_catalog(catalog_from, kiosk.context)
    with kiosk.context.store.read() as tx:
        identity = tx.identity()
    return Site(kiosk, MongoCentral.from_uri(uri, identity.clinic_id, identity.kiosk_id))


def copy_catalog(source: ServiceContext, target: ServiceContext) -> None:
    with source.store.read() as tx:
        items = tx.all_items()
        lots = [lot for item in items for lot in tx.lots_for_item(item.id)]
        vendor_ids = {o.vendor_id for i in items for o in i.offers} | {
            lot.vendor_id for lot in lots if lot.vendor_id}
        vendors = [tx.vendor_by_id(v) for v in vendor_ids]
        staff, patients = tx.all_staff(), tx.all_patients()
        records = [r for p in patients for r in tx.appliances_for_patient(p.id)]
    with target.store.write() as tx:
        for record in (*vendors, *items, *lots, *staff, *patients, *records):
            saver = {"Vendor": tx.save_vendor, "Item": tx.save_item, "Lot": tx.save_lot,
                     "Staff": tx.save_staff, "Patient": tx.save_patient,
                     "ApplianceRecord": tx.save_appliance}[type(record).__name__]
            saver(record)


def seed_catalog(db: Database, ctx: ServiceContext,
                 clinic_id: str = DEMO_CLINIC_ID) -> dict[str, int]:
    """The kiosk's catalog as central items and lots, with an IMPORT adjustment per lot (and
    per item for stock outside lots) so the ledger adds up; returns opening stock by id."""
    clinic = ObjectId(clinic_id)
    rev = next_rev(db, clinic)
    with ctx.store.read() as tx:
        items = tx.all_items()
        lots = [lot for item in items for lot in tx.lots_for_item(item.id)]
    db.InventoryItem.insert_many([scoped(item_doc(i), clinic, rev) for i in items])
    db.InventoryLot.insert_many([scoped(lot_doc(lot), clinic, rev) for lot in lots])
    in_lots = Counter()
    imports = []
    for lot in lots:
        in_lots[lot.item_id] += lot.quantity_on_hand
        imports.append((lot.item_id, lot.id, lot.lot_number, lot.quantity_on_hand))
    imports += [(i.id, None, None, i.quantity_on_hand - in_lots[i.id]) for i in items
                if i.quantity_on_hand != in_lots[i.id]]
    now = datetime.now(UTC)
    db.InventoryAdjustment.insert_many([
        {"_id": ObjectId(), "clinicId": clinic, "kind": "IMPORT", "inventoryItemId": ObjectId(i),
         "lotId": ObjectId(lot) if lot else None, "lotNumber": number, "quantity": quantity,
         "reason": "Opening stock", "adjustedBy": None, "unitCost": None, "createdAt": now}
        for i, lot, number, quantity in imports])
    return {i.id: i.quantity_on_hand for i in items} | {lot.id: lot.quantity_on_hand
                                                        for lot in lots}


def place(ctx: ServiceContext, scans: list[str], **options) -> list:
    command = PlaceSupplies(patient=PATIENT, appliance_type=options.pop("kind", "BRACKET"),
                            scans=scans, **options)
    return deduct_for_appliance(ctx, ASSISTANT, command)


def place_many(ctx: ServiceContext, count: int, per_tx: int = 100) -> None:
    """``count`` single-scan placements, ``per_tx`` to a local transaction (bulk)."""
    scans = [BRACKET_SCAN, WIRE_SCAN]
    done = 0
    while done < count:
        n = min(per_tx, count - done)
        bulk_deduct(ctx, ASSISTANT, [PlaceSupplies(
            patient=PATIENT, appliance_type="BRACKET" if (done + k) % 2 == 0 else "WIRE",
            scans=[scans[(done + k) % 2]]) for k in range(n)])
        done += n


def assert_invariants(db: Database, sites: list[Site], opening: dict[str, int],
                      clinic_id: str = DEMO_CLINIC_ID) -> None:
    """Central stock = opening + Σ ledger; cost summaries = Σ usages net of voids; each kiosk's
    receipts a complete sequence; acknowledged locally ⇔ present centrally, once."""
    assert sites[0].central.audit() == []
    clinic = ObjectId(clinic_id)
    expected = Counter(opening)
    usages, voided = [], set()
    for site in sites:
        outbox = site.outbox()
        assert not [e for e, (_, state) in outbox.items() if state == "PENDING"]
        acked = {e for e, (_, state) in outbox.items() if state == "ACKNOWLEDGED"}
        kiosk = ObjectId(site.kiosk_id)
        receipts = list(db.KioskEventReceipt.find({"clinicId": clinic, "kioskId": kiosk}))
        assert {str(r["_id"]) for r in receipts} == acked
        assert sorted(r["kioskSeq"] for r in receipts) == sorted(outbox[e][0] for e in acked)
        quarantined_seqs = {seq for seq, state in outbox.values() if state == "QUARANTINED"}
        assert sorted(r["kioskSeq"] for r in receipts) == [
            s for s in range(1, len(outbox) + 1) if s not in quarantined_seqs]
        with site.ctx.store.read() as tx:
            mine = [u for u in tx.usages() if u.id in acked]
            voids = {u for u in tx.voided_usage_ids() if tx.void_for(u).id in acked}
            adjustments = [a for a in tx.adjustments() if a.id in acked]
        for name, events in (("ApplianceInventoryLink", mine),
                             ("InventoryAdjustment", adjustments)):
            docs = list(db[name].find({"kioskId": kiosk}, {"kioskSeq": 1, "clinicId": 1}))
            assert sorted(str(d["_id"]) for d in docs) == sorted(e.id for e in events)
            assert sorted(d["kioskSeq"] for d in docs) == sorted(e.kiosk_seq for e in events)
            assert all(d["clinicId"] == clinic for d in docs)
        voided_centrally = db.ApplianceInventoryLink.find({"kioskId": kiosk, "voidedAt": {
            "$ne": None}}, {"_id": 1})
        assert {str(d["_id"]) for d in voided_centrally} == voids
        usages += mine
        voided |= voids
        for usage in mine:
            if usage.id not in voids:
                expected[usage.inventory_item_id] -= usage.quantity
                expected[usage.lot_id] -= usage.quantity if usage.lot_id else 0
        for adj in adjustments:
            expected[adj.inventory_item_id] += adj.quantity_delta
            expected[adj.lot_id] += adj.quantity_delta if adj.lot_id else 0
    stored = {str(d["_id"]): d["quantityOnHand"]
              for name in ("InventoryItem", "InventoryLot")
              for d in db[name].find({"clinicId": clinic})}
    assert {k: v for k, v in stored.items() if k in expected} == {
        k: v for k, v in expected.items() if k in stored}
    assert_summaries(db, clinic, usages, voided)


def assert_summaries(db: Database, clinic: ObjectId, usages: list, voided: set[str]) -> None:
    want = {(s.patient_id, s.treatment_plan_id): s for s in summarize_costs(usages, voided)}
    have = {(str(d["patientId"]), d["treatmentPlanId"] and str(d["treatmentPlanId"])): d
            for d in db.SupplyCostSummary.find({"clinicId": clinic})}
    assert have.keys() == want.keys()
    for key, summary in want.items():
        doc = have[key]
        for category, amount in summary.costs.items():
            assert doc[category.value].to_decimal() == amount, (key, category)
        assert doc["totalCost"].to_decimal() == summary.total
        assert doc["periodStart"] == ms(summary.period_start)
        assert doc["periodEnd"] is None


def ms(moment: datetime) -> datetime:
    """BSON keeps datetimes to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# --- tests ---------------------------------------------------------------------------------


def test_usages_void_adjustment_and_receipt_land_exactly(central_uri, tmp_path):
    site = open_site(central_uri, tmp_path / "k1")
    client, db = central_db(central_uri)
    try:
        opening = seed_catalog(db, site.ctx)
        brackets = place(site.ctx, [BRACKET_SCAN], quantity=3, appliance_id=BRACKET_RECORD,
                         notes='{"$set": {"quantityOnHand": 0}}')
        wires = place(site.ctx, [WIRE_SCAN], kind="WIRE", quantity=2)
        void_usage(site.ctx, ASSISTANT, wires[0].id, "Scanned the wrong patient")
        adjust_stock(site.ctx, MANAGER, "BRK-MBT-U1R", lot_number="B25E392", delta=-4,
                     reason="Cycle count")
        receipt = receive_stock(site.ctx, MANAGER, "(01)00812345671018(17)290131(10)NEW777",
                                25, unit_cost="3.31")

        assert push_pending(site.ctx, site.central) == PushReport(5, 0, 0)

        link = db.ApplianceInventoryLink.find_one({"_id": ObjectId(brackets[0].id)})
        assert set(link) == {"_id", "clinicId", "applianceRecordId", "applianceType",
                             "patientId", "inventoryItemId", "lotNumber", "expirationDate",
                             "usageDate", "quantity", "unitCost", "usedBy", "notes",
                             "createdAt", "kioskId", "kioskSeq",
                             # additions for clinic-wide cost reports (issue 15)
                             "costCategory", "treatmentPlanId"}
        assert link["costCategory"] == "bracketCost"
        assert link["unitCost"] == Decimal128("3.36") and link["quantity"] == 3
        assert link["notes"] == '{"$set": {"quantityOnHand": 0}}'
        assert link["applianceRecordId"] == ObjectId(BRACKET_RECORD)
        assert link["expirationDate"].hour == 0 and link["expirationDate"].utcoffset().seconds == 0
        voided = db.ApplianceInventoryLink.find_one({"_id": ObjectId(wires[0].id)})
        assert voided["voidReason"] == "Scanned the wrong patient" and voided["voidedAt"]

        item = db.InventoryItem.find_one({"sku": "BRK-MBT-U1R"})
        assert item["quantityOnHand"] == opening[brackets[0].inventory_item_id] - 3 - 4 + 25
        assert item["rev"] > 1  # catalog rev 1 was the seed
        new_lot = db.InventoryLot.find_one({"_id": ObjectId(receipt.lot_id)})
        assert (new_lot["lotNumber"], new_lot["quantityOnHand"]) == ("NEW777", 25)
        assert new_lot["unitCost"] == Decimal128("3.31") and new_lot["rev"] > 1
        wire = db.InventoryItem.find_one({"sku": "WIR-TMA-1925-U"})
        assert wire["quantityOnHand"] == opening[wires[0].inventory_item_id]  # voided back

        patient = ObjectId(brackets[0].patient_id)
        summary = db.SupplyCostSummary.find_one({"patientId": patient,
                                                 "treatmentPlanId": ObjectId(PLAN)})
        assert summary["bracketCost"].to_decimal() == Decimal("10.08")  # 3 x 3.36
        assert summary["totalCost"].to_decimal() == Decimal("10.08")
        assert summary["periodStart"] == ms(brackets[0].usage_date)
        netted = db.SupplyCostSummary.find_one({"patientId": patient, "treatmentPlanId": None})
        assert netted["wireCost"].to_decimal() == netted["totalCost"].to_decimal() == 0
        assert db.InventoryAdjustment.count_documents({"kioskId": ObjectId(site.kiosk_id)}) == 2
        assert push_pending(site.ctx, site.central) == PushReport(0, 0, 0)
        assert_invariants(db, [site], opening)
    finally:
        site.central.close()
        client.close()


def test_conflicting_payload_under_existing_id_is_quarantined(central_uri, tmp_path):
    first = open_site(central_uri, tmp_path / "k1")
    second = open_site(central_uri, tmp_path / "k2", catalog_from=first.ctx)
    client, db = central_db(central_uri)
    try:
        opening = seed_catalog(db, first.ctx)
        [taken] = place(first.ctx, [BRACKET_SCAN])
        assert push_pending(first.ctx, first.central).pushed == 1
        place(second.ctx, [BRACKET_SCAN])
        with second.ctx.store.write() as tx:  # an event reusing the first kiosk's usage id
            [mine] = tx.usages()
            forged = replace(mine, id=taken.id, kiosk_seq=tx.next_kiosk_seq(), quantity=9)
            tx.enqueue(usage_event(forged))
        place(second.ctx, [WIRE_SCAN], kind="WIRE")

        report = push_pending(second.ctx, second.central)

        assert report == PushReport(pushed=2, quarantined=1, remaining=0)
        states = {e: state for e, (_, state) in second.outbox().items()}
        assert states[taken.id] == "QUARANTINED"
        assert list(states.values()).count("ACKNOWLEDGED") == 2
        assert db.ApplianceInventoryLink.find_one({"_id": ObjectId(taken.id)})["quantity"] == 1
        # the same id replayed by its own kiosk with other contents, and a stolen sequence
        outcome = first.central.push([
            replace(usage_event(taken), payload=usage_event(taken).payload.replace(
                '"quantity": 1', '"quantity": 2')),
            usage_event(replace(taken, id=new_object_id()))])
        assert outcome.acknowledged == []
        assert "different contents" in outcome.quarantined[taken.id]
        assert [r for r in outcome.quarantined.values() if "already held" in r]
        assert_invariants(db, [first, second], opening)
    finally:
        first.central.close()
        second.central.close()
        client.close()


def test_a_kiosk_of_one_clinic_cannot_touch_another_clinics_documents(central_uri, tmp_path):
    other_clinic = "64b0000000000000000000bb"
    demo = open_site(central_uri, tmp_path / "demo")  # its catalog is clinic B's, centrally
    site = open_site(central_uri, tmp_path / "a", clinic_id="64b0000000000000000000aa",
                     catalog_from=demo.ctx)
    client, db = central_db(central_uri)
    try:
        seed_catalog(db, demo.ctx, clinic_id=other_clinic)
        b = ObjectId(other_clinic)
        b_link = ObjectId()
        db.ApplianceInventoryLink.insert_one({"_id": b_link, "clinicId": b, "quantity": 1})
        before = {name: sorted(db[name].find({"clinicId": b}), key=lambda d: d["_id"])
                  for name in db.list_collection_names()}

        usages = place(site.ctx, [BRACKET_SCAN], quantity=2)
        receive_stock(site.ctx, MANAGER, "(01)00812345671018(10)ZZ1", 5)
        with site.ctx.store.write() as tx:
            identity = tx.identity()
            tx.enqueue(void_event(UsageVoid(
                id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
                kiosk_seq=tx.next_kiosk_seq(), usage_id=str(b_link), voided_by=usages[0].used_by,
                reason="not ours", voided_at=datetime.now(UTC))))

        report = push_pending(site.ctx, site.central)

        assert report == PushReport(pushed=2, quarantined=1, remaining=0)
        after = {name: sorted(db[name].find({"clinicId": b}), key=lambda d: d["_id"])
                 for name in db.list_collection_names()}
        assert after == before
        assert site.central.pull("InventoryItem", 0, 500).records == []
        assert site.central.pull("InventoryLot", 0, 500).records == []
        drifts = site.central.audit()
        assert drifts and all(d.stored == "missing" for d in drifts)  # B's items, unseen
        assert all(str(b_link) not in d.what for d in drifts)
        a_docs = db.ApplianceInventoryLink.count_documents({"clinicId": ObjectId(
            "64b0000000000000000000aa")})
        assert a_docs == 1
        assert db.InventoryLot.count_documents({"lotNumber": "ZZ1"}) == 0
    finally:
        demo.central.close()
        site.central.close()
        client.close()

