"""Chart data of the reports screen: net supply cost per case type and per month."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from clinic_data import ID, gs1

from kiosk.domain.errors import PermissionDenied
from kiosk.services.context import Settings
from kiosk.services.corrections import void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.report_charts import Bar, cost_charts
from kiosk.services.reports import supply_costs


def place(clinic, when, patient, kind, scan, qty, appliance=None):
    clinic.clock.at = when
    return deduct_for_appliance(clinic.ctx, "B1", PlaceSupplies(
        patient, kind, [scan], qty, appliance_id=appliance))[0]


@pytest.fixture
def months(clinic):
    """Brackets (with a bonding agent) in October and November, elastics in November, and a
    voided bracket placement."""
    octo, nov = datetime(2026, 10, 20, 15, tzinfo=UTC), datetime(2026, 11, 1, 3, tzinfo=UTC)
    place(clinic, octo, "C-1", "BRACKET", gs1(clinic.gtin_bracket, "BR-B"), 4, ID(31))
    place(clinic, octo, "C-1", "BRACKET", gs1(clinic.gtin_bond), 1, ID(31))
    place(clinic, nov, "C-2", "ELASTIC", gs1(clinic.gtin_elastic, "EL-1"), 3)
    wrong = place(clinic, nov, "C-2", "BRACKET", gs1(clinic.gtin_bracket, "BR-A"), 2)
    void_usage(clinic.ctx, "B1", wrong.id, "wrong patient")
    return clinic


def test_cost_per_case_type_counts_what_was_used_for_the_case(months):
    charts = cost_charts(months.ctx, "B1")
    # the bonding agent used for a bracket placement is part of the bracket case
    assert charts.by_case_type == (Bar("Bracket", Decimal("4") * Decimal("2.3333")
                                       + Decimal("42.00")),
                                   Bar("Elastic", Decimal("3") * Decimal("0.0450")))


def test_cost_per_month_in_utc_and_in_the_clinic_time_zone(months):
    assert cost_charts(months.ctx, "B1").by_month == (
        Bar("2026-10", Decimal("51.3332")), Bar("2026-11", Decimal("0.1350")))
    chicago = replace(months.ctx, settings=Settings(timezone="America/Chicago"))
    # 03:00 UTC on 1 November is still 31 October in Chicago
    assert cost_charts(chicago, "B1").by_month == (Bar("2026-10", Decimal("51.4682")),)


def test_both_charts_add_up_to_the_supply_costs_report_net_of_voids(months):
    charts = cost_charts(months.ctx, "B1")
    report_total = sum((r["totalCost"] for r in supply_costs(months.ctx, "B1").rows),
                       Decimal(0))
    assert charts.total == report_total == sum((b.amount for b in charts.by_month), Decimal(0))
    one = cost_charts(months.ctx, "B1", "C-2")
    assert one.by_case_type == (Bar("Elastic", Decimal("0.1350")),)  # C-2's brackets voided


def test_no_usage_no_bars(clinic):
    charts = cost_charts(clinic.ctx, "B1")
    assert charts.by_case_type == () and charts.by_month == () and charts.total == 0


def test_it_staff_without_appliance_read_are_refused(months):
    with pytest.raises(PermissionDenied):
        cost_charts(months.ctx, "B4")
