"""The cost sheet's data: lines, voids shown and netted, subtotals, and a total equal to the
supply-costs report to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clinic_data import ID, gs1

from kiosk.domain.errors import NotFound, PermissionDenied
from kiosk.domain.model import CostCategory
from kiosk.services.corrections import void_usage
from kiosk.services.cost_sheet import cost_sheet, provider_costs
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.reports import supply_costs


def day(clinic):
    def place(patient, kind, scan, qty, appliance=None):
        return deduct_for_appliance(clinic.ctx, "B1", PlaceSupplies(
            patient, kind, [scan], qty, appliance_id=appliance))[0]
    place("C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 4, ID(31))
    place("C-1", "BRACKET", gs1(clinic.gtin_bond), 1, ID(31))
    wrong = place("C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-A"), 2, ID(31))
    place("C-1", "ELASTIC", gs1(clinic.gtin_elastic, "EL-1"), 3)  # no treatment plan
    place("C-2", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 1)
    void_usage(clinic.ctx, "B1", wrong.id, "wrong tooth")
    return wrong


def report_total(clinic, patient):
    return sum((r["totalCost"] for r in supply_costs(clinic.ctx, None, patient).rows),
               Decimal(0))


def test_total_equals_the_supply_costs_report_to_the_cent_with_a_void(clinic):
    wrong = day(clinic)
    sheet = cost_sheet(clinic.ctx, None, "C-1")
    assert sheet.patient.display_name == "Zoë Álvarez"
    assert sheet.total == report_total(clinic, "C-1") == Decimal("51.4682")
    plans = {s.treatment_plan_id: s for s in sheet.sections}
    assert set(plans) == {ID(41), None}
    plan = plans[ID(41)]
    assert plan.total == Decimal("51.3332")
    assert plan.subtotals[CostCategory.BRACKET] == Decimal("9.3332")
    assert plan.subtotals[CostCategory.BONDING] == Decimal("42.00")
    # the voided usage is shown, followed by its negative void line: the lines net out
    voided = [ln for ln in plan.lines if ln.voided]
    assert [(ln.quantity, ln.extended, ln.note) for ln in voided] == [
        (2, Decimal("4.20"), ""), (-2, Decimal("-4.20"), "Void: wrong tooth")]
    assert voided[0].lot == "BR-A" and wrong.unit_cost == Decimal("2.10")
    assert sum((ln.extended for ln in plan.lines), Decimal(0)) == plan.total
    assert plan.period_start == plan.period_end == clinic.clock.now().date()


def test_one_treatment_plan_only(clinic):
    day(clinic)
    sheet = cost_sheet(clinic.ctx, "B1", "C-1", ID(41))
    assert [s.treatment_plan_id for s in sheet.sections] == [ID(41)]
    assert sheet.total == Decimal("51.3332")
    with pytest.raises(NotFound, match="no usage under treatment plan"):
        cost_sheet(clinic.ctx, "B1", "C-1", ID(99))


def test_a_patient_without_usage_has_an_empty_sheet(clinic):
    sheet = cost_sheet(clinic.ctx, None, "C-2")
    assert sheet.sections == [] and sheet.total == 0


def test_unknown_patient_and_permissions(clinic):
    with pytest.raises(NotFound):
        cost_sheet(clinic.ctx, None, "C-404")
    with pytest.raises(PermissionDenied):
        cost_sheet(clinic.ctx, "B4", "C-1")  # IT has no appliance:read


def test_provider_costs_net_voids_and_count_cases(clinic):
    day(clinic)
    [row] = provider_costs(clinic.ctx, None).rows  # Ana Assistant placed everything
    assert row["provider"] == "Ana Assistant" and row["cases"] == 3
    assert row["quantity"] == 4 + 1 + 3 + 1  # the voided 2 left out
    everyone = sum((r["totalCost"] for r in supply_costs(clinic.ctx, None).rows), Decimal(0))
    assert row["totalCost"] == everyone
    [mine] = provider_costs(clinic.ctx, None, "C-2").rows
    assert mine["cases"] == 1 and mine["totalCost"] == Decimal("2.3333")
