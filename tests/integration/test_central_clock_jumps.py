"""Order survives clock jumps (issue 14, item 4): the kiosk's wall clock set wrong, then put
right, while pushes fail and succeed, against the test central server.

A push that fails must not hold its events until some wall-clock time: set the clock back
and the held events would wait out the correction while the events recorded after them
went ahead, and a void sent ahead of its usage is quarantined for good ("voids a usage the
server does not have") while the usage later lands unvoided. After every scenario: the
events were pushed in ``kioskSeq`` order, every usage and void the kiosk recorded is central
exactly once, none is quarantined or left queued, and `kiosk audit` finds no drift. The
counts go to the fault report (docs/RELIABILITY.md), so these run with ``pytest -m faults``.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fault_sync import audit_drifts, central_counts
from test_central_rewind import Kiosk, assert_exactly_once, kiosk_at

from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect
from kiosk.app import KioskApp
from kiosk.bootstrap import build, load_config
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.context import ServiceContext
from kiosk.services.corrections import void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.sync import SyncService
from kiosk.services.sync_push import push_pending
from kiosk.services.sync_status import SyncReport

pytestmark = pytest.mark.faults

SCAN = "(01)00812345671018(10)B25E392"
APPLIANCE = "64b300000000000000000004"  # C-10239's PLACED bracket appliance
ASSISTANT, MANAGER = "B1001", "B1008"
DAY = timedelta(days=1)


def tally(fault_report, **counts: int) -> None:
    """Add ``counts`` to this run's "clock_jumps" section of the fault report."""
    section = fault_report["sections"].setdefault("clock_jumps", {})
    for name, n in counts.items():
        section[name] = section.get(name, 0) + n


