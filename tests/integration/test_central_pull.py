"""Pulling the catalog from a real MongoDB wire server into a real SQLite demo kiosk."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal

import pytest
from bson import ObjectId

from kiosk.adapters.mongo import pull
from kiosk.adapters.mongo.catalog_docs import TO_DOC, scoped
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import SCHEMA_VERSION, WORKSTATION
from kiosk.bootstrap import init_kiosk, open_kiosk
from kiosk.domain.errors import LotBlocked, StoreUnavailable
from kiosk.domain.model import (
    ApplianceRecord,
    ApplianceStatus,
    ApplianceType,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Vendor,
)
from kiosk.services.corrections import adjust_stock, void_usage
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.receiving import receive_stock
from kiosk.services.sync import SyncService
from kiosk.services.sync_ports import PULL_ORDER
from kiosk.services.sync_pull import CatalogDataError, pull_catalog

CLINIC_A = ObjectId(DEMO_CLINIC_ID)
CLINIC_B = ObjectId("64b0000000000000000000b2")
BRACKET_U1R = "(01)00812345671018(10){}"
C10239_BRACKETS = "64b300000000000000000004"
ALDER_PRICE = Decimal("3.36")
COLLECTION_OF = {Vendor: "Vendor", Item: "InventoryItem", Lot: "InventoryLot", Staff: "Staff",
                 Patient: "Patient", ApplianceRecord: "ApplianceRecord"}




def central_for(kiosk, db) -> MongoCentral:
    with kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    return MongoCentral(db.client, DEMO_CLINIC_ID, kiosk_id, db=db)


def publish(db, *records, clinic=CLINIC_A, rev_of=CLINIC_A) -> None:
    """Write each record as the central store holds it, with the clinic's next revision."""
    for record in records:
        collection = COLLECTION_OF[type(record)]
        doc = scoped(TO_DOC[collection](record), clinic, next_rev(db, rev_of))
        db[collection].replace_one({"_id": doc["_id"]}, doc, upsert=True)


def catalog_of(kiosk) -> list:
    """Everything the kiosk's store holds, in pull order (vendors first)."""
    with kiosk.context.store.read() as tx:
        items = tx.all_items()
        lots = [lot for item in items for lot in tx.lots_for_item(item.id)]
        vendor_ids = {o.vendor_id for item in items for o in item.offers}
        vendor_ids |= {lot.vendor_id for lot in lots if lot.vendor_id}
        patients = tx.all_patients()
        return [*(tx.vendor_by_id(v) for v in sorted(vendor_ids)), *items, *lots,
                *tx.all_staff(), *patients,
                *(a for p in patients for a in tx.appliances_for_patient(p.id))]


def new_kiosk(tmp_path, name="chair-9"):
    config, _ = init_kiosk(str(tmp_path / name / "config.toml"), clinic_id=DEMO_CLINIC_ID,
                           workstation_id=name, data_dir=str(tmp_path / name))
    return open_kiosk(str(config))


@contextmanager
def closing_kiosk(kiosk):
    try:
        yield kiosk
    finally:
        kiosk.context.store.close()


def cursors(kiosk) -> dict[str, str | None]:
    with kiosk.context.store.read() as tx:
        return {name: tx.sync_cursor(name) for name in (*PULL_ORDER, "schemaVersion")}


def item(kiosk, sku="BRK-MBT-U1R") -> Item:
    with kiosk.context.store.read() as tx:
        return tx.item_by_sku(sku)


def lot(kiosk, number, sku="BRK-MBT-U1R") -> Lot:
    with kiosk.context.store.read() as tx:
        return tx.lot_by_number(tx.item_by_sku(sku).id, number)


def deduct(kiosk, lot_number, quantity=1):
    command = PlaceSupplies(patient="C-10239", appliance_type="BRACKET",
                            appliance_id=C10239_BRACKETS, quantity=quantity,
                            scans=[BRACKET_U1R.format(lot_number)])
    [usage] = deduct_for_appliance(kiosk.context, "B1001", command)
    return usage


def test_a_new_kiosk_receives_the_whole_catalog_in_pages(demo, db, tmp_path):
    records = catalog_of(demo)
    publish(db, *records)
    with closing_kiosk(new_kiosk(tmp_path)) as fresh:
        central = central_for(fresh, db)
        assert pull_catalog(fresh.context, central, page_size=25) == len(records)
        assert catalog_of(fresh) == records
        last_revs = {c: str(db[c].find_one(sort=[("rev", -1)])["rev"]) for c in PULL_ORDER}
        assert cursors(fresh) == last_revs | {"schemaVersion": str(SCHEMA_VERSION)}
        assert pull_catalog(fresh.context, central, page_size=25) == 0


