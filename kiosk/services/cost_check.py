"""Patient supply costs cross-checked with the central SupplyCostSummary (issue 15 item 1).

The supply-costs report is computed from the ledger. Every push also adds to the patient's
SupplyCostSummary document centrally, which the practice system reads; the two must agree.
They are compared on what the server holds: the costs of the usages read centrally (voids
recorded centrally netted) against the summary documents. This kiosk's usages and voids
not pushed yet are in the report but not yet in either, so they never count as a mismatch.

A row is marked ``summaryMatches`` True or False with the document's figures beside it
(``centralSummary``: each category and totalCost, or None when there is no document); each
disagreement is also one sentence in the report's notes, printed under its title. When the
report was not read centrally, or the summaries could not be read, nothing is claimed
(``summaryMatches`` is None; a note says why in the second case).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kiosk.domain.costs import CostSummary, summarize_costs
from kiosk.domain.errors import CentralRefused, CentralUnavailable
from kiosk.domain.model import CostCategory
from kiosk.services.clinic_ledger import CentralCostSummary
from kiosk.services.clinic_reads import LedgerRead
from kiosk.services.context import ServiceContext

Key = tuple[str, str | None]  # (patient id, treatment plan id)
ZERO = Decimal(0)


@dataclass(frozen=True)
class SummaryCheck:
    matches: bool | None  # None: not checked
    central: dict[str, Decimal] | None = None  # the document's figures (None: no document)


# (field, the summary's figure or None when there is no document, the ledger's)
Difference = tuple[str, Decimal | None, Decimal]


@dataclass(frozen=True)
class CostCheck:
    rows: dict[Key, SummaryCheck] = field(default_factory=dict)
    mismatches: tuple[tuple[Key, CentralCostSummary | None, list[Difference]], ...] = ()
    checked: bool = False
    failed: str = ""  # why the summaries could not be read

    def of(self, key: Key) -> SummaryCheck:
        """The check of one report row (a case with nothing central yet agrees)."""
        return self.rows.get(key, SummaryCheck(True if self.checked else None))

    def notes(self, chart: Callable[[str], str]) -> tuple[str, ...]:
        """One sentence per disagreement, patients named by ``chart`` (id -> chart number)."""
        if self.failed:
            return (f"The central SupplyCostSummary could not be read to cross-check these "
                    f"costs ({self.failed}).",)
        return tuple(_sentence(key, chart, document, differences)
                     for key, document, differences in self.mismatches)


def cross_check(ctx: ServiceContext, read: LedgerRead, patient_id: str | None) -> CostCheck:
    """Compare the central part of ``read`` with the clinic's summaries (of ``patient_id``
    when given). Asks the server: call it outside any local transaction."""
    if ctx.ledger is None or read.central is None:
        return CostCheck()
    try:
        documents = ctx.ledger.cost_summaries(patient_id)
    except (CentralUnavailable, CentralRefused) as error:
        return CostCheck(failed=str(error))
    ledger = {(s.patient_id, s.treatment_plan_id): s for s in summarize_costs(
        [e.usage for e in read.central], {e.usage.id for e in read.central if e.void})}
    stored = {(d.patient_id, d.treatment_plan_id): d for d in documents}
    rows: dict[Key, SummaryCheck] = {}
    mismatches = []
    for key in sorted(ledger.keys() | stored.keys(), key=lambda k: (k[0], k[1] or "")):
        document = stored.get(key)
        differences = _differences(ledger.get(key), document)
        rows[key] = SummaryCheck(not differences, _figures(document) if document else None)
        if differences:
            mismatches.append((key, document, differences))
    return CostCheck(rows, tuple(mismatches), checked=True)


def _differences(ledger: CostSummary | None,
                 document: CentralCostSummary | None) -> list[Difference]:
    """(field, the summary's figure or None when missing, the ledger's) that disagree."""
    want = {c.value: (ledger.costs[c] if ledger else ZERO) for c in CostCategory}
    want["totalCost"] = ledger.total if ledger else ZERO
    if document is None:
        return [] if not any(want.values()) else [("totalCost", None, want["totalCost"])]
    have = _figures(document)
    return [(name, have[name], want[name]) for name in want if have[name] != want[name]]


def _figures(document: CentralCostSummary) -> dict[str, Decimal]:
    return {c.value: document.costs[c] for c in CostCategory} | {"totalCost": document.total}


def _sentence(key: Key, chart: Callable[[str], str], document: CentralCostSummary | None,
              differences: list[Difference]) -> str:
    patient, plan = key
    case = chart(patient) + (f" (treatment plan {plan})" if plan else "")
    if document is None:
        return (f"There is no central SupplyCostSummary for {case}; the central ledger adds "
                f"up to {_money(differences[0][2])}.")
    told = ", ".join(f"{name} {_money(have or ZERO)} there, {_money(want)} in the ledger"
                     for name, have, want in differences)
    return f"The central SupplyCostSummary of {case} disagrees with the central ledger: {told}."


def _money(value: Decimal) -> str:
    cents = value.quantize(Decimal("0.01"))
    return format(cents if cents == value else value.normalize(), "f")
