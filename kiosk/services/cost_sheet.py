"""A patient's cost sheet: every usage line, voids shown and netted, subtotals per
SupplyCostSummary category and the total, computed by the same ``summarize_costs`` as
`kiosk report supply-costs`, so the two agree to the cent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.costs import summarize_costs
from kiosk.domain.errors import NotFound
from kiosk.domain.model import CostCategory, Patient
from kiosk.domain.permissions import Permission
from kiosk.services.clinic_reads import Scope, read_usages
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader, find_patient
from kiosk.services.ports import UsageFilter
from kiosk.services.reports import Report


@dataclass(frozen=True)
class CostLine:
    usage_date: date
    appliance_type: str
    sku: str
    item: str
    lot: str | None
    quantity: int
    unit_cost: Decimal | None
    extended: Decimal
    category: CostCategory
    voided: bool = False
    note: str = ""


@dataclass
class PlanSection:
    treatment_plan_id: str | None
    lines: list[CostLine] = field(default_factory=list)
    subtotals: dict[CostCategory, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    period_start: date | None = None
    period_end: date | None = None


@dataclass
class CostSheet:
    patient: Patient
    sections: list[PlanSection]
    printed_on: date
    scope: Scope | None = None  # the clinic's ledger, or this kiosk's only

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.sections), Decimal(0))


def cost_sheet(ctx: ServiceContext, actor: str | None, patient_ref: str,
               treatment_plan: str | None = None) -> CostSheet:
    """One section per treatment plan of the patient (only ``treatment_plan`` when given).

    A voided usage appears as its own line (marked void) followed by a negative void line,
    so the lines add up to the net; the subtotals and total are the report's figures."""
    zone = ZoneInfo(ctx.settings.timezone)
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        patient = find_patient(tx, patient_ref)
    read = read_usages(ctx, UsageFilter(patient_id=patient.id))
    usages = [u for u in read.usages
              if treatment_plan is None or u.treatment_plan_id == treatment_plan]
    if treatment_plan is not None and not usages:
        raise NotFound(f"Patient {patient.chart_number} has no usage under treatment plan "
                       f"{treatment_plan}.")
    voided, voids = read.voided, read.voids
    with ctx.store.read() as tx:
        items = {item_id: tx.item(item_id) for item_id in {u.inventory_item_id for u in usages}}
    summaries = {s.treatment_plan_id: s for s in summarize_costs(usages, voided)}
    sections: dict[str | None, PlanSection] = {}
    for u in usages:
        section = sections.setdefault(u.treatment_plan_id, PlanSection(u.treatment_plan_id))
        item = items[u.inventory_item_id]
        day = _local(u.usage_date, zone)
        line = CostLine(day, u.appliance_type.value, item.sku if item else u.inventory_item_id,
                        item.name if item else "", u.lot_number, u.quantity, u.unit_cost,
                        u.line_cost, u.cost_category, voided=u.id in voided)
        section.lines.append(line)
        void = voids.get(u.id)
        if void is not None:
            section.lines.append(CostLine(
                _local(void.voided_at, zone), u.appliance_type.value, line.sku, line.item,
                u.lot_number, -u.quantity, u.unit_cost, -u.line_cost, u.cost_category,
                voided=True, note=f"Void: {void.reason}"))
        dates = [ln.usage_date for ln in section.lines]
        section.period_start, section.period_end = min(dates), max(dates)
    for key, section in sections.items():
        summary = summaries[key]
        section.subtotals = dict(summary.costs)
        section.total = summary.total
    return CostSheet(patient, list(sections.values()), ctx.today(), read.scope)


def _local(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def provider_costs(ctx: ServiceContext, actor: str | None,
                   patient_ref: str | None = None) -> Report:
    """Net supply cost per provider (who placed the supplies), voids left out: the
    supply-costs report's "per provider" view (appliance:read)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        where = (UsageFilter(patient_id=find_patient(tx, patient_ref).id) if patient_ref
                 else UsageFilter())
    read = read_usages(ctx, where)
    totals: dict[str, dict[str, Any]] = {}
    for u in read.usages:
        if u.id in read.voids:
            continue
        row = totals.setdefault(u.used_by, {"cases": set(), "quantity": 0,
                                            "totalCost": Decimal(0)})
        row["cases"].add((u.patient_id, u.treatment_plan_id))
        row["quantity"] += u.quantity
        row["totalCost"] += u.line_cost
    with ctx.store.read() as tx:
        names = {sid: (member.name if (member := tx.staff_by_id(sid)) else sid)
                 for sid in totals}
    rows = [{"provider": names[sid], "cases": len(r["cases"]), "quantity": r["quantity"],
             "totalCost": r["totalCost"]} for sid, r in totals.items()]
    rows.sort(key=lambda r: (-r["totalCost"], r["provider"]))
    return Report("Supply costs per provider", ("provider", "cases", "quantity", "totalCost"),
                  rows, read.scope)
