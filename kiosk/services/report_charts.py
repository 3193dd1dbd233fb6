"""The supply-cost charts of the reports screen: net cost per case type and per month.

A case's type is the appliance type the supplies were placed for (a bonding agent used for a
bracket placement counts for BRACKET); a month is the calendar month of the usage in the
clinic's time zone. Voided usages count for nothing (rule 6), so both charts add up to the
supply-costs report's total for the same patient filter, to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk.domain.model import ApplianceType, Usage
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader, find_patient
from kiosk.services.ports import ANY_USAGE, UsageFilter
from kiosk.services.reports import Report

ZERO = Decimal(0)


@dataclass(frozen=True)
class Bar:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class CostCharts:
    by_case_type: tuple[Bar, ...]
    by_month: tuple[Bar, ...]

    @property
    def total(self) -> Decimal:
        return sum((bar.amount for bar in self.by_case_type), ZERO)


def _live(usages: Iterable[Usage], voided: set[str]) -> list[Usage]:
    return [u for u in usages if u.id not in voided]


def cost_by_case_type(usages: Iterable[Usage], voided: set[str]) -> list[Bar]:
    """Net cost per appliance type, in the order of ``ApplianceType``; types never used are
    left out."""
    totals: dict[ApplianceType, Decimal] = {}
    for u in _live(usages, voided):
        totals[u.appliance_type] = totals.get(u.appliance_type, ZERO) + u.line_cost
    return [Bar(kind.value.capitalize(), totals[kind]) for kind in ApplianceType
            if kind in totals]


def cost_by_month(usages: Iterable[Usage], voided: set[str], timezone: str = "UTC") -> list[Bar]:
    """Net cost per calendar month (``YYYY-MM`` in ``timezone``), oldest first, months without
    usage left out."""
    zone = ZoneInfo(timezone)
    totals: dict[str, Decimal] = {}
    for u in _live(usages, voided):
        month = f"{u.usage_date.astimezone(zone):%Y-%m}"
        totals[month] = totals.get(month, ZERO) + u.line_cost
    return [Bar(month, totals[month]) for month in sorted(totals)]


def cost_charts(ctx: ServiceContext, actor: str | None, patient: str | None = None) -> CostCharts:
    """Both charts over every usage, or one patient's (appliance:read, like supply costs)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        where = UsageFilter(patient_id=find_patient(tx, patient).id) if patient else ANY_USAGE
        usages = list(tx.usages(where))
        voided = tx.voided_usage_ids()
    return CostCharts(tuple(cost_by_case_type(usages, voided)),
                      tuple(cost_by_month(usages, voided, ctx.settings.timezone)))


def chart_tables(charts: CostCharts) -> tuple[Report, Report]:
    """The charts' figures as two small tables, printed after the supply-costs report."""
    return (Report("Net supply cost per case type", ("caseType", "totalCost"),
                   [{"caseType": b.label, "totalCost": b.amount} for b in charts.by_case_type]),
            Report("Net supply cost per month", ("month", "totalCost"),
                   [{"month": b.label, "totalCost": b.amount} for b in charts.by_month]))
