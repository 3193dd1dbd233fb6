"""The receive form's services: a scan becomes a draft; a confirmed box is received with the
lot and expiry the person confirmed; the inventory screen's item search and item detail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from clinic_data import ID, TODAY, gs1

from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.domain.errors import LotBlocked, NotFound, PermissionDenied, ValidationError
from kiosk.domain.model import ApplianceType, Item
from kiosk.domain.rules import StockLevel
from kiosk.services.inventory_view import item_detail, search_items
from kiosk.services.labels import lot_label
from kiosk.services.receipts import BoxEntry, draft_from_scan, receive_box

EXPIRY = TODAY + timedelta(days=500)


def hibcc(body: str) -> str:
    return body + mod43_check_char(body)


def test_a_new_lot_scan_drafts_the_item_with_the_preferred_vendor(clinic):
    draft = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-NEW", EXPIRY))
    assert (draft.sku, draft.lot, draft.expiry, draft.known_lot) == (
        "BRK-U1", "BR-NEW", EXPIRY, False)
    assert [(v.name, v.unit_cost) for v in draft.vendors] == [
        ("Northbay", Decimal("2.50")), ("Southbay", Decimal("2.10"))]
    assert draft.default_vendor.name == "Northbay"
    known = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-A"))
    assert known.known_lot and known.expiry == TODAY + timedelta(days=400)
    assert known.default_vendor.name == "Southbay"  # the vendor the lot came from


def test_a_confirmed_box_is_received_with_what_the_person_typed(clinic):
    draft = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-NEW", EXPIRY))
    later = EXPIRY + timedelta(days=31)
    receipt = receive_box(clinic.ctx, "B3", draft,
                          BoxEntry("BR-NEW2", later.isoformat(), "12", "Southbay", "2.05"))
    assert (receipt.lot_number, receipt.quantity_delta, receipt.unit_cost) == (
        "BR-NEW2", 12, Decimal("2.05"))
    with clinic.store.read() as tx:
        lot = tx.lot_by_number(tx.item_by_sku("BRK-U1").id, "BR-NEW2")
        assert lot.expiration_date == later and tx.vendor_by_id(lot.vendor_id).name == "Southbay"
    assert clinic.stock("BRK-U1") == 42


def test_an_item_without_gtin_is_received_by_its_hibcc_code(clinic):
    with clinic.store.write() as tx:
        tx.save_item(Item(ID(55), "BND-X", "Molar band", ApplianceType.BAND,
                          hibcc=("B456BND01",)))
    draft = draft_from_scan(clinic.ctx, "B3", hibcc("+B456BND010"))
    assert (draft.sku, draft.gtin, draft.lot) == ("BND-X", None, None)
    receive_box(clinic.ctx, "B3", draft, BoxEntry("HB1", "", "4", "", ""))
    receive_box(clinic.ctx, "B3", draft, BoxEntry("HB2", EXPIRY.isoformat(), "1", "", ""))
    assert clinic.lot_stock("BND-X", "HB1") == 4 and clinic.lot_stock("BND-X", "HB2") == 1
    # Issue 12: a hand-typed lot no HIBC barcode could carry (lower case, a space) is received
    # as typed; only its label would say it cannot be printed.
    receive_box(clinic.ctx, "B3", draft, BoxEntry("hb 3", "", "1", "", ""))
    assert clinic.lot_stock("BND-X", "hb 3") == 1
    with pytest.raises(ValidationError, match="longer than 20 characters"):
        receive_box(clinic.ctx, "B3", draft, BoxEntry("L" * 21, "", "1", "", ""))
    assert clinic.stock("BND-X") == 6


def test_an_hibcc_scan_of_an_item_with_a_gtin_is_received_by_gs1(clinic):
    draft = draft_from_scan(clinic.ctx, "B3", hibcc("+A123BRK010"))
    assert (draft.sku, draft.gtin) == ("BRK-U1", clinic.gtin_bracket)
    receive_box(clinic.ctx, "B3", draft, BoxEntry("HB1", "", "4", "", ""))
    assert clinic.lot_stock("BRK-U1", "HB1") == 4


def test_a_hand_typed_lot_no_barcode_can_carry_is_received_and_its_label_says_why_not(clinic):
    draft = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-NEW", EXPIRY))
    receipt = receive_box(clinic.ctx, "B3", draft, BoxEntry("BR 7/b", "", "3", "", ""))
    assert (receipt.lot_number, receipt.quantity_delta) == ("BR 7/b", 3)
    assert clinic.lot_stock("BRK-U1", "BR 7/b") == 3
    with pytest.raises(ValidationError, match="cannot go into a GS1 barcode"):
        lot_label(clinic.ctx, "B3", "BR 7/b", "BRK-U1")


@pytest.mark.parametrize(("entry", "error", "sentence"), [
    (BoxEntry("X1", "", "0", "", ""), ValidationError, "at least 1"),
    (BoxEntry("X1", "", "100001", "", ""), ValidationError, "more than 100000"),
    (BoxEntry("X1", "", "2", "", "-0.5"), ValidationError, "cannot be negative"),
    (BoxEntry("X1", (TODAY - timedelta(days=1)).isoformat(), "2", "", ""), ValidationError,
     "already past"),
    (BoxEntry("X1", "", "2", "Eastbay", ""), ValidationError, "Eastbay does not offer BRK-U1"),
    (BoxEntry(" ", "", "2", "", ""), ValidationError, "Type the lot number"),
])
def test_bad_entries_are_refused_and_nothing_is_received(clinic, entry, error, sentence):
    draft = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-NEW", EXPIRY))
    with pytest.raises(error, match=sentence):
        receive_box(clinic.ctx, "B3", draft, entry)
    assert clinic.stock("BRK-U1") == 30 and clinic.store.state.adjustments == []


def test_drafts_refuse_other_codes_unknown_items_recalled_lots_and_non_receivers(clinic):
    with pytest.raises(ValidationError, match="staff or patient code"):
        draft_from_scan(clinic.ctx, "B3", "STAFF-B1")
    with pytest.raises(NotFound, match="not in the catalog"):
        draft_from_scan(clinic.ctx, "B3", gs1("00812345679991", "L1"))
    with pytest.raises(LotBlocked, match="recalled"):
        draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bond, "AD-RCL"))
    with pytest.raises(PermissionDenied):
        draft_from_scan(clinic.ctx, "B1", gs1(clinic.gtin_bracket, "BR-NEW"))
    draft = draft_from_scan(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-NEW"))
    with pytest.raises(PermissionDenied):
        receive_box(clinic.ctx, "B4", draft, BoxEntry("BR-NEW", "", "1", "", ""))


def test_item_search_and_detail(clinic):
    assert [r.sku for r in search_items(clinic.ctx, "B1", "")] == [
        "BON-ADH", "BRK-U1", "ELA-316", "WIR-014"]
    assert [r.sku for r in search_items(clinic.ctx, "B1", "niti")] == ["WIR-014"]
    assert [r.sku for r in search_items(clinic.ctx, "B1", clinic.gtin_wire)] == ["WIR-014"]
    assert [r.sku for r in search_items(clinic.ctx, "B1", gs1(clinic.gtin_bond, "AD-OLD"))] == [
        "BON-ADH"]
    detail = item_detail(clinic.ctx, "B1", "BON-ADH")
    assert (detail.on_hand, detail.reorder_point, detail.level) == (6, 1, StockLevel.OK)
    assert [(lot.lot_number, lot.status, lot.expired, lot.note) for lot in detail.lots] == [
        ("AD-OLD", "ACTIVE", True, ""), ("AD-QRN", "QUARANTINED", False, ""),
        ("AD-RCL", "RECALLED", False, "FDA Z-0001-2026")]
    assert [(v.name, v.unit_cost, v.preferred) for v in detail.vendors] == [
        ("Northbay", Decimal("42.00"), True)]
    with pytest.raises(NotFound):
        item_detail(clinic.ctx, "B1", "NOPE")
