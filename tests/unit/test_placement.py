"""Deduct for an appliance and bulk deduct, against the in-memory store."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from clinic_data import ID, TODAY, gs1

from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.domain.errors import (
    LotBlocked,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from kiosk.domain.model import ApplianceStatus, CostCategory
from kiosk.services.placement import (
    PlaceAppliance,
    PlaceLine,
    PlaceSupplies,
    bulk_deduct,
    deduct_for_appliance,
)


def place(clinic, *scans, actor="B1", **kw):
    command = PlaceSupplies(patient=kw.pop("patient", "C-1"),
                            appliance_type=kw.pop("appliance_type", "BRACKET"), scans=scans, **kw)
    return deduct_for_appliance(clinic.ctx, actor, command)


def test_deduct_records_usage_outbox_and_stock_together(clinic):
    [usage] = place(clinic, gs1(clinic.gtin_bracket, "BR-A"), appliance_id=ID(31), quantity=3)
    assert usage.quantity == 3 and usage.lot_number == "BR-A" and usage.lot_id == ID(61)
    assert usage.appliance_record_id == ID(31) and usage.treatment_plan_id == ID(41)
    assert usage.kiosk_seq == 1 and usage.kiosk_id == ID(900) and usage.clinic_id == ID(1)
    assert clinic.stock("BRK-U1") == 27 and clinic.lot_stock("BRK-U1", "BR-A") == 17
    event = clinic.store.state.outbox[usage.id]
    assert json.loads(event.payload)["quantity"] == 3 and event.kiosk_seq == 1


def test_unit_cost_is_frozen_from_lot_then_lot_vendor_then_preferred_then_item(clinic):
    [own] = place(clinic, gs1(clinic.gtin_bracket, "BR-B"))
    [vendor] = place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    [preferred] = place(clinic, gs1(clinic.gtin_bracket))
    [item_cost] = place(clinic, gs1(clinic.gtin_elastic, "EL-1"), appliance_type="ELASTIC")
    assert own.unit_cost == Decimal("2.3333")       # what was paid for that lot
    assert vendor.unit_cost == Decimal("2.10")      # the lot's vendor (Southbay) offer
    assert preferred.unit_cost == Decimal("2.50")   # no lot: preferred vendor
    assert item_cost.unit_cost == Decimal("0.0450")  # no offers at all: the item's cost
    assert item_cost.cost_category is CostCategory.ELASTIC


def test_price_change_after_use_does_not_rewrite_history(clinic):
    [usage] = place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    with clinic.store.write() as tx:
        item = tx.item_by_sku("BRK-U1")
        item.offers = [o.__class__(o.vendor_id, o.vendor_sku, Decimal("9.99"), o.is_preferred)
                       for o in item.offers]
        tx.save_item(item)
    with clinic.store.read() as tx:
        assert tx.usage(usage.id).unit_cost == Decimal("2.10")


def test_two_scans_gtin_then_lot_label_are_one_line(clinic):
    label = f"(17){TODAY + timedelta(days=300):%y%m%d}(10)BR-B"
    usages = place(clinic, gs1(clinic.gtin_bracket), label)
    assert [u.lot_number for u in usages] == ["BR-B"]


def test_hibcc_scan_is_resolved_through_the_catalog(clinic):
    body = "+A123BRK011"
    [usage] = place(clinic, body + mod43_check_char(body))
    assert usage.inventory_item_id == ID(51) and usage.lot_number is None


def test_ordered_appliance_is_refused_unless_marked_placed(clinic):
    with pytest.raises(RuleViolation, match="ORDERED; mark it placed"):
        place(clinic, gs1(clinic.gtin_wire, "NT-1"), appliance_type="WIRE", appliance_id=ID(32))
    assert clinic.stock("WIR-014") == 10
    place(clinic, gs1(clinic.gtin_wire, "NT-1"), appliance_type="WIRE", appliance_id=ID(32),
          mark_placed=True)
    with clinic.store.read() as tx:
        assert tx.appliance(ID(32)).status is ApplianceStatus.PLACED
    assert clinic.stock("WIR-014") == 9


def test_removed_appliance_and_wrong_type_are_refused(clinic):
    with pytest.raises(RuleViolation, match="REMOVED"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"), patient="C-2", appliance_id=ID(33))
    with pytest.raises(ValidationError, match="is a BRACKET, not a WIRE"):
        place(clinic, gs1(clinic.gtin_wire, "NT-1"), appliance_type="WIRE", appliance_id=ID(31))


def test_recalled_and_quarantined_lots_are_always_blocked(clinic):
    with pytest.raises(LotBlocked, match=r"recalled .*FDA Z-0001-2026"):
        place(clinic, gs1(clinic.gtin_bond, "AD-RCL"), actor="B2", appliance_type="BONDING",
              override_reason="urgent")
    with pytest.raises(LotBlocked, match="quarantined"):
        place(clinic, gs1(clinic.gtin_bond, "AD-QRN"), appliance_type="BONDING")
    assert clinic.stock("BON-ADH") == 6 and not clinic.store.state.outbox


def test_expired_lot_needs_override_by_permitted_user_with_reason(clinic):
    scan = gs1(clinic.gtin_bond, "AD-OLD")
    with pytest.raises(LotBlocked, match="expired on"):
        place(clinic, scan, actor="B2", appliance_type="BONDING")
    with pytest.raises(LotBlocked, match=r"only a manager \(inventory:adjust\) may approve"):
        place(clinic, scan, actor="B1", appliance_type="BONDING", override_reason="no other")
    assert clinic.stock("BON-ADH") == 6
    [usage] = place(clinic, scan, actor="B2", appliance_type="BONDING",
                    override_reason="last syringe, patient in chair")
    assert usage.override_reason == "last syringe, patient in chair"


def test_expired_unlisted_lot_from_the_label_is_blocked_too(clinic):
    with pytest.raises(LotBlocked, match="expired"):
        place(clinic, gs1(clinic.gtin_bracket, "NEW-LOT", TODAY - timedelta(days=1)))


def test_label_expiry_conflicting_with_catalog_is_refused(clinic):
    with pytest.raises(ValidationError, match="catalog says"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A", TODAY + timedelta(days=5)))


@pytest.mark.parametrize("quantity", [0, -1, 501, "lots", 10**12])
def test_bad_quantities_are_refused(clinic, quantity):
    with pytest.raises(ValidationError, match="quantity"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"), quantity=quantity)
    assert clinic.stock("BRK-U1") == 30


def test_unknown_and_malformed_barcodes_are_refused(clinic):
    with pytest.raises(NotFound, match="not in the catalog"):
        place(clinic, gs1("00012345678905", "X"))
    with pytest.raises(ValidationError):
        place(clinic, "(01)00812345670019")  # wrong check digit
    with pytest.raises(ValidationError, match="staff or patient code"):
        place(clinic, "STAFF-B1")


def test_actor_without_permission_is_refused(clinic):
    with pytest.raises(PermissionDenied, match=r"IT administrator.*appliance:update"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"), actor="B4")
    with pytest.raises(NotFound, match="No staff member"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"), actor="nobody")


def test_dollar_operators_in_notes_are_kept_as_plain_text(clinic):
    [usage] = place(clinic, gs1(clinic.gtin_bracket, "BR-A"), notes='{"$where": "sleep(1)"}')
    assert usage.notes == '{"$where": "sleep(1)"}'
    assert json.loads(clinic.store.state.outbox[usage.id].payload)["notes"] == usage.notes


def test_bulk_deduct_applies_every_line(clinic):
    lines = [PlaceSupplies("C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], 2),
             PlaceSupplies("C-1", "BONDING", [gs1(clinic.gtin_bond)], 1),
             PlaceSupplies("CHART-C-2", "ELASTIC", [gs1(clinic.gtin_elastic, "EL-1")], 1)]
    usages = bulk_deduct(clinic.ctx, "B1", lines)
    assert [u.kiosk_seq for u in usages] == [1, 2, 3]
    assert clinic.stock("BRK-U1") == 28 and clinic.stock("ELA-316") == 3


def test_bulk_deduct_with_one_bad_line_deducts_nothing(clinic):
    lines = [PlaceSupplies("C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], 2),
             PlaceSupplies("C-1", "BONDING", [gs1(clinic.gtin_bond, "AD-RCL")], 1)]
    with pytest.raises(LotBlocked, match=r"^Line 2: .*recalled.*Nothing was deducted"):
        bulk_deduct(clinic.ctx, "B1", lines)
    assert clinic.stock("BRK-U1") == 30 and not clinic.store.state.usages
    assert not clinic.store.state.outbox and clinic.store.state.seq == 0


def test_typed_lines_are_rechecked_and_a_bad_one_records_nothing(clinic):
    """The cart's typed lines are not parsed again, but their state is checked again: an
    item gone from the catalog, a recalled lot, a zero or huge quantity record nothing."""
    def typed(*lines):
        return PlaceAppliance(patient="C-1", appliance_type="BONDING", lines=lines)

    good = PlaceLine(item_id=ID(51), lot_number="BR-A")
    with pytest.raises(NotFound, match="not in the catalog"):
        bulk_deduct(clinic.ctx, "B1", [typed(good, PlaceLine(item_id=ID(999)))])
    with pytest.raises(LotBlocked, match="recalled"):
        bulk_deduct(clinic.ctx, "B1", [typed(good, PlaceLine(ID(53), "AD-RCL"))])
    for quantity in (0, 100_000):
        with pytest.raises(ValidationError):
            bulk_deduct(clinic.ctx, "B1", [typed(PlaceLine(ID(51), "BR-A", quantity=quantity))])
    assert clinic.store.state.usages == {} and clinic.stock("BRK-U1") == 30
    [usage] = bulk_deduct(clinic.ctx, "B1", [typed(PlaceLine(ID(51), "BR-A", quantity=2))])
    assert (usage.lot_id, usage.quantity) == (ID(61), 2) and clinic.stock("BRK-U1") == 28
