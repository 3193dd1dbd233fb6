"""CSV imports: every row checked, line numbers in errors, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clinic_data import with_check_digit

from kiosk.domain.errors import ValidationError
from kiosk.domain.pins import verify_pin
from kiosk.services.imports import import_csv

GTIN = with_check_digit("0081234599991")
ITEMS = ("sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity\n"
         f'NEW-1,"Bracket 0.022"" U2",BRACKET,{GTIN},B999X1,EACH,5,20\n'
         "NEW-2,Power chain,ELASTIC,,,SPOOL,1,3\n")


def test_items_offers_and_lots_import_into_the_catalog(clinic):
    assert import_csv(clinic.ctx, "items", ITEMS) == 2
    import_csv(clinic.ctx, "offers", "sku,vendor,vendor_sku,unit_cost,preferred\n"
               "NEW-1,Northbay,N-9,2.45,true\nNEW-1,Acme,A-9,2.05,false\n")
    import_csv(clinic.ctx, "lots",
               "sku,lot_number,expiration_date,vendor,unit_cost,quantity,status\n"
               "NEW-1,L1,2028-01-31,Acme,,12,ACTIVE\nNEW-1,L2,,Northbay,2.40,3,RECALLED\n")
    with clinic.store.read() as tx:
        item = tx.item_by_gtin(GTIN.zfill(14))
        assert item.sku == "NEW-1" and item.name == 'Bracket 0.022" U2'
        assert item.quantity_on_hand == 15 and tx.item_by_hibcc("B999X1").sku == "NEW-1"
        assert item.preferred_offer().unit_cost == Decimal("2.45")
        assert tx.vendor_by_name("acme") is not None


def test_a_bad_row_names_its_line_and_imports_nothing(clinic):
    bad = ITEMS + "NEW-3,Thing,SPACESHIP,,,EACH,1,1\n"
    with pytest.raises(ValidationError, match=r"^Line 4 of the items file: unknown appliance type"):
        import_csv(clinic.ctx, "items", bad)
    with clinic.store.read() as tx:
        assert tx.item_by_sku("NEW-1") is None


@pytest.mark.parametrize(("text", "message"), [
    ("sku,name\nA,B\n", "lacks the column"),
    ("", "lacks the column"),
    ("sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity\n", "no rows"),
    (ITEMS.replace(GTIN, "00812345999910"), "not a valid GTIN"),
    (ITEMS.replace(",5,20", ",-5,20"), "reorder_point"),
    (ITEMS + "X,Y,WIRE,,,EACH,1,1,extra\n", "more fields than the header"),
    ("sku\x00,name", "binary"),
])
def test_malformed_item_files_are_refused_with_a_sentence(clinic, text, message):
    with pytest.raises(ValidationError, match=message):
        import_csv(clinic.ctx, "items", text)


def test_lot_for_unknown_sku_and_impossible_date_are_refused(clinic):
    header = "sku,lot_number,expiration_date,vendor,unit_cost,quantity,status\n"
    with pytest.raises(ValidationError, match=r"Line 2 .*SKU 'NOPE'"):
        import_csv(clinic.ctx, "lots", header + "NOPE,L1,,,,1,ACTIVE\n")
    with pytest.raises(ValidationError, match="not a real date"):
        import_csv(clinic.ctx, "lots", header + "BRK-U1,L9,2027-02-30,,,1,ACTIVE\n")
    with pytest.raises(ValidationError, match="not a number"):
        import_csv(clinic.ctx, "lots", header + "BRK-U1,L9,,,{\"$gt\": 0},1,ACTIVE\n")


def test_staff_pins_are_hashed_and_badges_unique(clinic):
    import_csv(clinic.ctx, "staff",
               "staff_id,name,role,badge,pin\n,Łukasz Nowak,assistant,B77,4321\n")
    with clinic.store.read() as tx:
        member = tx.staff_by_badge("B77")
    assert "4321" not in member.pin_hash and verify_pin("4321", member.pin_hash)
    with pytest.raises(ValidationError, match="already belongs"):
        import_csv(clinic.ctx, "staff", "staff_id,name,role,badge,pin\n,Other,assistant,B1,1234\n")
    with pytest.raises(ValidationError, match=r"[Uu]nknown role"):
        import_csv(clinic.ctx, "staff", "staff_id,name,role,badge,pin\n,X,janitor,B78,1234\n")


def test_patients_and_appliances_import(clinic):
    import_csv(clinic.ctx, "patients", "patient_id,chart_number,first_name,last_name\n"
               ",C-9,Thảo,Nguyen\n")
    import_csv(clinic.ctx, "appliances", "appliance_id,chart_number,type,status,treatment_plan_id\n"
               ",C-9,ALIGNER,ORDERED,\n")
    with clinic.store.read() as tx:
        patient = tx.patient_by_chart("C-9")
        [record] = tx.appliances_for_patient(patient.id)
    assert record.type.value == "ALIGNER" and record.status.value == "ORDERED"
