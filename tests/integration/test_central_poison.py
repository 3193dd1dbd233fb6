"""Poisoned central documents: a bad record is skipped, counted and named; it is never frozen
into a usage and never stops the records after it (issue 14, item 1). The counts go to the
fault report (docs/RELIABILITY.md), so these run with ``pytest -m faults`` too."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from bson import Decimal128, Int64, ObjectId
from test_central_pull import (
    catalog_of,
    central_for,
    deduct,
    item,
    publish,
)

from kiosk.adapters.mongo.revisions import next_rev
from kiosk.bootstrap import doctor_checks
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.sync import SyncService
from kiosk.services.sync_pull import CatalogDataError, pull_catalog, skipped_records

CLINIC = ObjectId(DEMO_CLINIC_ID)
pytestmark = pytest.mark.faults


def tally(fault_report, **counts: int) -> None:
    """Add ``counts`` to this run's "central_poison" section of the fault report."""
    section = fault_report["sections"].setdefault("central_poison", {})
    for name, n in counts.items():
        section[name] = section.get(name, 0) + n


BIG = "x" * 3_000_000


def published(demo, db):
    publish(db, *catalog_of(demo))
    central = central_for(demo, db)
    pull_catalog(demo.context, central)
    return central


def poison(db, collection: str, record_id: str, changes: dict) -> None:
    db[collection].update_one({"_id": ObjectId(record_id)},
                              {"$set": {**changes, "rev": next_rev(db, CLINIC)}})


def rename(db, collection: str, record_id: str, field: str, value: str) -> None:
    poison(db, collection, record_id, {field: value})


def pull_reporting(demo, central) -> str:
    """One pull; the sentence it ends with (a CatalogDataError), or '' when none."""
    try:
        pull_catalog(demo.context, central)
    except CatalogDataError as error:
        return str(error)
    return ""


def test_a_float_price_is_skipped_never_frozen_and_the_queue_still_drains(demo, db,
                                                                        fault_report):
    central = published(demo, db)
    bracket, wire = item(demo), item(demo, "WIR-TMA-1925-U")
    price_before = deduct(demo, "B25E392").unit_cost
    # what a mongo shell `{$set: {unitCost: 1.1}}` writes, then a good change after it
    poison(db, "InventoryItem", bracket.id, {"vendors.0.unitCost": 1.1, "unitCost": 1.1})
    rename(db, "InventoryItem", wire.id, "name", "Renamed wire")

    sentence = pull_reporting(demo, central)
    assert "skipped" in sentence and "floating-point" in sentence and bracket.id in sentence
    assert item(demo, "WIR-TMA-1925-U").name == "Renamed wire"  # the record after it came in
    assert item(demo).offers == bracket.offers  # the local catalog kept the good prices
    assert deduct(demo, "B25E392").unit_cost == price_before
    [skipped] = skipped_records(demo.context)
    assert (skipped.collection, skipped.record_id) == ("InventoryItem", bracket.id)
    [check] = [c for c in doctor_checks(str(demo.config_path)) if c.name == "central records"]
    assert not check.ok and bracket.id in check.detail and "Decimal128" in check.fix

    report = SyncService(demo.context, central).run_once()
    assert report.remaining == 0 and not report.quarantined

    poison(db, "InventoryItem", bracket.id, {"vendors.0.unitCost": Decimal128("1.10"),
                                             "unitCost": None})
    assert pull_reporting(demo, central) == ""
    assert item(demo).offers[0].unit_cost == Decimal("1.10")
    assert skipped_records(demo.context) == []
    [check] = [c for c in doctor_checks(str(demo.config_path)) if c.name == "central records"]
    assert check.ok
    tally(fault_report, float_prices=1, queue_drained_after=1)


ITEM_POISONS = [
    ("unitCost", 1.1), ("unitCost", math.nan), ("unitCost", math.inf), ("unitCost", -math.inf),
    ("unitCost", "abc"), ("unitCost", "-1"), ("unitCost", "1e9"), ("unitCost", "1,50"),
    ("unitCost", Decimal128("NaN")), ("unitCost", Decimal128("Infinity")),
    ("unitCost", Decimal128("-Infinity")), ("unitCost", Decimal128("1E+40")),
    ("unitCost", Decimal128("-0.01")), ("unitCost", Decimal128("0.00001")),
    ("unitCost", True), ("unitCost", [1]), ("unitCost", {"$gt": 0}), ("unitCost", 10**18),
    ("vendors.0.unitCost", 3.36), ("vendors.0.unitCost", None), ("vendors.0.unitCost", "x"),
    ("vendors.0.vendorId", "not-an-id"), ("vendors", "all of them"), ("vendors", [1, 2]),
    ("quantityOnHand", 1.5), ("quantityOnHand", "12"), ("quantityOnHand", math.nan),
    ("quantityOnHand", Int64(2**62)), ("quantityOnHand", Decimal128("5")),
    ("quantityOnHand", True), ("reorderPoint", -5), ("reorderPoint", 2.5),
    ("name", BIG), ("name", 42), ("name", ""), ("name", {"$ne": None}), ("name", ["a"]),
    ("sku", "S" * 500), ("sku", None), ("category", "SPACESHIP"), ("category", ["BRACKET"]),
    ("gtins", "00812345671018"), ("gtins", [1234]), ("gtins", ["9" * 500]),
    ("active", "yes"), ("active", 1), ("unitOfMeasure", "E" * 300),
]
LOT_POISONS = [
    ("unitCost", 2.5), ("unitCost", "-3"), ("quantityOnHand", "ten"), ("quantityOnHand", 1e300),
    ("lotNumber", 12345), ("lotNumber", "L" * 1000), ("status", "BURNT"),
    ("expirationDate", "2027-01-01"), ("expirationDate", 20270101), ("itemId", "abc"),
]
STAFF_POISONS = [("name", BIG), ("badge", 1001), ("role", "emperor"), ("pinHash", ["x"])]
PATIENT_POISONS = [("chartNumber", 10239), ("firstName", BIG), ("lastName", {"$x": 1})]


