"""Recall lists of the whole clinic (issue 15 items 1 and 3): two kiosks of one clinic on one
real MongoDB wire server; a lot used at chair 2 is in the recall workbench and the recall
import's contact list at chair 1; with the server down both say that other chairs' patients
may be missing."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import replace

import pytest
from test_central_pull import BRACKET_U1R, catalog_of, deduct, new_kiosk, publish
from test_cli_central import kiosk_cli, sync
from test_clinic_reads import LOT, PATIENT, Chair, other_clinic_uses

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.clinic_ledger import MongoClinicLedger
from kiosk.adapters.mongo.schema import ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.clinic_reads import CLINIC, THIS_KIOSK
from kiosk.services.corrections import void_usage
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.recall_workbench import look_up_lot
from kiosk.services.recalls import MISSING_CHAIRS, contact_csv, import_recalls
from kiosk.services.sync_pull import pull_catalog

SKU = "BRK-MBT-U1R"
OTHER_PATIENT = "C-10252"
RECALL = json.dumps({"results": [{
    "recall_number": "Z-0101-2027", "product_code": "DYW",
    "product_description": "Metal twin bracket MBT 0.022 U1 right, UDI-DI 00812345671018",
    "code_info": f"Lot Numbers: {LOT}. Exp 2028-01.", "reason_for_recall": "Pad may detach."}]})


@pytest.fixture
def two_chairs(tmp_path, central_uri):
    with connect(central_uri) as client:
        db = database(client)
        ensure_schema(db)
        first = open_demo_kiosk(tmp_path / "chair-1")
        publish(db, *catalog_of(first))
        one, two = Chair(first, db, central_uri), Chair(new_kiosk(tmp_path, "chair-2"), db,
                                                        central_uri)
        pull_catalog(two.kiosk.context, two.central)
        other_clinic_uses(db)
        yield one, two
        one.close()
        two.close()


def place_at(chair: Chair, chart: str, quantity: int = 1):
    [usage] = deduct_for_appliance(chair.kiosk.context, "B1005", PlaceSupplies(
        patient=chart, appliance_type="BRACKET", scans=[BRACKET_U1R.format(LOT)],
        quantity=quantity))
    return usage


def charts(rows) -> list[tuple[str, int]]:
    return sorted((row["chartNumber"], row["quantity"]) for row in rows)


def test_a_lot_used_at_chair_2_is_in_the_recall_lists_at_chair_1(two_chairs):
    one, two = two_chairs
    place_at(one, OTHER_PATIENT)  # chair 1's own, not synced yet
    deduct(two.kiosk, LOT, 3)  # PATIENT at chair 2, synced
    two.sync()

    lookup = look_up_lot(one.ctx, "B1007", LOT)
    assert charts(lookup.patients.rows) == [(PATIENT, 3), (OTHER_PATIENT, 1)]
    assert lookup.patients.scope is not None and lookup.patients.scope.kind == CLINIC
    assert lookup.warning is None
    contacts = lookup.contacts(SKU)
    assert charts(contacts.rows) == [(PATIENT, 3), (OTHER_PATIENT, 1)]
    assert contacts.title == f"Recall contact list: lot {LOT} of {SKU}"

    [affected] = import_recalls(one.ctx, "B1007", RECALL)
    assert (affected.sku, affected.lot_number, affected.newly_recalled) == (SKU, LOT, True)
    assert charts(affected.contacts) == [(PATIENT, 3), (OTHER_PATIENT, 1)]
    assert affected.scope is not None and affected.scope.kind == CLINIC
    assert affected.warning is None
    header = next(csv.reader(io.StringIO(contact_csv(affected))))
    assert header[0] == "chartNumber"  # no warning line: the list is the clinic's


def test_a_void_recorded_at_chair_2_leaves_its_patient_off_chair_1s_contact_list(two_chairs):
    one, two = two_chairs
    mistake = deduct(two.kiosk, LOT, 2)
    deduct(two.kiosk, LOT)
    void_usage(two.kiosk.context, "B1001", mistake.id, "Wrong patient")
    two.sync()
    [affected] = import_recalls(one.ctx, "B1007", RECALL)
    assert charts(affected.contacts) == [(PATIENT, 1)]


def test_with_the_server_down_the_recall_lists_say_other_chairs_may_be_missing(
        tmp_path, own_server):
    uri = own_server.uri.replace("/?", "/recall_clinic?")
    with connect(uri) as client:
        ensure_schema(database(client))
    kiosk = open_demo_kiosk(tmp_path / "alone")
    ctx = replace(kiosk.context, ledger=MongoClinicLedger(uri, DEMO_CLINIC_ID))
    used = deduct(kiosk, LOT, 2)
    own_server.stop()

    began = time.monotonic()
    lookup = look_up_lot(ctx, "B1007", LOT)
    assert time.monotonic() - began < 4.5  # the offline budget (3 s) with the test's slack
    assert lookup.patients.scope is not None and lookup.patients.scope.kind == THIS_KIOSK
    assert [row["quantity"] for row in lookup.patients.rows] == [used.quantity]
    assert lookup.warning == MISSING_CHAIRS == (
        "Central server unreachable: only this kiosk's patients are listed; other chairs' "
        "patients may be missing.")
    contacts = lookup.contacts(SKU)
    assert contacts.title == (f"Recall contact list: lot {LOT} of {SKU} (this kiosk only: "
                              "other chairs' patients may be missing)")

    [affected] = import_recalls(ctx, "B1007", RECALL)
    assert affected.warning == MISSING_CHAIRS
    assert [c["quantity"] for c in affected.contacts] == [used.quantity]
    first, header, *_ = csv.reader(io.StringIO(contact_csv(affected)))
    assert first == [MISSING_CHAIRS] and header[0] == "chartNumber"
    kiosk.context.store.close()


def test_a_kiosk_without_a_server_lists_its_own_patients_without_a_warning(tmp_path):
    kiosk = open_demo_kiosk(tmp_path / "local")
    deduct(kiosk, LOT)
    lookup = look_up_lot(kiosk.context, "B1007", LOT)
    assert lookup.warning is None and len(lookup.patients.rows) == 1
    [affected] = import_recalls(kiosk.context, "B1007", RECALL)
    assert affected.warning is None and len(affected.contacts) == 1
    kiosk.context.store.close()


def test_recall_import_through_the_cli_lists_the_patient_of_the_other_chair(
        tmp_path, capsys, central_uri, demo_csvs):
    one = kiosk_cli(tmp_path, capsys, central_uri, "chair-1")
    one.ok("central", "init")
    for kind, path in demo_csvs.items():
        one.ok("import", kind, str(path))
    two = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")
    for chair in (one, two):
        assert sync(chair)["code"] == 0
    two.ok("deduct", "--actor", "B1001", "--patient", PATIENT, "--appliance-type", "BRACKET",
           "--scan", BRACKET_U1R.format(LOT), "--qty", "2")
    assert sync(two)["code"] == 0
    recall = tmp_path / "recall.json"
    recall.write_text(RECALL, encoding="utf-8")
    (tmp_path / "contacts").mkdir()
    out = one.ok("recall", "import", str(recall), "--actor", "B1007", "--out-dir",
                 str(tmp_path / "contacts"))
    assert "1 patient contact(s)" in out and "may be missing" not in out
    [written] = (tmp_path / "contacts").glob("*.csv")
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["chartNumber"], r["quantity"]) for r in rows] == [(PATIENT, "2")]
