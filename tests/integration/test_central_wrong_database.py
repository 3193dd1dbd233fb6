"""Sync refuses a server without the kiosk schema (a typo in the URI's database name) or with
a newer or unreadable one: nothing is pushed there and nothing is marked synced (issue 14,
item 3)."""

from __future__ import annotations

import pytest
from bson import ObjectId
from pymongo import MongoClient
from test_cli_central import kiosk_cli

from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.schema import SCHEMA_INFO, SCHEMA_VERSION, ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.sync import SyncService

SCAN = "(01)00812345671018(10)B25E392"


@pytest.fixture
def queued(tmp_path):
    kiosk = open_demo_kiosk(tmp_path / "demo")
    deduct_for_appliance(kiosk.context, "B1001", PlaceSupplies(
        patient="C-10239", appliance_type="BRACKET", scans=[SCAN]))
    yield kiosk
    kiosk.context.store.close()


def sync_once(kiosk, uri):
    with kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    central = MongoCentral.from_uri(uri, DEMO_CLINIC_ID, kiosk_id)
    try:
        return SyncService(kiosk.context, central).run_once()
    finally:
        central.close()


def pending(kiosk) -> int:
    with kiosk.context.store.read() as tx:
        return tx.outbox_counts().pending


def test_a_database_without_the_kiosk_schema_is_refused_and_nothing_is_pushed(queued,
                                                                              central_uri):
    report = sync_once(queued, central_uri)  # a fresh, empty database: a typo in the URI
    assert report.pushed == 0 and pending(queued) == 1
    assert "no kiosk schema" in report.error and "database name" in report.error
    with MongoClient(central_uri) as client:
        assert "ApplianceInventoryLink" not in database(client).list_collection_names()


@pytest.mark.parametrize("version, words", [(SCHEMA_VERSION + 1, "newer"),
                                            ("abc", "not a number"), (None, "not a number")])
def test_a_newer_or_unreadable_schema_stops_sync_with_one_sentence(queued, central_uri,
                                                                   version, words):
    with connect(central_uri) as client:
        db = database(client)
        ensure_schema(db)
        db[SCHEMA_INFO].update_one({"_id": "schema"}, {"$set": {"version": version}})
        before = db.ApplianceInventoryLink.count_documents({"clinicId": ObjectId(DEMO_CLINIC_ID)})
    report = sync_once(queued, central_uri)
    assert report.pushed == 0 and pending(queued) == 1
    assert words in report.error
    with connect(central_uri) as client:
        assert database(client).ApplianceInventoryLink.count_documents(
            {"clinicId": ObjectId(DEMO_CLINIC_ID)}) == before


def test_the_right_database_still_syncs(queued, central_uri):
    with connect(central_uri) as client:
        ensure_schema(database(client))
    report = sync_once(queued, central_uri)
    assert report.pushed == 1 and pending(queued) == 0 and report.error is None


@pytest.mark.parametrize("version", ["missing", SCHEMA_VERSION + 1, SCHEMA_VERSION + 40, "abc",
                                     SCHEMA_VERSION])
def test_sync_and_import_take_the_same_schemas(tmp_path, capsys, central_uri, demo_csvs,
                                               version):
    """Issue 14, item 11: sync once accepted a newer central schema that import refused; both
    now ask ``require_schema``, so they refuse with the same sentence or both go ahead."""
    if version != "missing":
        with connect(central_uri) as client:
            db = database(client)
            ensure_schema(db)
            db[SCHEMA_INFO].update_one({"_id": "schema"}, {"$set": {"version": version}})
    cli = kiosk_cli(tmp_path, capsys, central_uri)

    imported = cli("import", "items", str(demo_csvs["items"]))
    synced = cli("sync", "--once")

    if version == SCHEMA_VERSION:
        assert (imported.code, synced.code) == (0, 0), (imported.err, synced.err)
        return
    assert (imported.code, synced.code) == (1, 1)
    assert imported.err == synced.err and imported.err.count("\n") == 1, (imported, synced)
    words = "no kiosk schema" if version == "missing" else (
        "not a number" if version == "abc" else "newer than this kiosk's")
    assert words in synced.err