def restore(db, collection: str, good: dict) -> None:
    db[collection].replace_one({"_id": good["_id"]}, {**good, "rev": next_rev(db, CLINIC)})


def each_poison_is_skipped(demo, db, central, collection, target, read, poisons, neighbour,
                           fault_report):
    """Poison one field of ``target``'s document at a time (with a good change to another
    record after it); the pull skips and names it, keeps the local record, takes the good
    change; putting the document right again clears it."""
    good = db[collection].find_one({"_id": ObjectId(target.id)})
    for n, (field, value) in enumerate(poisons):
        case = f"{collection}.{field} = {str(value)[:40]!r}"
        poison(db, collection, target.id, {field: value})
        neighbour(f"Changed {n}")
        sentence = pull_reporting(demo, central)
        assert "skipped" in sentence and target.id in sentence, case
        assert len(sentence) < 1500, case
        assert read() == target, case
        assert [s.record_id for s in skipped_records(demo.context)] == [target.id], case
        restore(db, collection, good)
        assert pull_reporting(demo, central) == "", case
        assert read() == target and skipped_records(demo.context) == [], case
    tally(fault_report, variants=len(poisons), skipped_and_named=len(poisons),
          **{f"variants_{collection}": len(poisons)})


def test_every_poisoned_item_field_is_skipped_and_the_next_change_still_arrives(demo, db,
                                                                              fault_report):
    central = published(demo, db)
    bracket, wire = item(demo), item(demo, "WIR-TMA-1925-U")

    def neighbour(name: str) -> None:
        rename(db, "InventoryItem", wire.id, "name", name)

    each_poison_is_skipped(demo, db, central, "InventoryItem", bracket, lambda: item(demo),
                           ITEM_POISONS, neighbour, fault_report)
    assert item(demo, "WIR-TMA-1925-U").name == f"Changed {len(ITEM_POISONS) - 1}"


@pytest.mark.parametrize("collection, poisons", [
    ("InventoryLot", LOT_POISONS), ("Staff", STAFF_POISONS), ("Patient", PATIENT_POISONS)])
def test_poisoned_lots_staff_and_patients_are_skipped(demo, db, collection, poisons,
                                                      fault_report):
    central = published(demo, db)

    def read():
        with demo.context.store.read() as tx:
            return {"InventoryLot": lambda: tx.lot_by_number(item(demo).id, "B25E392"),
                    "Staff": lambda: tx.staff_by_badge("B1001"),
                    "Patient": lambda: tx.patient_by_chart("C-10239")}[collection]()

    wire = item(demo, "WIR-TMA-1925-U")
    each_poison_is_skipped(demo, db, central, collection, read(), read, poisons,
                           lambda name: rename(db, "InventoryItem", wire.id, "name", name),
                           fault_report)


def test_the_poison_catalogue_has_at_least_fifty_variants():
    """The count docs/RELIABILITY.md reports."""
    assert len(ITEM_POISONS) + len(LOT_POISONS) + len(STAFF_POISONS) + len(
        PATIENT_POISONS) + len(REV_POISONS) >= 50


REV_POISONS = [math.inf, Decimal128("1E+30"), Int64(2**63 - 1), -1.5, Int64(2**62), 2**53, 1e30,
               10**12]  # the last beyond the revision counter, below any fixed bound


@pytest.mark.parametrize("rev", REV_POISONS)
def test_an_unreadable_rev_never_parks_the_cursor(demo, db, rev, fault_report):
    central = published(demo, db)
    bracket, wire = item(demo), item(demo, "WIR-TMA-1925-U")
    db.InventoryItem.update_one({"_id": ObjectId(bracket.id)}, {"$set": {"rev": rev,
                                                                         "name": "Odd"}})
    rename(db, "InventoryItem", wire.id, "name", "Renamed wire")
    sentence = pull_reporting(demo, central)
    assert item(demo, "WIR-TMA-1925-U").name == "Renamed wire"
    assert item(demo).name == bracket.name
    if rev != -1.5:  # a negative rev is below every cursor: no pull ever reads it
        assert bracket.id in sentence  # skipped, counted and named for doctor
        assert bracket.id in [s.record_id for s in skipped_records(demo.context)]
    rename(db, "InventoryItem", wire.id, "name", "Renamed again")
    pull_reporting(demo, central)
    assert item(demo, "WIR-TMA-1925-U").name == "Renamed again"
    tally(fault_report, variants=1, variants_rev=1, cursor_moved_on=1)
