"""`kiosk import` into the central store: one MongoDB transaction per file, scoped to a clinic."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from bson import Decimal128, ObjectId
from pymongo.errors import OperationFailure

from kiosk import bootstrap
from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.catalog_store import ImportConflict, MongoCatalogStore
from kiosk.adapters.mongo.catalog_tx import translate_import_error
from kiosk.adapters.mongo.client import connect, database
from kiosk.domain.errors import CentralRefused, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import Vendor
from kiosk.services.context import ServiceContext, SystemClock
from kiosk.services.demo import DEMO_CLINIC_ID, IMPORT_ORDER, dated_lots
from kiosk.services.imports import import_csv
from kiosk.services.ports import CatalogTx, CursorPort, IdentityPort, LedgerPort, OutboxPort

ROOT_DEMO = bootstrap.DEMO_DIR
CLINIC_A = DEMO_CLINIC_ID
CLINIC_B = "64b0000000000000000000b2"
CATALOG = ("InventoryItem", "InventoryLot", "Vendor", "Staff", "Patient", "ApplianceRecord")


@pytest.fixture
def texts() -> dict[str, str]:
    files = {k: (ROOT_DEMO / f"{k}.csv").read_text(encoding="utf-8") for k in IMPORT_ORDER}
    return files | {"lots": dated_lots(files["lots"], datetime.now(UTC).date())}


@pytest.fixture
def db(central_uri):
    init_central(central_uri)
    with connect(central_uri) as client:
        yield database(client)


def import_files(uri: str, clinic: str, texts: dict[str, str], kinds=IMPORT_ORDER) -> None:
    with MongoCatalogStore.from_uri(uri, clinic) as store:
        ctx = ServiceContext(store=store, clock=SystemClock())
        for kind in kinds:
            import_csv(ctx, kind, texts[kind])


def rows(text: str) -> int:
    return len([line for line in text.splitlines()[1:] if line.strip()])


def test_demo_catalog_lands_in_central_through_the_import_target(tmp_path, central_uri, db,
                                                                  texts):
    bootstrap.init_kiosk(str(tmp_path / "k.toml"), clinic_id=CLINIC_A, workstation_id="chair-1",
                         mongo_uri=central_uri, data_dir=str(tmp_path / "data"))
    kiosk = bootstrap.open_kiosk(str(tmp_path / "k.toml"))
    revs_after = {}
    try:
        with kiosk.catalog.import_target() as ctx:
            assert isinstance(ctx.store, MongoCatalogStore)
            for kind in IMPORT_ORDER:
                assert import_csv(ctx, kind, texts[kind]) == rows(texts[kind])
                revs_after[kind] = {d["_id"]: d["rev"] for d in db.InventoryItem.find()}
        with kiosk.context.store.read() as tx:  # the local store was not written
            assert tx.all_items() == []
    finally:
        kiosk.context.store.close()

    clinic = ObjectId(CLINIC_A)
    assert db.InventoryItem.count_documents({}) == rows(texts["items"])
    for name in CATALOG:
        for doc in db[name].find():
            assert doc["clinicId"] == clinic and isinstance(doc["_id"], ObjectId)
            assert isinstance(doc["rev"], int)
    # every write took its own revision, in order: a later file's saves come after
    revs = [d["rev"] for name in CATALOG for d in db[name].find()]
    assert len(revs) == len(set(revs))
    assert db.Counter.find_one({"_id": f"{clinic}:rev"})["value"] >= max(revs)
    in_file_order = [revs_after["items"][d["_id"]] for d in db.InventoryItem.find()
                     .sort("_id", 1)]
    assert in_file_order == sorted(in_file_order)
    assert len(set(in_file_order)) == len(in_file_order)
    offered = {d["_id"] for d in db.InventoryItem.find({"vendors.0": {"$exists": True}})}
    assert offered and all(revs_after["offers"][i] > revs_after["items"][i] for i in offered)

    item = db.InventoryItem.find_one({"sku": "BRK-MBT-U1R"})
    assert item["vendors"][0]["unitCost"] in (Decimal128("3.36"), Decimal128("3.50"))
    assert all(isinstance(v["unitCost"], Decimal128) and isinstance(v["vendorId"], ObjectId)
               for d in db.InventoryItem.find() for v in d["vendors"])
    lot = db.InventoryLot.find_one({"lotNumber": "B26A858"})
    assert lot["unitCost"].to_decimal() == Decimal("3.37") and lot["itemId"] == item["_id"]
    assert lot["expirationDate"].tzinfo is not None

    staff = db.Staff.find_one({"badge": "B1001"})
    assert staff["_id"] == ObjectId("64b100000000000000000001")
    assert staff["pinHash"] and "482913" not in staff["pinHash"]
    assert db.Patient.find_one({"chartNumber": "C-10231"})["_id"] == ObjectId(
        "64b200000000000000000001")
    assert db.ApplianceRecord.count_documents({}) == rows(texts["appliances"])


def test_central_badges_are_found_in_any_case(central_uri, db, texts):
    import_files(central_uri, CLINIC_A, texts, ("staff",))
    with MongoCatalogStore.from_uri(central_uri, CLINIC_A) as store, store.read() as tx:
        assert tx.staff_by_badge("b1001").id == "64b100000000000000000001"
        assert tx.staff_by_badge("B100.") is None  # the badge is matched, not a pattern
        assert tx.staff_by_badge("B100") is None


def test_import_adjustments_make_the_central_ledger_complete(central_uri, db, texts):
    import_files(central_uri, CLINIC_A, texts, ("items", "offers", "lots"))
    adjustments = list(db.InventoryAdjustment.find())
    assert adjustments and all(a["kind"] == "IMPORT" and "kioskId" not in a
                               and "kioskSeq" not in a for a in adjustments)
    per_lot, per_item = defaultdict(int), defaultdict(int)
    for adj in adjustments:
        per_lot[adj["lotId"]] += adj["quantity"]
        per_item[adj["inventoryItemId"]] += adj["quantity"]
        assert adj["lotNumber"] and adj["clinicId"] == ObjectId(CLINIC_A)
    for lot in db.InventoryLot.find():
        assert per_lot[lot["_id"]] == lot["quantityOnHand"]
    for item in db.InventoryItem.find():
        assert per_item[item["_id"]] == item["quantityOnHand"]
    assert sum(per_lot.values()) == sum(int(line.split(",")[5]) for line in
                                        texts["lots"].splitlines()[1:] if line.strip())

    # the same stock count again changes nothing and records nothing
    import_files(central_uri, CLINIC_A, texts, ("lots",))
    assert db.InventoryAdjustment.count_documents({}) == len(adjustments)


def test_a_bad_row_aborts_the_whole_file(central_uri, db, texts):
    import_files(central_uri, CLINIC_A, texts, ("items", "offers"))
    counter = db.Counter.find_one()["value"]
    lines = texts["lots"].splitlines()
    fields = lines[6].split(",")
    lines[6] = ",".join([*fields[:5], "many", *fields[6:]])
    with pytest.raises(ValidationError) as caught:
        import_files(central_uri, CLINIC_A, texts | {"lots": "\n".join(lines) + "\n"},
                     ("lots",))
    assert str(caught.value).startswith("Line 7 of the lots file: the quantity 'many'")
    assert "Nothing from this file was imported." in str(caught.value)
    assert db.InventoryLot.count_documents({}) == 0
    assert db.InventoryAdjustment.count_documents({}) == 0
    assert db.InventoryItem.count_documents({"quantityOnHand": {"$ne": 0}}) == 0
    assert db.Counter.find_one()["value"] == counter


def test_clinics_do_not_touch_each_other(central_uri, db, texts):
    import_files(central_uri, CLINIC_A, texts)
    before = {name: sorted(db[name].find({}), key=lambda d: d["_id"]) for name in CATALOG}
    with MongoCatalogStore.from_uri(central_uri, CLINIC_B) as store, store.read() as tx:
        assert tx.all_items() == [] and tx.item_by_sku("BRK-MBT-U1R") is None
        assert tx.patient_by_id("64b200000000000000000001") is None

    import_files(central_uri, CLINIC_B, texts, ("items", "offers", "lots"))  # same SKUs
    assert db.InventoryItem.count_documents({"clinicId": ObjectId(CLINIC_B)}) == rows(
        texts["items"])
    with pytest.raises(ValidationError) as caught:  # clinic A's patient ids, given explicitly
        import_files(central_uri, CLINIC_B, texts, ("patients",))
    assert str(caught.value).startswith("Line 2 of the patients file: the id "
                                        "64b200000000000000000001 is already used")
    assert db.Patient.count_documents({"clinicId": ObjectId(CLINIC_B)}) == 0
    after = {name: sorted(db[name].find({"clinicId": ObjectId(CLINIC_A)}),
                          key=lambda d: d["_id"]) for name in CATALOG}
    assert after == before
    with MongoCatalogStore.from_uri(central_uri, CLINIC_B) as store, store.read() as tx:
        assert len(tx.all_items()) == rows(texts["items"])
        assert {v.name for v in [tx.vendor_by_name("alder ortho direct")] if v} == {
            "Alder Ortho Direct"}


def test_an_import_that_collides_with_a_concurrent_writer_is_run_again(tmp_path, central_uri,
                                                                       db, texts):
    bootstrap.init_kiosk(str(tmp_path / "k.toml"), clinic_id=CLINIC_A, workstation_id="chair-1",
                         mongo_uri=central_uri, data_dir=str(tmp_path / "data"))
    kiosk = bootstrap.open_kiosk(str(tmp_path / "k.toml"))
    pauses: list[float] = []
    with MongoCatalogStore.from_uri(central_uri, CLINIC_A) as other:
        holder = other.write()  # another writer's open transaction holds the rev counter
        holder.__enter__().save_vendor(Vendor(id=new_object_id(), name="Busy Vendor"))

        def pause(seconds: float) -> None:
            if not pauses:
                holder.__exit__(None, None, None)  # the other writer commits meanwhile
            pauses.append(seconds)

        try:
            count = replace(kiosk.catalog, sleep=pause).import_file("items", texts["items"])
        finally:
            kiosk.context.store.close()
    assert count == rows(texts["items"]) and len(pauses) == 1
    assert db.Vendor.count_documents({}) == 1
    assert db.InventoryItem.count_documents({}) == rows(texts["items"])


def test_a_database_without_the_schema_is_refused(central_uri, texts):
    with pytest.raises(CentralRefused, match="no kiosk schema in database kiosk_test_"):
        import_files(central_uri, CLINIC_A, texts, ("items",))
    with connect(central_uri) as client:
        assert database(client).list_collection_names() == []


def test_kiosk_events_are_not_available_on_the_central_catalog(central_uri, db):
    # The central catalog offers the people and catalog roles only (issue 12: role ports
    # instead of 19 methods that raised); the kiosk's own roles are not there to call.
    with MongoCatalogStore.from_uri(central_uri, CLINIC_A) as store, store.write() as tx:
        assert isinstance(tx, CatalogTx)
        for kiosk_role in (IdentityPort, LedgerPort, OutboxPort, CursorPort):
            assert not isinstance(tx, kiosk_role)
        assert not hasattr(tx, "next_kiosk_seq")
        assert not hasattr(tx, "outbox_counts")


def test_without_a_server_imports_go_to_the_local_store(tmp_path, texts):
    bootstrap.init_kiosk(str(tmp_path / "k.toml"), clinic_id=CLINIC_A, workstation_id="chair-1",
                         data_dir=str(tmp_path / "data"))
    kiosk = bootstrap.open_kiosk(str(tmp_path / "k.toml"))
    try:
        with kiosk.catalog.import_target() as ctx:
            assert ctx is kiosk.context
            import_csv(ctx, "items", texts["items"])
        with kiosk.context.store.read() as tx:
            assert len(tx.all_items()) == rows(texts["items"])
    finally:
        kiosk.context.store.close()


def test_an_aborted_transaction_is_a_conflict_unless_it_ran_too_long():
    aborted = OperationFailure("Transaction has been aborted.", code=251,
                               details={"errorLabels": ["TransientTransactionError"]})
    conflict = translate_import_error(aborted, "save item X", time.monotonic())
    assert isinstance(conflict, ImportConflict)
    too_long = translate_import_error(aborted, "save item X", time.monotonic() - 55)
    assert isinstance(too_long, ValidationError) and "split the file" in str(too_long)
