"""The recall workbench over the clinic's ledger (issue 15 items 1 and 3): a lot another chair
used shows among the patients; with the central server unreachable the screen and the recall
import say that other chairs' patients may be missing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from bson import Decimal128, ObjectId
from layout_checks import label_problems
from mongo_server import free_port
from pymongo import MongoClient
from ui_helpers import WAIT_MS, back_office, click, gs1, open_window

from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.clinic_ledger import MongoClinicLedger
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.recalls import MISSING_CHAIRS

SKU, LOT = "BRK-MBT-U1R", "B25E392"
EMMA = "64b200000000000000000001"  # C-10231, a patient seen only at chair 2
RECALL = {"results": [{
    "recall_number": "Z-0101-2027", "product_code": "DYW",
    "product_description": "Metal twin bracket MBT 0.022 U1 right, UDI-DI 00812345671018",
    "code_info": f"Lot Numbers: {LOT}. Exp 2028-01.", "reason_for_recall": "Pad may detach.",
}]}


def place_here(kiosk, chart: str = "C-10239") -> None:
    deduct_for_appliance(kiosk.context, "B1001", PlaceSupplies(chart, "BRACKET",
                                                               [gs1(SKU, LOT)], 1))


def with_ledger(kiosk, uri: str):
    return replace(kiosk, context=replace(kiosk.context,
                                          ledger=MongoClinicLedger(uri, DEMO_CLINIC_ID)))


def used_at_chair_2(uri: str, kiosk) -> None:
    """Chair 2's synced usage of the lot, as its push left it in ApplianceInventoryLink."""
    with kiosk.context.store.read() as tx:
        item_id = tx.item_by_sku(SKU).id
    now = datetime.now(UTC)
    with MongoClient(uri) as client:
        client.get_default_database().ApplianceInventoryLink.insert_one({
            "clinicId": ObjectId(DEMO_CLINIC_ID), "kioskId": ObjectId(), "kioskSeq": 1,
            "patientId": ObjectId(EMMA), "applianceType": "BRACKET",
            "inventoryItemId": ObjectId(item_id), "quantity": 2, "lotNumber": LOT,
            "unitCost": Decimal128("3.36"), "usedBy": ObjectId("64b100000000000000000002"),
            "usageDate": now - timedelta(hours=1), "createdAt": now,
            "costCategory": "bracketCost", "treatmentPlanId": None})


@pytest.fixture
def clinic_window(qtbot, kiosk, central_uri):
    init_central(central_uri)
    place_here(kiosk)
    used_at_chair_2(central_uri, kiosk)
    yield from open_window(qtbot, with_ledger(kiosk, central_uri))


@pytest.fixture
def unreachable_window(qtbot, kiosk):
    place_here(kiosk)
    dead = f"mongodb://127.0.0.1:{free_port()}/recalls?directConnection=true"
    yield from open_window(qtbot, with_ledger(kiosk, dead))


def looked_up(qtbot, window):
    section = back_office(qtbot, window, "inventory_manager", "recalls")
    window.on_scanned(gs1(SKU, LOT))
    qtbot.waitUntil(lambda: section.lookup is not None, timeout=WAIT_MS)
    return section


def charts(section) -> list[str]:
    table = section.table
    return sorted(table.cell_text(r, "chartNumber") for r in range(table.rowCount()))


def test_the_lot_used_at_another_chair_is_among_the_patients(qtbot, clinic_window):
    section = looked_up(qtbot, clinic_window)
    assert charts(section) == ["C-10231", "C-10239"]
    assert section.message.text() == f"Lot {LOT}: 2 patient(s) received it."
    assert section.message.property("tone") == "ok"
    assert not section.scope_warning.isVisible()


def test_an_unreachable_server_is_said_on_the_screen_and_on_the_contact_list(
        qtbot, unreachable_window, tmp_path):
    section = looked_up(qtbot, unreachable_window)
    assert charts(section) == ["C-10239"]
    assert section.scope_warning.isVisible()
    assert section.scope_warning.text() == MISSING_CHAIRS
    assert section.scope_warning.property("tone") == "warn"
    assert section.message.property("tone") == "warn"
    assert not label_problems(section.scope_warning)  # the whole sentence shows
    assert section.lookup.contacts(SKU).title.endswith(
        "(this kiosk only: other chairs' patients may be missing)")

    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps(RECALL), encoding="utf-8")
    section.importer.path_field.setText(str(recall))
    click(qtbot, section.importer.import_button)
    qtbot.waitUntil(lambda: "Marked RECALLED" in section.message.text(), timeout=WAIT_MS)
    assert section.message.text().endswith(f"1 patient(s) to contact. {MISSING_CHAIRS}")
    assert section.message.property("tone") == "warn"

    click(qtbot, unreachable_window.back_office.sign_out_button)
    assert not section.scope_warning.isVisible() and section.scope_warning.text() == ""
