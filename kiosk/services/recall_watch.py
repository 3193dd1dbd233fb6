"""The recall watch (issue 16): fetch new device recalls for the clinic's product codes and
firms, apply each once through the recall import, and raise an alert for every recall that
marked lots, until a manager acknowledges it.

Who acts: a person (``--actor``) or, on the daily run where nobody is signed in, the system
principal ``recall-watch`` acting for the manager named in ``recall_watch_authorized_by``.
That manager's permission (inventory:adjust) is checked on every run, so revoking them or
emptying the setting stops the automatic run with a sentence; the alerts record both names.

A run is resumable: records are handed over as fetched (openFDA's own objects, whichever
endpoint), the import is idempotent (a lot already RECALLED keeps its first notice), and the
ids and the run time are recorded only after the import committed. A failed fetch changes
nothing and the next run asks for the same days again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.domain.errors import ConfigError, KioskError, NotFound
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize
from kiosk.services.recall_files import RecallNotice
from kiosk.services.recall_watch_ports import (
    FILE,
    SYSTEM_PRINCIPAL,
    WATCH,
    FeedQuery,
    RecallAlert,
    RecallFeed,
    RecallWatchLog,
)
from kiosk.services.recalls import AffectedLot, Proposal, RecallOutcome

log = logging.getLogger(__name__)

FIRST_RUN_DAYS = 365  # how far back a kiosk's first run looks
OVERLAP_DAYS = 1  # openFDA posts by date: ask again for the day of the last run
DAILY = timedelta(hours=24)

ApplyFn = Callable[[str, str], RecallOutcome]  # (actor, openFDA JSON text) -> what it did


@dataclass(frozen=True)
class WatchReport:
    fetched: int
    new: list[str] = field(default_factory=list)  # ids applied this run
    repeats: int = 0  # records already handled before
    alerts: list[RecallAlert] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sentences on records left out


def recall_id(record: dict[str, object]) -> str | None:
    """The recall's number in either openFDA device format (enforcement: ``recall_number``;
    recall: ``product_res_number``)."""
    for name in ("recall_number", "product_res_number"):
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def watch_principal(ctx: ServiceContext, actor: str | None, authorized_by: str) -> Staff:
    """The staff member whose authority the run uses: ``actor``, else the configured one."""
    ref = actor or authorized_by
    if not ref:
        raise ConfigError("The automatic recall watch needs recall_watch_authorized_by: the "
                          "badge of a manager who may mark lots recalled (inventory:adjust); "
                          "or run `kiosk recall watch --actor BADGE`.")
    with ctx.store.read() as tx:
        return authorize(tx, ref, Permission.INVENTORY_ADJUST)


def run_watch(ctx: ServiceContext, feed: RecallFeed, watch_log: RecallWatchLog,
              apply: ApplyFn, *, product_codes: tuple[str, ...], firms: tuple[str, ...],
              actor: str | None = None, authorized_by: str = "") -> WatchReport:
    """One watch run; ``RecallFeedUnavailable``/``ConfigError``/``ValidationError`` (one
    sentence each) leave everything as it was. Talks to the network and the store."""
    if not product_codes and not firms:
        raise ConfigError("The recall watch has nothing to watch: set recall_product_codes "
                          "(e.g. DYW) or recall_firms in the kiosk config.")
    staff = watch_principal(ctx, actor, authorized_by)
    today = ctx.today()
    last = watch_log.last_run()
    since = (last.date() - timedelta(days=OVERLAP_DAYS) if last
             else today - timedelta(days=FIRST_RUN_DAYS))
    records = feed.fetch(FeedQuery(product_codes, firms, since, today))
    fresh, repeats, skipped = _new_records(records, watch_log)
    alerts: list[RecallAlert] = []
    if fresh:
        outcome = apply(staff.id, json.dumps({"results": list(fresh.values())}))
        applied_by = staff.id if actor else SYSTEM_PRINCIPAL
        alerts = alerts_for(outcome.affected, ctx.now(), applied_by, staff.id, WATCH,
                            review=outcome.review, notices=outcome.notices)
    raised = watch_log.record_run(ctx.now(), fresh, alerts)
    for note in skipped:
        log.warning("Recall watch: %s", note)
    return WatchReport(len(records), list(fresh), repeats, raised, skipped)


def _new_records(records: list[dict[str, object]], watch_log: RecallWatchLog,
                 ) -> tuple[dict[str, dict[str, object]], int, list[str]]:
    by_id: dict[str, dict[str, object]] = {}
    skipped = []
    for n, record in enumerate(records):
        number = recall_id(record)
        if number is None:
            skipped.append(f"record {n + 1} of the feed has no recall number and was left "
                           "out.")
            continue
        by_id.setdefault(number, record)
    seen = watch_log.seen(by_id)
    fresh = {number: r for number, r in by_id.items() if number not in seen}
    return fresh, len(records) - len(skipped) - len(fresh), skipped


def alerts_for(affected: Iterable[AffectedLot], at: datetime, applied_by: str,
               authorized_by: str, source: str = FILE, *,
               review: Iterable[Proposal] = (),
               notices: Iterable[RecallNotice] = ()) -> list[RecallAlert]:
    """One alert per recall that marked lots or may mean some (its name-only matches, which
    nobody may be there to see when the daily watch finds them), keeping the recall's
    identifiers from its record. A file import raises the same as the watch."""
    lots: dict[str, set[tuple[str, str]]] = {}
    named: dict[str, RecallNotice] = {n.recall_number: n for n in notices}
    for lot in affected:
        lots.setdefault(lot.recall_number, set()).add((lot.sku, lot.lot_number))
        if lot.notice is not None:
            named.setdefault(lot.recall_number, lot.notice)
    proposals: dict[str, list[Proposal]] = {}
    for proposal in review:
        proposals.setdefault(proposal.recall_number, []).append(proposal)
        lots.setdefault(proposal.recall_number, set())
    return [_alert(number, len(marked), at, (applied_by, authorized_by, source),
                   named.get(number, _UNNAMED), review=proposals.get(number, []))
            for number, marked in lots.items()]


_UNNAMED = RecallNotice(recall_number="", code_info="")  # a recall its lots do not describe


def _alert(number: str, marked: int, at: datetime, by: tuple[str, str, str],
           notice: RecallNotice, *, review: list[Proposal]) -> RecallAlert:
    applied_by, authorized_by, source = by
    return RecallAlert(number, marked, at, applied_by, authorized_by, source,
                       event_number=notice.event_number, firm=notice.firm,
                       classification=notice.classification, status=notice.status,
                       reason=notice.reason, to_review=len(review),
                       review=review_text(review))


def review_text(review: list[Proposal]) -> str:
    """The name-only matches in one sentence ("" when none)."""
    if not review:
        return ""
    parts = [f"{p.sku} lot{'s' if len(p.lot_numbers) != 1 else ''} "
             f"{', '.join(p.lot_numbers)} ({p.item_name})" for p in review]
    return (f"May mean {'; '.join(parts)}: only the description's words match, so nothing "
            "was marked; check the lots and mark them recalled in Recalls if they are meant.")


def due(last_run: datetime | None, now: datetime) -> bool:
    """Whether the daily run is due."""
    return last_run is None or now - last_run >= DAILY


class DailyRecallWatch:
    """The sync service's daily run: due 24 h after the last successful one; after a failure
    (openFDA down, a refused record) not again for ``RETRY_S``, so an outage costs one
    sentence an hour, not one a sync round. Called from the sync thread only."""

    RETRY_S = 3600.0

    def __init__(self, ctx: ServiceContext, run: Callable[[], WatchReport],
                 last_run: Callable[[], datetime | None]) -> None:
        self._ctx, self._run, self._last_run = ctx, run, last_run
        self._failed_at: datetime | None = None

    def maybe_run(self) -> str | None:
        now = self._ctx.now()
        if self._failed_at and (now - self._failed_at).total_seconds() < self.RETRY_S:
            return None
        try:
            if not due(self._last_run(), now):
                return None
            report = self._run()
        except KioskError as error:
            self._failed_at = now
            log.warning("The daily recall watch did not run: %s", error.for_log())
            return f"Recall watch: {error} It runs again within the hour."
        self._failed_at = None
        return (f"Recall watch: {len(report.new)} new recall(s), {len(report.alerts)} "
                f"alert(s) raised, {report.repeats} already handled.")


def acknowledge(ctx: ServiceContext, watch_log: RecallWatchLog, actor: str,
                recall_number: str) -> RecallAlert:
    """A manager (inventory:adjust) acknowledges a recall's alert: who and when are kept."""
    with ctx.store.read() as tx:
        staff = authorize(tx, actor, Permission.INVENTORY_ADJUST)
    alert = watch_log.acknowledge(recall_number.strip(), staff.id, ctx.now())
    if alert is None:
        raise NotFound(f"No recall alert has the number {recall_number!r}.")
    return alert
