"""The reports screen's service: the CLI's filters as typed text, both read permissions, the
order list, the extra tables and charts, and CSV text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from clinic_data import ID, gs1

from kiosk.domain.errors import NotFound, PermissionDenied, ValidationError
from kiosk.services.corrections import void_usage
from kiosk.services.manager_reports import (
    KINDS,
    ReportFilters,
    manager_report,
    providers,
    suggested_order_quantity,
)
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.report_export import cell, report_csv
from kiosk.services.reports import Report, supply_costs


def place(clinic, when, actor, patient, kind, scan, qty):
    clinic.clock.at = when
    return deduct_for_appliance(clinic.ctx, actor, PlaceSupplies(patient, kind, [scan], qty))[0]


@pytest.fixture
def day(clinic):
    place(clinic, datetime(2026, 10, 5, 9, tzinfo=UTC), "B1", "C-1", "BRACKET",
          gs1(clinic.gtin_bracket, "BR-B"), 4)
    place(clinic, datetime(2026, 11, 2, 9, tzinfo=UTC), "B2", "C-2", "ELASTIC",
          gs1(clinic.gtin_elastic, "EL-1"), 1)
    wrong = place(clinic, datetime(2026, 11, 3, 9, tzinfo=UTC), "B2", "C-2", "BRACKET",
                  gs1(clinic.gtin_bracket, "BR-A"), 2)
    void_usage(clinic.ctx, "B2", wrong.id, "wrong patient")
    return clinic


def ids(result) -> list[str]:
    return [r["id"] for r in result.report.rows]


def test_usage_filters_as_typed(day):
    everything = manager_report(day.ctx, "B1", "usage")
    assert len(everything.report.rows) == 3
    november = manager_report(day.ctx, "B1", "usage", ReportFilters(from_date="2026-11-01"))
    assert len(november.report.rows) == 2
    late_brackets = manager_report(day.ctx, "B1", "usage", ReportFilters(
        from_date="2026-11-01", to_date="2026-11-30", appliance_type="bracket",
        provider="B2"))
    assert [r["voided"] for r in late_brackets.report.rows] == [True]
    by_id = manager_report(day.ctx, "B1", "usage", ReportFilters(provider=ID(11)))
    assert len(by_id.report.rows) == 1


@pytest.mark.parametrize(("filters", "error", "words"), [
    (ReportFilters(from_date="2026-02-30"), ValidationError, "not a real date"),
    (ReportFilters(from_date="2026-11-02", to_date="2026-11-01"), ValidationError, "swap"),
    (ReportFilters(appliance_type="SPRING"), ValidationError, "Unknown appliance type"),
    (ReportFilters(provider="B99"), NotFound, "B99"),
])
def test_bad_filters_say_what_is_wrong(day, filters, error, words):
    with pytest.raises(error, match=words):
        manager_report(day.ctx, "B1", "usage", filters)


def test_both_read_permissions_are_needed_for_every_report(day):
    for kind in KINDS:
        assert manager_report(day.ctx, "B1", kind, ReportFilters(lot="BR-B")).kind == kind
        with pytest.raises(PermissionDenied):
            manager_report(day.ctx, "B4", kind, ReportFilters(lot="BR-B"))  # IT
    with pytest.raises(PermissionDenied):
        providers(day.ctx, "B4")
    with pytest.raises(ValidationError, match="Unknown report"):
        manager_report(day.ctx, "B1", "payroll")


def test_supply_costs_come_with_charts_and_costs_per_provider(day):
    result = manager_report(day.ctx, "B1", "supply-costs")
    assert result.report.rows == supply_costs(day.ctx, "B1").rows
    total = sum((r["totalCost"] for r in result.report.rows), Decimal(0))
    assert result.charts.total == total
    per_provider, per_type, per_month = result.extra
    assert per_provider.title == "Supply costs per provider"
    for table in result.extra:  # every view adds up to the report's total
        assert sum((r["totalCost"] for r in table.rows), Decimal(0)) == total
    assert [r["caseType"] for r in per_type.rows] == [b.label for b in result.charts.by_case_type]
    assert [r["month"] for r in per_month.rows] == ["2026-10", "2026-11"]
    one = manager_report(day.ctx, "B1", "supply-costs", ReportFilters(patient="C-2"))
    assert [r["chartNumber"] for r in one.report.rows] == ["C-2"]


def test_low_stock_carries_the_order_list(day):
    place(day, datetime(2026, 11, 4, 9, tzinfo=UTC), "B1", "C-1", "ELASTIC",
          gs1(day.gtin_elastic, "EL-1"), 2)  # 1 elastic pack left, reorder point 2
    result = manager_report(day.ctx, "B1", "low-stock")
    assert result.report.columns[-2:] == ("orderQuantity", "orderCost")
    assert result.report.rows
    for row in result.report.rows:
        assert row["orderQuantity"] == max(row["reorderQuantity"] or 0,
                                           row["reorderPoint"] - row["quantityOnHand"] + 1)
        assert row["orderCost"] == (row["unitCost"] or 0) * row["orderQuantity"]
    assert result.order_total == sum((r["orderCost"] for r in result.report.rows), Decimal(0))
    assert suggested_order_quantity({"reorderQuantity": 0, "reorderPoint": 5,
                                     "quantityOnHand": -2}) == 8


def test_lot_tracking_by_number_or_by_scan(day):
    typed = manager_report(day.ctx, "B1", "lot-tracking", ReportFilters(lot="BR-B"))
    assert [r["chartNumber"] for r in typed.report.rows] == ["C-1"]
    scanned = manager_report(day.ctx, "B1", "lot-tracking",
                             ReportFilters(lot=gs1(day.gtin_bracket, "BR-A")))
    assert scanned.report.rows == []  # its only usage was voided
    with pytest.raises(ValidationError, match="lot number"):
        manager_report(day.ctx, "B1", "lot-tracking")


def test_providers_are_the_staff_who_place_supplies(day):
    assert providers(day.ctx, "B3") == [(ID(11), "Ana Assistant"), (ID(12), "Otto Ortho")]


def test_csv_text_keeps_money_exact():
    when = datetime(2026, 11, 2, 9, 5, tzinfo=UTC)
    report = Report("T", ("a", "b", "c", "d"), [
        {"a": Decimal("0.1350"), "b": when, "c": True, "d": None},
        {"a": Decimal("-6.72"), "b": None, "c": False, "d": "x,y"}])
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows == [["a", "b", "c", "d"], ["0.1350", "2026-11-02 09:05", "yes", ""],
                    ["-6.72", "", "no", "x,y"]]
    assert cell(Decimal("1E+1")) == "10"