def test_pull_page_is_sorted_by_rev_limited_and_scoped(db):
    vendors = [Vendor(f"64b5000000000000000000{n:02x}", f"Vendor {n}") for n in range(1, 6)]
    publish(db, *vendors[3:], *vendors[:3])
    publish(db, Vendor("64b5000000000000000000ff", "Clinic B's"), clinic=CLINIC_B)
    page = pull.pull_page(db, CLINIC_A, "Vendor", 1, 3)
    assert [v.name for v in page.records] == ["Vendor 5", "Vendor 1", "Vendor 2"]
    assert page.last_rev == 4 and page.collection == "Vendor"
    empty = pull.pull_page(db, CLINIC_A, "Vendor", 5, 3)
    assert empty.records == [] and empty.last_rev is None


def test_a_failure_in_the_middle_of_a_page_leaves_cursor_and_data_unchanged(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    before = cursors(demo)
    first, second, third = (item(demo, s) for s in ("BRK-MBT-U1R", "BRK-MBT-U1L", "WIR-TMA-1925-U"))
    publish(db, replace(first, name="Renamed first"),
            replace(second, gtins=(*second.gtins, *first.gtins)),  # first's barcode: refused
            replace(third, name="Renamed third"))

    with pytest.raises(CatalogDataError, match=r"InventoryItem changes after revision \d+ were "
                       r"not applied: .*barcode 00812345671018 already belongs to item "
                       r"BRK-MBT-U1R") as raised:
        pull_catalog(demo.context, central)
    assert raised.value.applied == 0
    assert cursors(demo) == before
    assert item(demo).name == first.name and item(demo, "WIR-TMA-1925-U").name == third.name

    publish(db, second)  # fixed centrally: the next pull takes the whole page
    assert pull_catalog(demo.context, central) == 3
    assert item(demo).name == "Renamed first"
    assert int(cursors(demo)["InventoryItem"]) > int(before["InventoryItem"])


class FailingStore:
    """The kiosk store, whose write transactions fail at the ``fail_at``-th saved item, as a
    full disk would."""

    def __init__(self, store, fail_at: int) -> None:
        self.store, self.fail_at, self.saved = store, fail_at, 0

    def read(self):
        return self.store.read()

    @contextmanager
    def write(self):
        with self.store.write() as tx:
            yield FailingTx(tx, self)


class FailingTx:
    def __init__(self, tx, owner: FailingStore) -> None:
        self.tx, self.owner = tx, owner

    def __getattr__(self, name):
        return getattr(self.tx, name)

    def save_item(self, record):
        self.owner.saved += 1
        if self.owner.saved == self.owner.fail_at:
            raise StoreUnavailable("Could not save the item: the disk is full.")
        self.tx.save_item(record)


def test_a_local_failure_while_applying_a_page_rolls_back_the_page_and_its_cursor(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    before = cursors(demo)
    skus = ("BRK-MBT-U1R", "BRK-MBT-U1L", "WIR-TMA-1925-U")
    local = {sku: (item(demo, sku).name, item(demo, sku).quantity_on_hand) for sku in skus}
    publish(db, *(replace(item(demo, sku), name=f"New {sku}", quantity_on_hand=777)
                  for sku in skus))
    failing = replace(demo.context, store=FailingStore(demo.context.store, fail_at=2))

    with pytest.raises(StoreUnavailable, match="disk is full"):
        pull_catalog(failing, central)
    assert cursors(demo) == before
    assert {sku: (item(demo, sku).name, item(demo, sku).quantity_on_hand)
            for sku in skus} == local

    assert pull_catalog(demo.context, central) == 3
    assert {item(demo, sku).name for sku in skus} == {f"New {sku}" for sku in skus}


def test_a_pulled_recall_blocks_the_next_deduction(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    deduct(demo, "B26A858")
    publish(db, replace(lot(demo, "B26A858"), status=LotStatus.RECALLED,
                        recall_notice="Vendor recall RC-2211: weak bond"))

    assert pull_catalog(demo.context, central) == 1
    with pytest.raises(LotBlocked, match=r"B26A858 is recalled.*RC-2211"):
        deduct(demo, "B26A858")
    deduct(demo, "B25E392")  # other lots of the item are still fine


def test_a_pulled_price_change_freezes_into_the_next_usage_only(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    earlier = deduct(demo, "B25E392")  # no lot cost: the lot vendor's (Alder) offer
    bracket = item(demo)
    bracket.offers = [replace(o, unit_cost=Decimal("3.99")) if o.unit_cost == ALDER_PRICE else o
                      for o in bracket.offers]
    publish(db, bracket, replace(lot(demo, "B26A858"), unit_cost=Decimal("3.41")))

    assert pull_catalog(demo.context, central) == 2
    later, own_cost = deduct(demo, "B25E392"), deduct(demo, "B26A858")
    assert earlier.unit_cost == ALDER_PRICE and later.unit_cost == Decimal("3.99")
    assert own_cost.unit_cost == Decimal("3.41")
    with demo.context.store.read() as tx:
        assert tx.usage(earlier.id).unit_cost == ALDER_PRICE


def test_local_stock_is_server_stock_minus_this_kiosks_pending_changes(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    deduct(demo, "B25E392", quantity=2)
    void_usage(demo.context, "B1001", deduct(demo, "B26A858").id, "wrong box")  # nets out
    adjust_stock(demo.context, "B1007", "BRK-MBT-U1R", lot_number=None, delta=-1,
                 reason="dropped one")
    receive_stock(demo.context, "B1007", BRACKET_U1R.format("B25E392"), 5)
    publish(db, replace(item(demo), quantity_on_hand=500),
            replace(lot(demo, "B25E392"), quantity_on_hand=200))

    assert pull_catalog(demo.context, central) == 2
    assert item(demo).quantity_on_hand == 500 - 2 - 1 + 5
    assert lot(demo, "B25E392").quantity_on_hand == 200 - 2 + 5


def test_a_round_pushes_then_pulls_the_stock_the_server_now_holds(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    sync = SyncService(demo.context, central)
    assert sync.run_once().pulled == len(catalog_of(demo))
    opening_item, opening_lot = item(demo).quantity_on_hand, lot(demo, "B25E392").quantity_on_hand
    deduct(demo, "B25E392", quantity=3)

    report = sync.run_once()
    assert (report.pushed, report.remaining, report.online, report.error) == (1, 0, True, None)
    assert report.pulled >= 1  # the pushed deduction bumped the item's and lot's revisions
    server = db.InventoryItem.find_one({"_id": ObjectId(item(demo).id)})
    assert server["quantityOnHand"] == opening_item - 3 == item(demo).quantity_on_hand
    assert lot(demo, "B25E392").quantity_on_hand == opening_lot - 3
    beat = db[WORKSTATION].find_one({"clinicId": CLINIC_A})
    assert beat["queueDepth"] == 0 and beat["lastError"] is None and beat["version"]
    assert sync.state.online and sync.state.queue_depth == 0


def test_a_schema_version_bump_resyncs_everything(demo, db):
    records = catalog_of(demo)
    publish(db, *records)
    central = central_for(demo, db)
    assert pull_catalog(demo.context, central) == len(records)
    with demo.context.store.write() as tx:  # a local copy gone stale
        tx.save_patient(replace(tx.patient_by_chart("C-10239"), last_name="Stale"))
    assert pull_catalog(demo.context, central) == 0

    # the kiosk last pulled under an older schema (a newer one than the kiosk knows is
    # refused outright: tests/integration/test_central_wrong_database.py)
    with demo.context.store.write() as tx:
        tx.set_sync_cursor("schemaVersion", str(SCHEMA_VERSION - 1))
    assert pull_catalog(demo.context, central) == len(records)
    assert cursors(demo)["schemaVersion"] == str(SCHEMA_VERSION)
    with demo.context.store.read() as tx:
        assert tx.patient_by_chart("C-10239").last_name != "Stale"


def test_clinic_b_documents_never_reach_a_clinic_a_kiosk(demo, db, tmp_path):
    records = catalog_of(demo)
    bracket, bracket_lot = item(demo), lot(demo, "B25E392")
    role = next(r for r in records if isinstance(r, Staff)).role
    b_ids = [f"64b5000000000000000000b{n}" for n in range(1, 7)]
    clinic_b = [  # same SKU, chart number and lot number as clinic A's, different documents
        Vendor(b_ids[0], "Clinic B Supply"),
        Patient(b_ids[1], "C-10239", "Someone", "Else"),
        Staff(b_ids[2], "Clinic B assistant", role, "B9001"),
        replace(bracket, id=b_ids[3], name="Clinic B's bracket", offers=[]),
        replace(bracket_lot, id=b_ids[4], item_id=b_ids[3], status=LotStatus.RECALLED),
        ApplianceRecord(b_ids[5], b_ids[1], ApplianceType.BRACKET, ApplianceStatus.PLACED),
    ]
    for n, record in enumerate(records):  # revisions interleaved: rev alone excludes nothing
        publish(db, record)
        if n < len(clinic_b):
            publish(db, clinic_b[n], clinic=CLINIC_B)

    with closing_kiosk(new_kiosk(tmp_path)) as fresh:
        central = central_for(fresh, db)
        assert pull_catalog(fresh.context, central) == len(records)
        assert catalog_of(fresh) == records
        with fresh.context.store.read() as tx:
            assert tx.patient_by_chart("C-10239").first_name != "Someone"
            assert tx.lot_by_number(bracket.id, "B25E392").status is LotStatus.ACTIVE
        for collection in PULL_ORDER:
            seen = {r.id for r in central.pull(collection, 0, 10_000).records}
            assert seen and not seen & set(b_ids)