class WallClock:
    """The kiosk's wall clock, set by hand as a person (or a bad time server) would."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


@dataclass
class Chair:
    """One kiosk on its own SQLite file with a wall clock the test sets, its CLI (for
    `kiosk audit`), its central store and the same store behind a dead address."""

    cli: Kiosk
    app: KioskApp
    clock: WallClock
    central: MongoCentral
    unreachable: MongoCentral
    usages: list[str]
    voids: list[str]

    @property
    def ctx(self) -> ServiceContext:
        return self.app.context

    def deduct(self, qty: int = 1) -> str:
        [usage] = deduct_for_appliance(self.ctx, ASSISTANT, PlaceSupplies(
            patient="C-10239", appliance_type="BRACKET", appliance_id=APPLIANCE,
            scans=[SCAN], quantity=qty))
        self.usages.append(usage.id)
        return usage.id

    def void(self, usage_id: str, actor: str = MANAGER) -> str:
        void = void_usage(self.ctx, actor, usage_id, "scanned the wrong box")
        self.voids.append(void.id)
        return void.id

    def failed_push(self) -> None:
        """A push while the server cannot be reached (the events it tried stay queued)."""
        with pytest.raises(CentralUnavailable):
            push_pending(self.ctx, self.unreachable)

    def sync(self, batch_size: int = 500) -> SyncReport:
        """One whole sync round (claim, push, pull, heartbeat), checked for order: nothing
        is acknowledged while an event recorded before it is still queued."""
        service = SyncService(self.ctx, self.central, clock=self.clock,
                              push=lambda ctx, central: push_pending(ctx, central, batch_size))
        report = service.run_once()
        assert_in_seq_order(self)
        return report


def assert_in_seq_order(chair: Chair) -> None:
    by_seq = sorted(chair_outbox(chair))
    waiting = [seq for seq, state in by_seq if state != "ACKNOWLEDGED"]
    done = [seq for seq, state in by_seq if state == "ACKNOWLEDGED"]
    if waiting and done:
        assert max(done) < min(waiting), f"an event went ahead of one before it: {by_seq}"


def chair_outbox(chair: Chair) -> list[tuple[int, str]]:
    """(kiosk seq, state) of every outbox row, read straight from the SQLite file."""
    uri = f"{chair.cli.database.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return [(seq, state) for seq, state in conn.execute(
            "SELECT kiosk_seq, state FROM outbox")]


@pytest.fixture
def chair(tmp_path, capsys, central_uri, demo_csvs) -> Iterator[Chair]:
    cli = kiosk_at(tmp_path, capsys, central_uri, "chair-1")
    cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    assert cli.sync()["code"] == 0
    clock = WallClock()
    app = build(load_config(cli.config), clock=clock, config_path=cli.config)
    with app.context.store.read() as tx:
        identity = tx.identity()
    central = MongoCentral.from_uri(central_uri, identity.clinic_id, identity.kiosk_id)
    dead = connect(f"mongodb://127.0.0.1:{closed_port()}/kiosk",
                   serverSelectionTimeoutMS=300, connectTimeoutMS=300)
    unreachable = MongoCentral(dead, identity.clinic_id, identity.kiosk_id)
    yield Chair(cli, app, clock, central, unreachable, [], [])
    central.close()
    unreachable.close()
    app.context.store.close()


def assert_settled(chair: Chair, uri: str) -> int:
    """Nothing queued or quarantined, each event central once (voids on their usages),
    `kiosk audit` 0 drift; returns the usages central."""
    report = chair.sync()
    assert report.error is None, report.error
    assert (report.remaining, report.quarantined) == (0, 0), report
    states = {state for _, state in chair_outbox(chair)}
    assert states == {"ACKNOWLEDGED"}, states
    assert audit_drifts(chair.cli) == []
    central = assert_exactly_once(uri, chair.cli.database)
    assert central == len(chair.usages)
    events = {event_id: seq for event_id, seq in chair_events(chair)}
    counts = central_counts(chair.central.db, str(chair.central.kiosk_id), events)
    assert (counts["found"], counts["lost"], counts["duplicated"]) == (len(events), 0, 0)
    return central


def chair_events(chair: Chair) -> list[tuple[str, int]]:
    """(event id, kiosk seq) of every event the kiosk recorded in this test."""
    uri = f"{chair.cli.database.resolve().as_uri()}?mode=ro"
    wanted = set(chair.usages) | set(chair.voids)
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        rows = conn.execute("SELECT event_id, kiosk_seq FROM outbox").fetchall()
    found = [(event_id, seq) for event_id, seq in rows if event_id in wanted]
    assert len(found) == len(wanted)
    return found


def test_a_fast_clock_put_back_does_not_hold_the_events_of_a_failed_push(chair, central_uri,
                                                                          fault_report):
    """The clock runs a day fast, a push fails; the clock is put right, and the usage held
    by that failure is voided: the next round sends all of it, the usage before its void."""
    true_now = chair.clock.now()
    chair.clock.set(true_now + DAY)
    first = chair.deduct()
    chair.deduct(2)
    chair.failed_push()
    chair.clock.set(true_now)  # corrected
    chair.void(first, actor=ASSISTANT)  # her own usage, "a day ahead": still hers to void
    chair.deduct()

    report = chair.sync()

    assert (report.error, report.pushed, report.quarantined, report.remaining) == (
        None, 4, 0, 0), report
    assert assert_settled(chair, central_uri) == 3
    tally(fault_report, scenarios=1, jumps=2, failed_pushes=1, usages=len(chair.usages),
          voids=len(chair.voids), lost=0, duplicated=0, stuck=0)


def test_a_clock_set_back_then_corrected_keeps_a_void_behind_its_usage(chair, central_uri,
                                                                         fault_report):
    """A push fails at the right time; the clock is then set back a day (a dead CMOS
    battery, a wrong time server): the held usage is voided and more is recorded; then the
    clock is put right again. No event waits for the wall clock to come back."""
    true_now = chair.clock.now()
    held = chair.deduct(2)
    chair.failed_push()
    chair.clock.set(true_now - DAY)
    chair.void(held, actor=ASSISTANT)
    chair.deduct()

    behind = chair.sync()

    assert (behind.error, behind.pushed, behind.quarantined, behind.remaining) == (
        None, 3, 0, 0), behind
    chair.clock.set(true_now + timedelta(minutes=5))  # corrected
    later = chair.deduct()
    chair.void(later, actor=ASSISTANT)
    assert assert_settled(chair, central_uri) == 3
    tally(fault_report, scenarios=1, jumps=2, failed_pushes=1, usages=len(chair.usages),
          voids=len(chair.voids), lost=0, duplicated=0, stuck=0)


JUMPS = [-3 * DAY, +2 * DAY, -timedelta(hours=7), +timedelta(minutes=3), -30 * DAY, +31 * DAY]


def test_repeated_jumps_across_failed_pushes_and_batches(chair, central_uri, fault_report):
    """Jumps back and forth, a failed push after each, voids of usages held by earlier
    failures, and rounds in batches of three so a usage and its void fall in different
    batches: every round goes strictly in kioskSeq order."""
    true_now = chair.clock.now()
    at = true_now
    for step, jump in enumerate(JUMPS):
        chair.deduct()
        chair.deduct(2)
        chair.failed_push()
        at += jump
        chair.clock.set(at)
        chair.void(chair.usages[-2])  # a manager: some are "older" than the chairside window
        chair.deduct()
        if step % 2:
            report = chair.sync(batch_size=3)
            assert (report.error, report.quarantined, report.remaining) == (None, 0, 0), report
    chair.clock.set(true_now)
    assert assert_settled(chair, central_uri) == 3 * len(JUMPS)
    tally(fault_report, scenarios=1, jumps=len(JUMPS) + 1, failed_pushes=len(JUMPS),
          usages=len(chair.usages), voids=len(chair.voids), lost=0, duplicated=0, stuck=0)
