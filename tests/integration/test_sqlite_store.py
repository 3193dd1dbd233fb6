"""The SQLite store against a real database file: pragmas, locking, round trips, atomicity."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.adapters.sqlite import SqliteStore, initialize_store, open_store
from kiosk.adapters.sqlite.store import SqliteTx
from kiosk.domain.errors import KioskError, NotFound, StoreUnavailable, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import (
    Adjustment,
    AdjustmentKind,
    ApplianceRecord,
    ApplianceStatus,
    ApplianceType,
    CostCategory,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Usage,
    UsageVoid,
    Vendor,
    VendorOffer,
)
from kiosk.domain.permissions import Role
from kiosk.services.ports import OutboxCounts, OutboxEvent, UsageFilter

CLINIC = "65a000000000000000000001"
EST = timezone(timedelta(hours=-5))
T0 = datetime(2024, 3, 1, 15, 30, 0, 123456, tzinfo=UTC)

VENDOR = Vendor(new_object_id(), "Örtho Supply Co")
VENDOR_2 = Vendor(new_object_id(), "Bracket Barn")
ITEM = Item(
    id=new_object_id(),
    sku="BRK-001",
    name="Roth bracket .022",
    category=ApplianceType.BRACKET,
    unit_of_measure="EACH",
    gtins=("00812345678905", "10812345678902"),
    hibcc=("A123BRK001",),
    reorder_point=10,
    reorder_quantity=50,
    quantity_on_hand=40,
    unit_cost=Decimal("12345.6789"),
    offers=[
        VendorOffer(VENDOR.id, "OS-1", Decimal("0.0850"), is_preferred=True),
        VendorOffer(VENDOR_2.id, "BB-9", Decimal("1.10")),
    ],
)
LOT = Lot(
    new_object_id(),
    ITEM.id,
    "LOT-42",
    date(2026, 1, 31),
    VENDOR.id,
    Decimal("0.0850"),
    25,
    LotStatus.RECALLED,
    "Recall 2024-17: adhesive defect",
)
STAFF = Staff(new_object_id(), "Dana Assistant", Role.ASSISTANT, "BADGE-7", "pbkdf2$x$y")
PATIENT = Patient(new_object_id(), "CH-1001", "Ana", "Lopez")
APPLIANCE = ApplianceRecord(
    new_object_id(),
    PATIENT.id,
    ApplianceType.BRACKET,
    ApplianceStatus.PLACED,
    "TP-9",
    datetime(2024, 3, 1, 10, tzinfo=EST),
)


def make_usage(kiosk_id: str, seq: int, when: datetime = T0, **changes: object) -> Usage:
    usage = Usage(
        id=new_object_id(),
        clinic_id=CLINIC,
        kiosk_id=kiosk_id,
        kiosk_seq=seq,
        patient_id=PATIENT.id,
        appliance_type=ApplianceType.BRACKET,
        inventory_item_id=ITEM.id,
        quantity=2,
        used_by=STAFF.id,
        usage_date=when,
        created_at=when,
        cost_category=CostCategory.BRACKET,
        appliance_record_id=APPLIANCE.id,
        treatment_plan_id="TP-9",
        lot_number=LOT.lot_number,
        lot_id=LOT.id,
        expiration_date=LOT.expiration_date,
        unit_cost=Decimal("0.0850"),
        notes="upper arch",
        override_reason=None,
    )
    return replace(usage, **changes)


def seed(tx: SqliteTx) -> None:
    for vendor in (VENDOR, VENDOR_2):
        tx.save_vendor(vendor)
    tx.save_item(ITEM)
    tx.save_lot(LOT)
    tx.save_staff(STAFF)
    tx.save_patient(PATIENT)
    tx.save_appliance(APPLIANCE)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    initialize_store(db_path, CLINIC, "op-1")
    with open_store(db_path, create=True) as opened:
        with opened.write() as tx:
            seed(tx)
        yield opened


def raw(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def test_pragmas_are_in_effect_on_a_fresh_connection(store: SqliteStore) -> None:
    store.close()  # drop pooled connections: the next one is new
    with store.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_a_write_transaction_holds_the_write_lock_from_its_begin(store: SqliteStore) -> None:
    other = raw(store.path, timeout=0.05)
    try:
        # Nothing written yet, but BEGIN IMMEDIATE already took the RESERVED lock.
        with store.write(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        with store.read() as tx:  # WAL: an open reader does not block a writer
            assert tx.item(ITEM.id) is not None
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_second_writer_gets_a_busy_sentence(store: SqliteStore) -> None:
    impatient = SqliteStore(store.path, busy_timeout_ms=50)
    try:
        with (
            store.write(),
            pytest.raises(StoreUnavailable, match="busy") as caught,
            impatient.write(),
        ):
            pass
        assert isinstance(caught.value.__cause__, Exception)
    finally:
        impatient.close()


def test_every_entity_round_trips_exactly(store: SqliteStore, db_path: Path) -> None:
    kiosk_id = new_object_id()
    usage = make_usage(kiosk_id, 1, override_reason="expired, approved by Dr. K")
    void = UsageVoid(
        new_object_id(),
        CLINIC,
        kiosk_id,
        2,
        usage.id,
        STAFF.id,
        "wrong patient",
        T0.astimezone(EST),
    )
    adjustment = Adjustment(
        new_object_id(),
        CLINIC,
        kiosk_id,
        3,
        AdjustmentKind.RECEIPT,
        ITEM.id,
        12,
        "box received",
        STAFF.id,
        T0,
        LOT.id,
        LOT.lot_number,
        Decimal("12345.6789"),
    )
    with store.write() as tx:
        tx.add_usage(usage)
        tx.add_void(void)
        tx.add_adjustment(adjustment)
    store.close()
    with open_store(db_path, create=True) as reopened, reopened.read() as tx:
        assert tx.vendor_by_id(VENDOR.id) == VENDOR
        assert tx.vendor_by_name("örtho SUPPLY co") == VENDOR
        item = tx.item(ITEM.id)
        assert item == ITEM
        assert item is not None and item.offers[0].unit_cost == Decimal("0.0850")
        assert isinstance(item.unit_cost, Decimal) and str(item.unit_cost) == "12345.6789"
        assert tx.item_by_sku("BRK-001") == ITEM
        assert tx.item_by_gtin("10812345678902") == ITEM
        assert tx.item_by_hibcc("A123BRK001") == ITEM
        assert tx.all_items() == [ITEM]
        assert tx.lot(LOT.id) == LOT
        assert tx.lot_by_number(ITEM.id, "LOT-42") == LOT
        assert tx.lots_for_item(ITEM.id) == [LOT] == tx.lots_numbered("LOT-42")
        assert tx.staff_by_id(STAFF.id) == STAFF == tx.staff_by_badge("BADGE-7")
        assert tx.all_staff() == [STAFF]
        assert tx.patient_by_id(PATIENT.id) == PATIENT == tx.patient_by_chart("CH-1001")
        assert tx.all_patients() == [PATIENT]
        record = tx.appliance(APPLIANCE.id)
        assert record == APPLIANCE and tx.appliances_for_patient(PATIENT.id) == [APPLIANCE]
        assert record is not None and record.placed_at is not None
        assert record.placed_at.tzinfo is UTC and record.placed_at.hour == 15
        got = tx.usage(usage.id)
        assert got == usage and tx.usages() == [usage]
        assert got is not None and got.usage_date.tzinfo is UTC
        assert got.unit_cost == Decimal("0.0850") and str(got.unit_cost) == "0.0850"
        assert tx.void_for(usage.id) == void and tx.voided_usage_ids() == {usage.id}
        assert tx.adjustments() == [adjustment]
        assert tx.vendor_by_name("nobody") is None and tx.item_by_gtin("0") is None
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute(
            "SELECT typeof(unit_cost), unit_cost FROM vendor_offers ORDER BY position"
        ).fetchall()
    conn.close()
    assert stored == [("text", "0.0850"), ("text", "1.10")]


def test_save_item_replaces_its_offers_and_barcodes(store: SqliteStore) -> None:
    changed = replace(
        ITEM,
        name="Roth bracket .018",
        gtins=("00812345678912",),
        hibcc=(),
        offers=[VendorOffer(VENDOR_2.id, "BB-10", Decimal("0.99"), True)],
    )
    with store.write() as tx:
        tx.save_item(changed)
    with store.read() as tx:
        assert tx.item(ITEM.id) == changed
        assert tx.item_by_gtin("00812345678905") is None
        assert tx.item_by_hibcc("A123BRK001") is None
        assert tx.item_by_gtin("00812345678912") == changed


def test_a_barcode_is_never_moved_silently_to_another_item(store: SqliteStore) -> None:
    thief = Item(
        new_object_id(),
        "BRK-002",
        "Other bracket",
        ApplianceType.BRACKET,
        gtins=("00812345678905",),
    )
    clash = "00812345678905 already belongs to item BRK-001"
    with pytest.raises(ValidationError, match=clash), store.write() as tx:
        tx.save_item(thief)
    with store.read() as tx:
        assert tx.item_by_gtin("00812345678905") == ITEM


def test_saves_are_upserts_by_id_and_unique_keys_are_enforced(store: SqliteStore) -> None:
    with store.write() as tx:
        tx.save_staff(replace(STAFF, name="Dana R."))
        tx.save_lot(replace(LOT, status=LotStatus.ACTIVE, recall_notice=None))
    with store.read() as tx:
        assert [s.name for s in tx.all_staff()] == ["Dana R."]
        assert tx.lot(LOT.id) == replace(LOT, status=LotStatus.ACTIVE, recall_notice=None)
    impostor = Staff(new_object_id(), "Sam", Role.ORTHODONTIST, "BADGE-7")
    with pytest.raises(ValidationError, match="badge") as caught, store.write() as tx:
        tx.save_staff(impostor)
    assert isinstance(caught.value.__cause__, Exception)
    with pytest.raises(ValidationError, match="chart number"), store.write() as tx:
        tx.save_patient(Patient(new_object_id(), "CH-1001", "Ben", "Ng"))


def test_change_stock_is_relative_and_refuses_unknown_rows(store: SqliteStore) -> None:
    with store.write() as tx:
        tx.change_stock(ITEM.id, LOT.id, -3)
        tx.change_stock(ITEM.id, None, 5)
        assert tx.item(ITEM.id).quantity_on_hand == 42  # type: ignore[union-attr]
    with store.write() as tx:
        with pytest.raises(NotFound, match="lot"):
            tx.change_stock(ITEM.id, new_object_id(), -1)
        with pytest.raises(NotFound, match="item"):
            tx.change_stock(new_object_id(), None, -1)
    with store.read() as tx:
        assert tx.item(ITEM.id).quantity_on_hand == 42  # type: ignore[union-attr]
        assert tx.lot(LOT.id).quantity_on_hand == 22  # type: ignore[union-attr]


def test_a_failing_write_block_leaves_nothing_behind(store: SqliteStore) -> None:
    with store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    with pytest.raises(RuntimeError, match="printer on fire"), store.write() as tx:
        seq = tx.next_kiosk_seq()
        usage = make_usage(kiosk_id, seq)
        tx.add_usage(usage)
        tx.enqueue(OutboxEvent(usage.id, seq, "UsageRecorded", "{}", T0))
        tx.change_stock(ITEM.id, LOT.id, -2)
        raise RuntimeError("printer on fire")
    with store.write() as tx:
        assert tx.usages() == [] and tx.usage(usage.id) is None
        assert tx.outbox_counts() == OutboxCounts(0, 0, 0)
        assert tx.item(ITEM.id).quantity_on_hand == ITEM.quantity_on_hand  # type: ignore[union-attr]
        assert tx.lot(LOT.id).quantity_on_hand == LOT.quantity_on_hand  # type: ignore[union-attr]
        assert tx.next_kiosk_seq() == seq  # the failed transaction's number was not used up


def test_kiosk_seq_increases_across_transactions_threads_and_reopen(
    store: SqliteStore, db_path: Path
) -> None:
    seen: list[int] = []
    for _ in range(3):
        with store.write() as tx:
            seen.append(tx.next_kiosk_seq())
    assert seen == [1, 2, 3]

    def reserve(out: list[int]) -> None:
        for _ in range(20):
            with store.write() as tx:
                out.append(tx.next_kiosk_seq())

    results: list[list[int]] = [[] for _ in range(4)]
    threads = [threading.Thread(target=reserve, args=(r,)) for r in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(n for r in results for n in r) == list(range(4, 84))
    assert all(r == sorted(r) for r in results)
    store.close()
    with open_store(db_path, create=True) as reopened, reopened.write() as tx:
        assert tx.next_kiosk_seq() == 84


def test_usage_filters_run_on_inclusive_utc_dates(store: SqliteStore) -> None:
    with store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    other_item = Item(new_object_id(), "WIRE-1", "NiTi .014", ApplianceType.WIRE)
    late = make_usage(kiosk_id, 1, datetime(2024, 3, 1, 23, 59, 59, 999999, tzinfo=UTC))
    # 20:00 in New York on 1 March is 01:00 UTC on 2 March.
    evening = make_usage(
        kiosk_id,
        2,
        datetime(2024, 3, 1, 20, tzinfo=EST),
        lot_number="L2",
        lot_id=None,
        appliance_type=ApplianceType.WIRE,
        cost_category=CostCategory.WIRE,
        inventory_item_id=other_item.id,
    )
    early = make_usage(kiosk_id, 3, datetime(2024, 3, 1, 0, 0, tzinfo=UTC))
    with store.write() as tx:
        tx.save_item(other_item)
        for usage in (late, evening, early):
            tx.add_usage(usage)
    march_1 = date(2024, 3, 1)
    with store.read() as tx:
        assert tx.usages() == [early, late, evening]
        assert tx.usages(UsageFilter(from_date=march_1, to_date=march_1)) == [early, late]
        assert tx.usages(UsageFilter(from_date=date(2024, 3, 2))) == [evening]
        assert tx.usages(UsageFilter(to_date=date(2024, 2, 29))) == []
        assert tx.usages(UsageFilter(to_date=date.max)) == [early, late, evening]
        assert tx.usages(UsageFilter(appliance_type=ApplianceType.WIRE)) == [evening]
        assert tx.usages(UsageFilter(lot_number="LOT-42", used_by=STAFF.id)) == [early, late]
        assert tx.usages(UsageFilter(item_id=other_item.id, patient_id=PATIENT.id)) == [evening]
        assert tx.usages(UsageFilter(patient_id=new_object_id())) == []


def test_voids_are_one_per_usage(store: SqliteStore) -> None:
    with store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    usage = make_usage(kiosk_id, 1)
    first = UsageVoid(new_object_id(), CLINIC, kiosk_id, 2, usage.id, STAFF.id, "dropped", T0)
    with store.write() as tx:
        tx.add_usage(usage)
        tx.add_void(first)
    with pytest.raises(ValidationError, match="usage id"), store.write() as tx:
        tx.add_void(replace(first, id=new_object_id(), kiosk_seq=3))
    with store.read() as tx:
        assert tx.void_for(usage.id) == first and tx.voided_usage_ids() == {usage.id}


def test_outbox_counts_by_state_and_the_sync_helpers(store: SqliteStore) -> None:
    events = [
        OutboxEvent(new_object_id(), n, "UsageRecorded", f'{{"n": {n}}}', T0) for n in (1, 2, 3)
    ]
    with store.write() as tx:
        for ev in events:
            tx.enqueue(ev)
        assert tx.outbox_counts() == OutboxCounts(pending=3, acknowledged=0, quarantined=0)
        assert tx.pending_events(10) == events
        tx.mark_acknowledged([events[0].event_id], T0)
        tx.mark_quarantined([events[1].event_id], "payload differs from the server's")
        tx.record_failure([events[2].event_id], "timeout")
        tx.set_sync_cursor("catalog", "rev:41")
        tx.set_sync_cursor("catalog", "rev:42")
    with store.read() as tx:
        assert tx.outbox_counts() == OutboxCounts(pending=1, acknowledged=1, quarantined=1)
        assert tx.pending_events(10) == [events[2]]  # a failure holds nothing back
        assert tx.sync_cursor("catalog") == "rev:42" and tx.sync_cursor("staff") is None
    with pytest.raises(ValidationError, match="kiosk seq"), store.write() as tx:
        tx.enqueue(replace(events[0], event_id=new_object_id()))


def test_a_read_transaction_refuses_writes(store: SqliteStore) -> None:
    with store.read() as tx:
        with pytest.raises(StoreUnavailable, match="read-only transaction"):
            tx.save_vendor(Vendor(new_object_id(), "Nope"))
        with pytest.raises(StoreUnavailable, match="read-only transaction"):
            tx.next_kiosk_seq()


def test_bad_references_and_naive_times_are_kiosk_errors(store: SqliteStore) -> None:
    with store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    with pytest.raises(NotFound, match="record this kiosk does not have"), store.write() as tx:
        tx.add_usage(make_usage(kiosk_id, 1, patient_id=new_object_id()))
    with pytest.raises(ValidationError, match="naive"), store.write() as tx:
        tx.add_usage(make_usage(kiosk_id, 1, usage_date=datetime(2024, 3, 1, 12)))
    with store.read() as tx:
        assert tx.usages() == []


def test_a_full_disk_is_a_store_unavailable_sentence(store: SqliteStore) -> None:
    store.close()

    @event.listens_for(store.engine, "connect")
    def _cap_file_size(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    with store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    with pytest.raises(StoreUnavailable, match="is full") as caught, store.write() as tx:
        tx.add_usage(make_usage(kiosk_id, 1, notes="x" * 200_000))
    assert str(caught.value).count("\n") == 0
    assert isinstance(caught.value.__cause__, Exception)
    with store.read() as tx:
        assert tx.usages() == []


def test_identity_is_required_and_initialisation_is_idempotent(db_path: Path) -> None:
    with open_store(db_path, create=True) as fresh, fresh.write() as tx:
        message = "This kiosk is not initialised; run `kiosk init`."
        with pytest.raises(StoreUnavailable) as caught:
            tx.identity()
        assert str(caught.value) == message
        with pytest.raises(StoreUnavailable, match="not initialised"):
            tx.next_kiosk_seq()
    first = initialize_store(db_path, CLINIC, "op-1")
    with open_store(db_path, create=True) as opened, opened.write() as tx:
        assert tx.identity() == first and tx.next_kiosk_seq() == 1
    again = initialize_store(db_path, CLINIC, "op-1-renamed")
    assert again == replace(first, workstation_id="op-1-renamed")
    with open_store(db_path, create=True) as opened, opened.write() as tx:
        assert tx.identity() == again and tx.next_kiosk_seq() == 2
    with pytest.raises(StoreUnavailable, match="belongs to clinic") as refused:
        initialize_store(db_path, "65a0000000000000000000ff", "op-1")
    assert isinstance(refused.value, KioskError)
    with pytest.raises(ValidationError):
        initialize_store(db_path, " ", "op-1")
