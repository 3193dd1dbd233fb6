"""The recall workbench's lookup: which lot a scan or typed text means, the catalog lots with
that number, who received them, and the contact list of one lot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from clinic_data import ID, TODAY, gs1

from kiosk.domain.errors import NotFound, PermissionDenied, ValidationError
from kiosk.domain.model import Lot, LotStatus
from kiosk.services.corrections import void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.recall_workbench import look_up_lot, read_lot, with_contact_columns


@pytest.fixture
def shared(clinic):
    """Lot number BR-B exists for the bracket and (by another maker) for the wire."""
    with clinic.store.write() as tx:
        tx.save_lot(Lot(ID(68), ID(52), "BR-B", TODAY + timedelta(days=500), None, None, 5))
        tx.change_stock(ID(52), None, 5)

    def place(patient, kind, scan, qty=1, actor="B1"):
        return deduct_for_appliance(clinic.ctx, actor, PlaceSupplies(patient, kind, [scan],
                                                                     qty))[0]
    place("C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 2)
    place("C-2", "WIRE", gs1(clinic.gtin_wire, "BR-B"), actor="B2")
    wrong = place("C-2", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"))
    void_usage(clinic.ctx, "B1", wrong.id, "wrong patient")
    return clinic


def test_read_lot_from_a_scan_or_typed_text(clinic):
    with clinic.store.read() as tx:
        assert read_lot(tx, gs1(clinic.gtin_bracket, "BR-A")) == ("BR-A", "BRK-U1")
        assert read_lot(tx, "  BR-A ") == ("BR-A", None)
        for text, words in (("", "Scan the lot label"), (gs1(clinic.gtin_bracket), "no lot"),
                            ("STAFF-B1", "staff or patient"), ("BR A", "one word")):
            with pytest.raises(ValidationError, match=words):
                read_lot(tx, text)


def test_a_typed_number_shows_every_lot_and_patient_with_it(shared):
    lookup = look_up_lot(shared.ctx, "B3", "BR-B")
    assert [(lot.sku, lot.status) for lot in lookup.lots] == [
        ("BRK-U1", LotStatus.ACTIVE), ("WIR-014", LotStatus.ACTIVE)]
    rows = {(r["chartNumber"], r["sku"], r["usedBy"], r["applianceType"])
            for r in lookup.patients.rows}
    assert rows == {("C-1", "BRK-U1", "Ana Assistant", "BRACKET"),
                    ("C-2", "WIR-014", "Otto Ortho", "WIRE")}  # the voided one left out
    contacts = lookup.contacts("BRK-U1")
    assert contacts.title == "Recall contact list: lot BR-B of BRK-U1"
    assert [r["chartNumber"] for r in contacts.rows] == ["C-1"]
    assert contacts.columns == with_contact_columns(lookup.patients.columns)
    assert contacts.columns[1:5] == ("patientName", "phone", "guardianName", "guardianPhone")


def test_a_scan_narrows_to_its_item(shared):
    lookup = look_up_lot(shared.ctx, "B3", gs1(shared.gtin_wire, "BR-B"))
    assert lookup.sku == "WIR-014" and [lot.sku for lot in lookup.lots] == ["WIR-014"]
    assert [r["chartNumber"] for r in lookup.patients.rows] == ["C-2"]
    narrowed = look_up_lot(shared.ctx, "B3", "BR-B", sku="BRK-U1")
    assert [lot.sku for lot in narrowed.lots] == ["BRK-U1"]


def test_a_recalled_lot_shows_its_notice_and_an_unknown_lot_is_not_found(clinic):
    [lot] = look_up_lot(clinic.ctx, "B3", "AD-RCL").lots
    assert lot.status is LotStatus.RECALLED and lot.recall_notice == "FDA Z-0001-2026"
    with pytest.raises(NotFound, match="NOPE"):
        look_up_lot(clinic.ctx, "B3", "NOPE")


def test_looking_up_needs_appliance_read(clinic):
    with pytest.raises(PermissionDenied):
        look_up_lot(clinic.ctx, "B4", "BR-A")  # IT: inventory:read only
