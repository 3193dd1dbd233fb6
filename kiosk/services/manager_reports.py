"""The reports screen's use case: one of the four manager reports with the CLI's filters,
given as the text a person typed, plus what goes with it (charts, the order list, the extra
tables printed with it).

The screen needs both read permissions (inventory:read and appliance:read), and so does this
service: a user the screen is hidden from is refused here too, whatever the report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from kiosk.domain import rules
from kiosk.domain.errors import ValidationError
from kiosk.domain.permissions import Permission, has_permission
from kiosk.domain.values import parse_iso_date
from kiosk.services import reports
from kiosk.services.context import ServiceContext
from kiosk.services.cost_sheet import provider_costs
from kiosk.services.lookup import authorize_reader, find_staff
from kiosk.services.placement import parse_appliance_type
from kiosk.services.ports import ANY_USAGE, Tx, UsageFilter
from kiosk.services.recall_workbench import read_lot
from kiosk.services.report_charts import CostCharts, chart_tables, cost_charts
from kiosk.services.reports import Report

KINDS = {"usage": "Usage", "supply-costs": "Supply costs", "low-stock": "Low stock",
         "lot-tracking": "Lot tracking"}
ORDER_COLUMNS = ("orderQuantity", "orderCost")
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReportFilters:
    """As typed: dates YYYY-MM-DD, an appliance type, a provider (staff id or badge), a
    patient (id or chart number), a lot number. Empty means no filter."""

    from_date: str = ""
    to_date: str = ""
    appliance_type: str = ""
    provider: str = ""
    patient: str = ""
    lot: str = ""


@dataclass(frozen=True)
class ManagerReport:
    kind: str
    report: Report
    extra: tuple[Report, ...] = ()  # printed after the report (supply costs per provider)
    charts: CostCharts | None = None  # supply costs: per case type and per month
    order_total: Decimal | None = None  # low stock: the order list's total


def usage_filter(tx: Tx, filters: ReportFilters) -> UsageFilter:
    """The usage report's filter (`kiosk report usage --from --to --type --provider`)."""
    start = parse_iso_date(filters.from_date, "The from date")
    end = parse_iso_date(filters.to_date, "The to date")
    if start and end and start > end:
        raise ValidationError(f"The from date {start} is after the to date {end}; swap them.")
    kind = filters.appliance_type.strip()
    provider = filters.provider.strip()
    return UsageFilter(from_date=start, to_date=end,
                       appliance_type=parse_appliance_type(kind) if kind else None,
                       used_by=find_staff(tx, provider).id if provider else None)


def suggested_order_quantity(row: reports.Row) -> int:
    """The order list's quantity for a low-stock report row."""
    return rules.suggested_order_quantity(row["quantityOnHand"], row["reorderPoint"],
                                          row["reorderQuantity"])


def with_order_list(report: Report) -> tuple[Report, Decimal]:
    """The low-stock report with each row's order quantity and cost; and the order total."""
    rows, total = [], ZERO
    for row in report.rows:
        quantity = suggested_order_quantity(row)
        cost = (row["unitCost"] or ZERO) * quantity
        total += cost
        rows.append(row | {"orderQuantity": quantity, "orderCost": cost})
    return replace(report, columns=(*report.columns, *ORDER_COLUMNS), rows=rows), total


def report_extras(ctx: ServiceContext, actor: str | None, kind: str, patient: str | None = None,
                  charts: CostCharts | None = None) -> tuple[Report, ...]:
    """The tables printed after a report: for supply costs, the cost per provider and the
    figures of the two charts (per case type and per month)."""
    if kind != "supply-costs":
        return ()
    charts = charts or cost_charts(ctx, actor, patient or None)
    return (provider_costs(ctx, actor, patient or None), *chart_tables(charts))


def manager_report(ctx: ServiceContext, actor: str | None, kind: str,
                   filters: ReportFilters = ReportFilters()) -> ManagerReport:
    """Report ``kind`` (one of ``KINDS``) for ``actor``, who needs inventory:read and
    appliance:read."""
    if kind not in KINDS:
        raise ValidationError(f"Unknown report {kind!r}; pick one of {', '.join(KINDS)}.")
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        where = usage_filter(tx, filters) if kind == "usage" else ANY_USAGE
        lot, sku = read_lot(tx, filters.lot) if kind == "lot-tracking" else ("", None)
    patient = filters.patient.strip() or None
    if kind == "usage":
        return ManagerReport(kind, reports.usage_report(ctx, actor, where))
    if kind == "supply-costs":
        charts = cost_charts(ctx, actor, patient)
        return ManagerReport(kind, reports.supply_costs(ctx, actor, patient),
                             report_extras(ctx, actor, kind, patient, charts), charts)
    if kind == "low-stock":
        report, total = with_order_list(reports.low_stock(ctx, actor))
        return ManagerReport(kind, report, order_total=total)
    report = reports.lot_tracking(ctx, actor, lot)
    if sku is not None:  # a scan named the item too
        report = replace(report, rows=[r for r in report.rows if r["sku"] == sku])
    return ManagerReport(kind, report)


def providers(ctx: ServiceContext, actor: str | None) -> list[tuple[str, str]]:
    """(staff id, name) of everyone who may place supplies, by name: the usage report's
    provider choices (inventory:read and appliance:read, like the reports)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        staff = [s for s in tx.all_staff() if has_permission(s.role, Permission.APPLIANCE_UPDATE)]
    return [(s.id, s.name) for s in sorted(staff, key=lambda s: s.name.casefold())]
