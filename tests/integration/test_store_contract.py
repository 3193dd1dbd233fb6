"""One contract, two stores: the fake the service tests use and the real SQLite store must
answer every case the same way, so a service test on the fake says something about SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kiosk.adapters.sqlite import initialize_store, open_store
from kiosk.domain.lockout import LockoutState
from kiosk.domain.model import (
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
from kiosk.services.ports import KioskIdentity, OutboxEvent, UsageFilter
from tests.unit.fake_store import FakeStore

CLINIC = "64b000000000000000000001"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
ID = "{:024x}".format


@pytest.fixture(params=["fake", "sqlite"])
def store(request, tmp_path):
    if request.param == "fake":
        yield FakeStore(KioskIdentity(ID(900), CLINIC, "chair-1"))
        return
    path = tmp_path / "kiosk.sqlite3"
    initialize_store(path, CLINIC, "chair-1")
    opened = open_store(path, create=True)
    yield opened
    opened.close()


def seed(tx) -> None:
    tx.save_vendor(Vendor(ID(1), "Ortho Supply Co"))
    tx.save_item(Item(ID(2), "BRK-1", "Bracket U1R", ApplianceType.BRACKET,
                      gtins=("00812345671018",), hibcc=("A123BRK1",), quantity_on_hand=10,
                      reorder_point=2,
                      offers=[VendorOffer(ID(1), "V-1", Decimal("2.5000"), True)]))
    tx.save_lot(Lot(ID(3), ID(2), "B25E392", quantity_on_hand=10, vendor_id=ID(1),
                    unit_cost=Decimal("2.4000")))
    tx.save_staff(Staff(ID(4), "Ana Assistant", Role.ASSISTANT, "B1001"))
    tx.save_patient(Patient(ID(5), "C-10239", "Ada", "Lovelace"))
    tx.save_appliance(ApplianceRecord(ID(6), ID(5), ApplianceType.BRACKET,
                                      ApplianceStatus.ORDERED, "plan-1"))


def usage(tx, n: int, quantity: int = 1) -> Usage:
    identity = tx.identity()
    return Usage(id=ID(100 + n), clinic_id=CLINIC, kiosk_id=identity.kiosk_id,
                 kiosk_seq=tx.next_kiosk_seq(), patient_id=ID(5),
                 appliance_type=ApplianceType.BRACKET, inventory_item_id=ID(2),
                 quantity=quantity, used_by=ID(4), usage_date=NOW + timedelta(minutes=n),
                 created_at=NOW, cost_category=CostCategory.BRACKET, lot_number="B25E392",
                 lot_id=ID(3), unit_cost=Decimal("2.4000"))


def event(u: Usage) -> OutboxEvent:
    return OutboxEvent(u.id, u.kiosk_seq, "USAGE", "{}", NOW)


def test_people_and_catalog_look_ups(store):
    with store.write() as tx:
        seed(tx)
    with store.read() as tx:
        assert tx.staff_by_badge("B1001").id == ID(4)
        assert tx.staff_by_badge("nobody") is None
        assert tx.staff_by_badge("b1001").id == ID(4)  # badges are typed in any case
        assert tx.patient_by_chart("C-10239").id == ID(5)
        assert [r.id for r in tx.appliances_for_patient(ID(5))] == [ID(6)]
        assert tx.vendor_by_name("ortho supply co").id == ID(1)
        assert tx.item_by_gtin("00812345671018").sku == "BRK-1"
        assert tx.item_by_hibcc("A123BRK1").sku == "BRK-1"
        assert tx.item_by_sku("BRK-1").offers[0].unit_cost == Decimal("2.5000")
        assert tx.lot_by_number(ID(2), "B25E392").unit_cost == Decimal("2.4000")
        assert [lot.id for lot in tx.lots_numbered("B25E392")] == [ID(3)]
        assert tx.lot_by_number(ID(2), "NOPE") is None


def test_names_for_many_ids_at_once(store):
    """What a report needs to label thousands of usages: item SKU and name, and patients, by
    id in one call each; unknown ids are simply absent."""
    with store.write() as tx:
        seed(tx)
        tx.save_patient(Patient(ID(7), "C-10240", "Grace", "Hopper"))
    with store.read() as tx:
        labels = tx.item_labels([ID(2), ID(99)])
        assert {k: (v.sku, v.name) for k, v in labels.items()} == {ID(2): ("BRK-1", "Bracket U1R")}
        found = tx.patients_by_ids([ID(5), ID(7), ID(98)])
        assert {k: p.chart_number for k, p in found.items()} == {ID(5): "C-10239",
                                                                 ID(7): "C-10240"}
        assert tx.patients_by_ids([]) == {} and tx.item_labels([]) == {}


def test_sign_in_lockouts_are_kept_by_key_until_cleared(store):
    first = LockoutState(ID(4), 1, NOW)
    locked = LockoutState(ID(4), 5, NOW, locked_until=NOW + timedelta(minutes=5))
    with store.write() as tx:
        assert tx.sign_in_lockout(ID(4)) is None
        tx.save_sign_in_lockout(first)
        tx.save_sign_in_lockout(LockoutState("badge:NOBODY", 2, NOW))
    with store.write() as tx:
        assert tx.sign_in_lockout(ID(4)) == first
        tx.save_sign_in_lockout(locked)
    with store.read() as tx:
        assert tx.sign_in_lockout(ID(4)) == locked
        assert tx.sign_in_lockout("badge:NOBODY").wrong == 2
    with store.write() as tx:
        tx.clear_sign_in_lockout(ID(4))
        tx.clear_sign_in_lockout("never-counted")
    with store.read() as tx:
        assert tx.sign_in_lockout(ID(4)) is None
        assert tx.sign_in_lockout("badge:NOBODY") is not None


def test_a_write_that_raises_leaves_nothing(store):
    with store.write() as tx:
        seed(tx)
    with pytest.raises(RuntimeError), store.write() as tx:
        tx.change_stock(ID(2), ID(3), -4)
        tx.add_usage(usage(tx, 1))
        raise RuntimeError("cut off")
    with store.read() as tx:
        assert tx.item(ID(2)).quantity_on_hand == 10
        assert tx.lot(ID(3)).quantity_on_hand == 10
        assert tx.usages() == []


def test_ledger_outbox_and_sequence(store):
    with store.write() as tx:
        seed(tx)
    with store.write() as tx:
        first, second = usage(tx, 1, 2), usage(tx, 2)
        for u in (first, second):
            tx.add_usage(u)
            tx.enqueue(event(u))
            tx.change_stock(ID(2), ID(3), -u.quantity)
        tx.add_void(UsageVoid(ID(200), CLINIC, tx.identity().kiosk_id, tx.next_kiosk_seq(),
                              second.id, ID(4), "Wrong item", NOW))
    assert second.kiosk_seq == first.kiosk_seq + 1
    with store.read() as tx:
        assert [u.id for u in tx.usages()] == [first.id, second.id]
        assert [u.id for u in tx.usages(UsageFilter(lot_number="B25E392"))] == [
            first.id, second.id]
        assert tx.voided_usage_ids() == {second.id}
        assert tx.void_for(second.id).reason == "Wrong item"
        assert tx.item(ID(2)).quantity_on_hand == 7 and tx.lot(ID(3)).quantity_on_hand == 7
        assert tx.pending_stock_deltas() == {(ID(2), ID(3)): -3}
        assert [e.event_id for e in tx.pending_events(10)] == [first.id, second.id]
    with store.write() as tx:
        tx.mark_acknowledged([first.id], NOW)
        tx.mark_quarantined([second.id], "payload differs")
    with store.read() as tx:
        counts = tx.outbox_counts()
        assert (counts.pending, counts.acknowledged, counts.quarantined) == (0, 1, 1)
        [stuck] = tx.unsynced_events(10)
        assert (stuck.event_id, stuck.state, stuck.last_error) == (
            second.id, "QUARANTINED", "payload differs")
        assert tx.pending_stock_deltas() == {}


def test_a_failed_attempt_keeps_the_event_first_in_the_queue(store):
    """No wall-clock hold (issue 14, item 4): a clock set back after a failure must not keep
    the failed event waiting while the events recorded after it go ahead."""
    with store.write() as tx:
        seed(tx)
        first, second = usage(tx, 1), usage(tx, 2)
        for u in (first, second):
            tx.add_usage(u)
            tx.enqueue(event(u))
    with store.write() as tx:
        tx.record_failure([first.id], "server down")
    with store.read() as tx:
        assert [e.event_id for e in tx.pending_events(10)] == [first.id, second.id]
        [failed, _] = tx.unsynced_events(10)
        assert (failed.event_id, failed.attempts, failed.last_error) == (
            first.id, 1, "server down")


def test_cursors_and_lot_status(store):
    with store.write() as tx:
        seed(tx)
        tx.set_sync_cursor("InventoryItem", "41")
        lot = tx.lot(ID(3))
        tx.save_lot(Lot(lot.id, lot.item_id, lot.lot_number, quantity_on_hand=lot.quantity_on_hand,
                        status=LotStatus.RECALLED, recall_notice="Z-1234-2026"))
    with store.read() as tx:
        assert tx.sync_cursor("InventoryItem") == "41"
        assert tx.sync_cursor("Staff") is None
        assert tx.lot(ID(3)).status is LotStatus.RECALLED
