"""Central collections and their indexes; `kiosk central init` applies them idempotently.

Names and fields follow the seed's Prisma models (camelCase, ObjectId ids, Decimal128 money).
Every document carries ``clinicId`` and every query filters by it.
"""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel
from pymongo.database import Database

from kiosk.domain.errors import CentralRefused

SCHEMA_VERSION = 1

LINK = "ApplianceInventoryLink"
SUMMARY = "SupplyCostSummary"
ITEM = "InventoryItem"
LOT = "InventoryLot"
ADJUSTMENT = "InventoryAdjustment"
VENDOR = "Vendor"
STAFF = "Staff"
PATIENT = "Patient"
APPLIANCE = "ApplianceRecord"
WORKSTATION = "Workstation"
RECEIPT = "KioskEventReceipt"  # one per applied kiosk event: its payload hash, for replays
COUNTER = "Counter"  # the clinic's catalog revision counter
SCHEMA_INFO = "SchemaInfo"
SESSION_CLAIM = "SessionClaim"  # the sessions of running imports (claimed_sessions.py)
FOLLOW_UP = "RecallFollowUp"  # a recall's follow-up with one patient (follow_ups.py)
RECALL_SEEN = "RecallWatch"  # the recalls the clinic's watch has applied (recall_watch.py)
RECALL_ALERT = "RecallAlert"  # a recall that marked lots, until acknowledged
RECALL_RUN = "RecallWatchRun"  # the clinic's last watch run


def _ix(*keys: str, unique: bool = False, sparse: bool = False) -> IndexModel:
    spec = [(key, ASCENDING) for key in keys]
    options = {"unique": True} if unique else {}
    if sparse:  # documents written by other systems carry no kiosk sequence
        options["sparse"] = True
    return IndexModel(spec, name="_".join(keys), **options)


INDEXES: dict[str, list[IndexModel]] = {
    # the seed's @@index lines, plus the kiosk's unique sequence
    LINK: [_ix("clinicId"), _ix("applianceRecordId"), _ix("inventoryItemId"), _ix("patientId"),
           _ix("lotNumber"), _ix("kioskId", "kioskSeq", unique=True, sparse=True),
           _ix("clinicId", "lotNumber", "usageDate"), _ix("clinicId", "usageDate"),
           _ix("clinicId", "patientId", "usageDate")],
    SUMMARY: [_ix("clinicId"), _ix("patientId"), _ix("treatmentPlanId"),
              _ix("clinicId", "patientId", "treatmentPlanId", unique=True)],
    ITEM: [_ix("clinicId", "sku", unique=True), _ix("clinicId", "rev"), _ix("clinicId", "gtins"),
           _ix("clinicId", "hibcc")],
    LOT: [_ix("clinicId", "itemId", "lotNumber", unique=True), _ix("clinicId", "rev"),
          _ix("clinicId", "lotNumber")],
    ADJUSTMENT: [_ix("clinicId"), _ix("inventoryItemId"),
                 _ix("kioskId", "kioskSeq", unique=True, sparse=True)],
    VENDOR: [_ix("clinicId", "rev"), _ix("clinicId", "name")],
    STAFF: [_ix("clinicId", "rev"), _ix("clinicId", "badge", unique=True)],
    PATIENT: [_ix("clinicId", "rev"), _ix("clinicId", "chartNumber", unique=True)],
    APPLIANCE: [_ix("clinicId", "rev"), _ix("clinicId", "patientId")],
    WORKSTATION: [_ix("clinicId")],
    # receipts are read by _id (with clinicId) only; the unique sequence guards each kiosk's
    # numbering across event types (a void has no other document carrying its sequence)
    RECEIPT: [_ix("kioskId", "kioskSeq", unique=True)],
    FOLLOW_UP: [_ix("clinicId", "recallNumber", "itemId", "lotNumber", "patientId",
                    unique=True)],
    # two kiosks of a clinic never both apply or alert one recall
    RECALL_SEEN: [_ix("clinicId", "recallId", unique=True)],
    RECALL_ALERT: [_ix("clinicId", "recallNumber", unique=True)],
    RECALL_RUN: [_ix("clinicId", unique=True)],
}

# Indexes earlier versions created and nothing reads: each one only slows every push down,
# so `kiosk central init` drops them.
OBSOLETE_INDEXES: dict[str, list[str]] = {RECEIPT: ["clinicId"]}


def ensure_schema(db: Database) -> list[str]:
    """Create every collection and index that is missing; returns the index names created."""
    existing = set(db.list_collection_names())
    created: list[str] = []
    for name, indexes in INDEXES.items():
        if name not in existing:
            db.create_collection(name)
        have = set(db[name].index_information())
        missing = [ix for ix in indexes if ix.document["name"] not in have]
        if missing:
            created += db[name].create_indexes(missing)
        for obsolete in set(OBSOLETE_INDEXES.get(name, [])) & have:
            db[name].drop_index(obsolete)
    for name in (COUNTER, SCHEMA_INFO, SESSION_CLAIM):
        if name not in existing:
            db.create_collection(name)
    db[SCHEMA_INFO].update_one({"_id": "schema"}, {"$max": {"version": SCHEMA_VERSION}},
                               upsert=True)
    return created


def missing_indexes(db: Database) -> list[str]:
    """Index names the schema needs that the server lacks (for `kiosk doctor`)."""
    missing = []
    for name, indexes in INDEXES.items():
        have = set(db[name].index_information())
        missing += [f"{name}.{ix.document['name']}" for ix in indexes
                    if ix.document["name"] not in have]
    return missing


def require_schema(db: Database) -> int:
    """The central schema version, or ``CentralRefused`` in one sentence: a database without
    the kiosk schema (a typo in the URI's database name: writing there would mark the queue
    synced into nowhere), a newer schema than this kiosk knows, or an unreadable version."""
    info = db[SCHEMA_INFO].find_one({"_id": "schema"})
    if info is None:
        raise CentralRefused(
            f"The central server has no kiosk schema in database {db.name}; check the "
            "database name in the URI or run `kiosk central init`.")
    version = info.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CentralRefused(
            f"The central database {db.name} has a schema version that is not a number "
            f"({str(version)[:20]!r}); run `kiosk central init` or ask IT to fix SchemaInfo.")
    if version > SCHEMA_VERSION:
        raise CentralRefused(
            f"The central database {db.name} has schema version {version}, newer than this "
            f"kiosk's {SCHEMA_VERSION}; update the kiosk software.")
    return version
