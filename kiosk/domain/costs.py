"""Supply cost summaries per patient and treatment plan, netting voids (rule 6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from kiosk.domain.model import CostCategory, Usage


@dataclass
class CostSummary:
    patient_id: str
    treatment_plan_id: str | None
    costs: dict[CostCategory, Decimal] = field(
        default_factory=lambda: {c: Decimal(0) for c in CostCategory}
    )
    period_start: datetime | None = None
    period_end: datetime | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.costs.values(), Decimal(0))

    def add(self, usage: Usage, sign: int = 1) -> None:
        self.costs[usage.cost_category] += sign * usage.line_cost
        if self.period_start is None or usage.usage_date < self.period_start:
            self.period_start = usage.usage_date


def summarize_costs(usages: Iterable[Usage], voided_ids: set[str]) -> list[CostSummary]:
    """One summary per (patient, treatment plan); a voided usage contributes nothing."""
    summaries: dict[tuple[str, str | None], CostSummary] = {}
    for usage in usages:
        key = (usage.patient_id, usage.treatment_plan_id)
        summary = summaries.setdefault(key, CostSummary(*key))
        if usage.id in voided_ids:
            if summary.period_start is None or usage.usage_date < summary.period_start:
                summary.period_start = usage.usage_date
            continue
        summary.add(usage)
    return list(summaries.values())
