"""`ensure_schema` against a real MongoDB wire server."""

from __future__ import annotations

from kiosk.adapters.mongo.client import connect, database, redact
from kiosk.adapters.mongo.schema import INDEXES, SCHEMA_VERSION, ensure_schema, missing_indexes


def test_schema_is_created_idempotently(central_uri):
    with connect(central_uri) as client:
        db = database(client)
        assert missing_indexes(db)
        created = ensure_schema(db)
        assert len(created) == sum(len(v) for v in INDEXES.values())
        assert ensure_schema(db) == [] and missing_indexes(db) == []
        assert db.SchemaInfo.find_one({"_id": "schema"})["version"] == SCHEMA_VERSION
        unique = db.ApplianceInventoryLink.index_information()["kioskId_kioskSeq"]
        assert unique.get("unique") is True


def test_credentials_never_appear_in_a_redacted_uri():
    assert redact("mongodb://kiosk:s3cret@db.example:27017/x") == "mongodb://***@db.example:27017/x"


def test_init_drops_the_receipts_clinic_index_earlier_versions_made(central_uri):
    """Nothing reads receipts by clinic alone; the index only slowed every push down."""
    with connect(central_uri) as client:
        db = database(client)
        ensure_schema(db)
        db.KioskEventReceipt.create_index("clinicId", name="clinicId")
        assert ensure_schema(db) == [] and missing_indexes(db) == []
        assert set(db.KioskEventReceipt.index_information()) == {"_id_", "kioskId_kioskSeq"}


def test_init_creates_the_recall_watch_indexes_that_keep_two_kiosks_from_both_alerting(
        central_uri):
    """A recall seen, an alert raised and the last run are unique per clinic; `central init`
    makes those indexes, so `kiosk doctor` sees them missing on a server never initialised."""
    with connect(central_uri) as client:
        db = database(client)
        ensure_schema(db)
        for collection, name in (("RecallWatch", "clinicId_recallId"),
                                 ("RecallAlert", "clinicId_recallNumber"),
                                 ("RecallWatchRun", "clinicId")):
            assert db[collection].index_information()[name].get("unique") is True
