"""Clinic-wide reads (issue 15): three kiosks of one clinic and a second clinic on one real
MongoDB wire server; every report, the cost sheet and lot tracking count each usage of the
clinic exactly once, before and after sync, and show nothing of the other clinic."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from bson import Decimal128, ObjectId
from test_central_pull import (
    CLINIC_B,
    catalog_of,
    central_for,
    deduct,
    new_kiosk,
    publish,
)

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.clinic_ledger import MongoClinicLedger
from kiosk.adapters.mongo.schema import ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services import reports
from kiosk.services.clinic_reads import CLINIC, THIS_KIOSK
from kiosk.services.corrections import void_usage
from kiosk.services.cost_sheet import cost_sheet
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.sync import SyncService
from kiosk.services.sync_ports import WorkstationStatus
from kiosk.services.sync_pull import pull_catalog

LOT = "B25E392"
PATIENT = "C-10239"


class Chair:
    """One kiosk of the demo clinic whose reports read the clinic's ledger at ``uri``."""

    def __init__(self, kiosk, db, uri: str) -> None:
        self.kiosk, self.db = kiosk, db
        self.central = central_for(kiosk, db)
        self.ledger = MongoClinicLedger(uri, DEMO_CLINIC_ID)
        self.ctx = replace(kiosk.context, ledger=self.ledger)

    def sync(self) -> None:
        report = SyncService(self.kiosk.context, self.central).run_once()
        assert report.remaining == 0 and not report.quarantined

    def usage_ids(self) -> list[str]:
        return [row["id"] for row in reports.usage_report(self.ctx, "B1003").rows]

    def lot_patients(self) -> list[tuple[str, int]]:
        report = reports.lot_tracking(self.ctx, "B1003", LOT)
        return sorted((row["chartNumber"], row["quantity"]) for row in report.rows)

    def costs(self) -> Decimal:
        [row] = reports.supply_costs(self.ctx, "B1003", PATIENT).rows
        return row["totalCost"]

    def close(self) -> None:
        self.kiosk.context.store.close()


@pytest.fixture
def chairs(tmp_path, central_uri):
    with connect(central_uri) as client:
        db = database(client)
        ensure_schema(db)
        first = open_demo_kiosk(tmp_path / "chair-1")
        publish(db, *catalog_of(first))
        kiosks = [first, new_kiosk(tmp_path, "chair-2"), new_kiosk(tmp_path, "chair-3")]
        made = [Chair(kiosk, db, central_uri) for kiosk in kiosks]
        for chair in made[1:]:
            pull_catalog(chair.kiosk.context, chair.central)
        other_clinic_uses(db)
        yield made
        for chair in made:
            chair.close()


def other_clinic_uses(db) -> None:
    """The second clinic's ledger: the same lot number, patient id and item id."""
    mine = db.ApplianceInventoryLink
    template = {"patientId": ObjectId("64b100000000000000000001"),
                "inventoryItemId": ObjectId("64b200000000000000000001"),
                "applianceType": "BRACKET", "lotNumber": LOT, "quantity": 7,
                "unitCost": Decimal128("99.00"), "usedBy": ObjectId("64b000000000000000000101"),
                "costCategory": "bracketCost", "treatmentPlanId": None}
    now = datetime.now(UTC)
    mine.insert_many([{**template, "clinicId": CLINIC_B, "kioskId": ObjectId(),
                       "kioskSeq": n, "usageDate": now - timedelta(hours=n),
                       "createdAt": now} for n in range(1, 4)])


