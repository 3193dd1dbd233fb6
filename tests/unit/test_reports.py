"""The four seed reports over a small day of usage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clinic_data import ID, gs1

from kiosk.domain.errors import NotFound, PermissionDenied, ValidationError
from kiosk.domain.permissions import Permission
from kiosk.services.corrections import void_usage
from kiosk.services.lookup import authorize_reader
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.ports import UsageFilter
from kiosk.services.reports import lot_tracking, low_stock, supply_costs, usage_report


def day(clinic):
    def place(patient, kind, scan, qty, appliance=None):
        return deduct_for_appliance(clinic.ctx, "B1", PlaceSupplies(
            patient, kind, [scan], qty, appliance_id=appliance))[0]
    brackets = place("C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 4, ID(31))
    place("C-1", "BRACKET", gs1(clinic.gtin_bond), 1, ID(31))
    wrong = place("C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-A"), 2, ID(31))
    place("C-2", "ELASTIC", gs1(clinic.gtin_elastic, "EL-1"), 3)
    place("C-2", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 1)
    void_usage(clinic.ctx, "B1", wrong.id, "wrong tooth")
    return brackets


def test_supply_costs_are_frozen_per_category_and_net_of_voids(clinic):
    day(clinic)
    rows = {(r["chartNumber"], r["treatmentPlanId"]): r
            for r in supply_costs(clinic.ctx, "B1").rows}
    first = rows[("C-1", ID(41))]
    assert first["bracketCost"] == Decimal("9.3332")   # 4 × 2.3333; the voided 2 × 2.10 netted
    assert first["bondingCost"] == Decimal("42.00")
    assert first["totalCost"] == Decimal("51.3332")
    second = rows[("C-2", None)]
    assert second["elasticCost"] == Decimal("0.1350") and second["bracketCost"] == Decimal("2.3333")
    assert all(isinstance(r["totalCost"], Decimal) for r in rows.values())


def test_supply_costs_for_one_patient_and_permission(clinic):
    day(clinic)
    assert {r["chartNumber"] for r in supply_costs(clinic.ctx, "B1", "C-2").rows} == {"C-2"}
    with pytest.raises(PermissionDenied):
        supply_costs(clinic.ctx, "B4")


def test_lot_tracking_lists_patients_who_received_the_lot_not_voided_ones(clinic):
    day(clinic)
    rows = lot_tracking(clinic.ctx, "B3", "BR-B").rows
    assert sorted((r["chartNumber"], r["quantity"]) for r in rows) == [("C-1", 4), ("C-2", 1)]
    assert lot_tracking(clinic.ctx, "B3", "BR-A").rows == []
    assert rows[0]["sku"] == "BRK-U1" and rows[0]["patientName"] == "Zoë Álvarez"
    with pytest.raises(ValidationError):
        lot_tracking(clinic.ctx, "B3", " ")


def test_low_stock_lists_items_at_or_below_reorder_point(clinic):
    assert [r["sku"] for r in low_stock(clinic.ctx, None).rows] == []
    day(clinic)  # elastics 4 → 1 (reorder point 2)
    [row] = low_stock(clinic.ctx, None).rows
    assert row["sku"] == "ELA-316" and row["quantityOnHand"] == 1 and row["level"] == "LOW"


def test_usage_report_filters_and_flags_voids(clinic):
    day(clinic)
    report = usage_report(clinic.ctx, "B3")
    assert len(report.rows) == 5 and sum(r["voided"] for r in report.rows) == 1
    elastic = usage_report(clinic.ctx, "B3", UsageFilter(appliance_type="ELASTIC")).rows
    assert [r["sku"] for r in elastic] == ["ELA-316"]


def test_write_actions_never_run_as_the_anonymous_operator(clinic):
    with clinic.store.read() as tx, pytest.raises(NotFound, match="No staff member"):
        authorize_reader(tx, None, Permission.APPLIANCE_UPDATE)


@pytest.mark.parametrize("report", [
    usage_report,
    lambda ctx, actor: lot_tracking(ctx, actor, "BR-B"),
])
def test_reports_that_show_patients_need_appliance_read(clinic, report):
    """Issue 14 item 8: IT (inventory:read, no appliance:read) got patients' names and chart
    numbers from the usage and lot-tracking reports through the CLI."""
    day(clinic)
    assert report(clinic.ctx, "B3").rows  # an inventory manager reads patients
    with pytest.raises(PermissionDenied) as refused:
        report(clinic.ctx, "B4")
    sentence = str(refused.value)
    assert "appliance:read" in sentence and "Ivan IT" in sentence
    assert "ask an assistant, orthodontist, inventory manager or clinic manager" in sentence
    assert sentence.count(".") == 1 and sentence.endswith(".")
