"""The daily recall watch inside the sync service (issue 16): due once a day after a clean
round, an outage is one sentence in the sync state and a retry later, never a crash."""

from __future__ import annotations

from datetime import timedelta

from test_sync_service import FakeCentral, ScriptedPush

from kiosk.domain.errors import CentralUnavailable
from kiosk.services.recall_watch import DailyRecallWatch, WatchReport
from kiosk.services.recall_watch_ports import RecallFeedUnavailable
from kiosk.services.sync import SyncService

DOWN = RecallFeedUnavailable("openFDA at http://127.0.0.1:9 cannot be reached (refused); "
                             "nothing was changed and the watch tries again next time.")


class ScriptedWatch:
    """A watch run that fails or reports as scripted, and remembers its last good run."""

    def __init__(self, clinic, *outcomes) -> None:
        self.clinic, self.outcomes, self.runs, self.last = clinic, list(outcomes), 0, None

    def run(self) -> WatchReport:
        self.runs += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        self.last = self.clinic.clock.now()
        return outcome


def sync_with(clinic, watch, central=None) -> SyncService:
    daily = DailyRecallWatch(clinic.ctx, watch.run, lambda: watch.last)
    return SyncService(clinic.ctx, central or FakeCentral(), push=ScriptedPush(),
                       clock=clinic.clock, recall_watch=daily)


def test_an_outage_is_a_sentence_in_the_state_and_retried_an_hour_later(clinic):
    watch = ScriptedWatch(clinic, DOWN, WatchReport(2, ["Z-1"], 1))
    sync = sync_with(clinic, watch)
    report = sync.run_once()
    assert report.error is None and report.online  # the round itself went through
    assert sync.state.recall_watch == f"Recall watch: {DOWN} It runs again within the hour."
    sync.run_once()  # the next round, a minute later: openFDA is not asked again yet
    assert watch.runs == 1
    clinic.clock.at += timedelta(hours=1)
    sync.run_once()
    assert watch.runs == 2
    assert sync.state.recall_watch == ("Recall watch: 1 new recall(s), 0 alert(s) raised, "
                                       "1 already handled.")
    clinic.clock.at += timedelta(hours=23)
    sync.run_once()  # a day after the last good run, not before
    assert watch.runs == 2


def test_the_watch_waits_while_the_central_server_is_unreachable(clinic):
    watch = ScriptedWatch(clinic, WatchReport(0))
    sync = SyncService(clinic.ctx, FakeCentral(),
                       push=lambda ctx, central: (_ for _ in ()).throw(
                           CentralUnavailable("The central server cannot be reached.")),
                       clock=clinic.clock,
                       recall_watch=DailyRecallWatch(clinic.ctx, watch.run, lambda: None))
    sync.run_once()
    assert watch.runs == 0 and sync.state.recall_watch is None


def test_a_bug_in_the_watch_never_ends_the_round(clinic):
    watch = ScriptedWatch(clinic, RuntimeError("boom"))
    sync = sync_with(clinic, watch)
    report = sync.run_once()
    assert report.error is None
    assert sync.state.recall_watch == "The recall watch failed unexpectedly; see the kiosk log."