def test_every_chair_of_the_clinic_counts_every_usage_once_before_and_after_sync(chairs):
    one, two, three = chairs
    recorded = [deduct(one.kiosk, LOT), deduct(one.kiosk, LOT, 2), deduct(two.kiosk, LOT),
                deduct(two.kiosk, LOT, 3), deduct(three.kiosk, LOT, 4)]
    one.sync()
    two.sync()  # chair 3 has not synced yet
    void_usage(two.kiosk.context, "B1001", recorded[3].id, "Wrong patient")  # not pushed yet

    everyone = {u.id for u in recorded}
    assert set(one.usage_ids()) == everyone - {recorded[4].id}  # chair 3's is still there
    assert len(one.usage_ids()) == len(set(one.usage_ids()))
    assert set(three.usage_ids()) == everyone  # chair 3 adds its own unpushed usage
    # chair 2's pending void nets its usage at chair 2, not yet anywhere else
    assert two.lot_patients() == [(PATIENT, 1), (PATIENT, 1), (PATIENT, 2)]
    assert one.lot_patients() == [(PATIENT, 1), (PATIENT, 1), (PATIENT, 2), (PATIENT, 3)]

    for chair in chairs:
        chair.sync()
    expected_lot = [(PATIENT, 1), (PATIENT, 1), (PATIENT, 2), (PATIENT, 4)]
    net = sum((u.line_cost for u in recorded if u.id != recorded[3].id), Decimal(0))
    for chair in chairs:
        assert sorted(chair.usage_ids()) == sorted(everyone)
        assert chair.lot_patients() == expected_lot
        assert chair.costs() == net
        sheet = cost_sheet(chair.ctx, "B1003", PATIENT)
        assert sheet.total == net and sheet.scope is not None
        assert sheet.scope.kind == CLINIC


def test_nothing_of_another_clinic_is_shown(chairs):
    one = chairs[0]
    deduct(one.kiosk, LOT)
    one.sync()
    rows = reports.lot_tracking(one.ctx, "B1003", LOT).rows
    assert [row["quantity"] for row in rows] == [1]
    assert all(row["quantity"] != 7 for row in reports.usage_report(one.ctx, "B1003").rows)


def test_a_workstation_with_queued_events_is_named_in_the_others_reports(chairs):
    one, _, three = chairs
    deduct(three.kiosk, LOT)
    with three.kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    three.central.heartbeat(WorkstationStatus(kiosk_id, "chair-3", "test", 12, 0,
                                              datetime.now(UTC) - timedelta(days=3), None))
    one.sync()
    report = reports.usage_report(one.ctx, "B1003")
    assert report.scope is not None and report.scope.kind == CLINIC
    [pending] = report.scope.pending
    assert (pending.workstation_id, pending.queued) == ("chair-3", 12)
    assert "chair-3 last synced 3 days ago with 12 events queued" in report.scope.sentence("UTC")
    assert report.scope.as_json()["pending"] == [pending.as_json()]


def test_heartbeats_are_remembered_for_twenty_seconds_and_read_again_after(chairs):
    """Reports a manager pages through reuse the clinic's heartbeats for 20 s (one read less
    per report); the usages themselves are read every time."""
    one, _, three = chairs
    clock = [1000.0]
    one.ctx = replace(one.ctx, ledger=MongoClinicLedger(one.ledger.uri, DEMO_CLINIC_ID,
                                                        clock=lambda: clock[0]))
    with three.kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    assert not reports.usage_report(one.ctx, "B1003").scope.pending
    recorded = deduct(three.kiosk, LOT)
    three.sync()
    three.central.heartbeat(WorkstationStatus(kiosk_id, "chair-3", "test", 5, 0,
                                              datetime.now(UTC), None))
    clock[0] += 19
    report = reports.usage_report(one.ctx, "B1003")
    assert not report.scope.pending and recorded.id in [r["id"] for r in report.rows]
    clock[0] += 2
    [pending] = reports.usage_report(one.ctx, "B1003").scope.pending
    assert (pending.workstation_id, pending.queued) == ("chair-3", 5)


def test_with_the_server_down_reports_answer_for_this_kiosk_within_the_budget(
        tmp_path, own_server):
    uri = own_server.uri.replace("/?", "/clinic_reads?")
    with connect(uri) as client:
        ensure_schema(database(client))
    kiosk = open_demo_kiosk(tmp_path / "alone")
    ctx = replace(kiosk.context, ledger=MongoClinicLedger(uri, DEMO_CLINIC_ID))
    used = deduct(kiosk, LOT)
    own_server.stop()
    began = time.monotonic()
    report = reports.lot_tracking(ctx, "B1003", LOT)
    assert time.monotonic() - began < 4.5  # the offline budget (3 s) with the test's slack
    assert report.scope is not None and report.scope.kind == THIS_KIOSK
    assert [row["quantity"] for row in report.rows] == [used.quantity]
    assert report.scope.sentence("UTC") == ("Central server unreachable: this kiosk's usages "
                                            "only.")
    kiosk.context.store.close()
