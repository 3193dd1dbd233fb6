"""The sync service and the catalog pull, against the in-memory store and a fake central."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

import pytest
from clinic_data import ID, NOW, gs1

import kiosk
from kiosk.domain.errors import CentralRefused, CentralUnavailable, LotBlocked
from kiosk.domain.model import LotStatus, Vendor, VendorOffer
from kiosk.services.corrections import adjust_stock, void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.sync import SyncService, backoff_delay, wait_for
from kiosk.services.sync_ports import PULL_ORDER, CentralStore, PulledPage, PushOutcome
from kiosk.services.sync_pull import CatalogDataError, pull_catalog
from kiosk.services.sync_status import Connection, SyncState

COLLECTION_OF = {"Vendor": "Vendor", "Item": "InventoryItem", "Lot": "InventoryLot",
                 "Staff": "Staff", "Patient": "Patient", "ApplianceRecord": "ApplianceRecord"}


class FakeCentral(CentralStore):
    """One clinic's catalog as (rev, record) per collection; every publish takes a new rev."""

    def __init__(self) -> None:
        self.rev = 0
        self.version = 1
        self.docs: dict[str, dict[str, tuple[int, object]]] = {c: {} for c in PULL_ORDER}
        self.heartbeats = []
        self.heartbeat_error: Exception | None = None
        self.pulls: list[tuple[str, int]] = []

    def publish(self, *records) -> None:
        for record in records:
            self.rev += 1
            self.docs[COLLECTION_OF[type(record).__name__]][record.id] = (self.rev, record)

    def publish_catalog_of(self, store) -> None:
        with store.read() as tx:
            items = tx.all_items()
            lots = [lot for item in items for lot in tx.lots_for_item(item.id)]
            vendor_ids = {o.vendor_id for i in items for o in i.offers}
            vendor_ids |= {lot.vendor_id for lot in lots if lot.vendor_id}
            patients = tx.all_patients()
            self.publish(*[tx.vendor_by_id(v) for v in sorted(vendor_ids)], *items, *lots,
                         *tx.all_staff(), *patients,
                         *[a for p in patients for a in tx.appliances_for_patient(p.id)])

    def pull(self, collection, after_rev, limit):
        self.pulls.append((collection, after_rev))
        newer = sorted((rev, r) for rev, r in self.docs[collection].values() if rev > after_rev)
        page = newer[:limit]
        return PulledPage(collection, [r for _, r in page], page[-1][0] if page else None)

    def push(self, events):
        return PushOutcome(acknowledged=[e.event_id for e in events])

    def schema_version(self):
        return self.version

    def heartbeat(self, status):
        if self.heartbeat_error:
            raise self.heartbeat_error
        self.heartbeats.append(status)

    def audit(self):
        return []


@dataclass(frozen=True)
class Pushed:
    pushed: int = 0
    quarantined: int = 0
    remaining: int = 0


class ScriptedPush:
    """Plays its outcomes in order (an exception is raised), then reports nothing to push."""

    def __init__(self, *outcomes) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, ctx, central):
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else Pushed()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Waits:
    """A fake ``wait``: records each delay and stops the loop after ``rounds`` waits."""

    def __init__(self, rounds: int, on_wait=None) -> None:
        self.rounds, self.on_wait, self.delays = rounds, on_wait, []

    def __call__(self, seconds, stop, wake):
        self.delays.append(seconds)
        if self.on_wait:
            self.on_wait(seconds)
        if len(self.delays) >= self.rounds:
            stop.set()


def service(clinic, central=None, push=None, **kw) -> SyncService:
    return SyncService(clinic.ctx, central or FakeCentral(), push=push or ScriptedPush(),
                       clock=clinic.clock, **kw)


def place(clinic, scan, quantity=1):
    command = PlaceSupplies(patient="C-1", appliance_type="BRACKET", scans=[scan],
                            quantity=quantity)
    [usage] = deduct_for_appliance(clinic.ctx, "B1", command)
    return usage


UNAVAILABLE = CentralUnavailable("The central server cannot be reached.")
REFUSED = CentralRefused("The central server refused the kiosk's credentials.")


# backoff

def test_backoff_doubles_from_one_second_up_to_the_cap_with_full_jitter():
    ceilings = [backoff_delay(n, rand=lambda: 1.0) for n in range(1, 13)]
    assert ceilings == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert backoff_delay(4, rand=lambda: 0.25) == 2.0
    assert backoff_delay(10_000, rand=lambda: 0.5) == 150.0  # no overflow after days offline
    assert backoff_delay(1, rand=lambda: 0.0) == 0.0


def test_unavailable_server_is_retried_forever_with_jittered_capped_backoff(clinic):
    draws = iter([0.5, 1.0] * 50)
    push = ScriptedPush(*[UNAVAILABLE] * 40)
    waits = Waits(rounds=40)
    sync = service(clinic, push=push, wait=waits, rand=lambda: next(draws))
    sync.run_forever(threading.Event(), interval_s=60)
    assert push.calls == 40  # never gave up
    ceilings = [min(300, 2 ** n) for n in range(40)]
    assert waits.delays == [c * (0.5 if n % 2 == 0 else 1.0) for n, c in enumerate(ceilings)]
    assert max(waits.delays) == 300
    assert sync.state.connection is Connection.OFFLINE
    assert sync.state.last_error == str(UNAVAILABLE)


def test_backoff_resets_once_the_server_answers(clinic):
    push = ScriptedPush(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, Pushed(2, 0, 0), UNAVAILABLE)
    waits = Waits(rounds=5)
    sync = service(clinic, push=push, wait=waits, rand=lambda: 1.0)
    sync.run_forever(threading.Event(), interval_s=30)
    assert waits.delays == [1, 2, 4, 30, 1]


class FlakyCentral(FakeCentral):
    """Raises ``failures`` in turn on push, then takes everything; notes each push's seqs."""

    def __init__(self, *failures) -> None:
        super().__init__()
        self.failures = list(failures)
        self.pushed: list[list[int]] = []

    def push(self, events):
        if self.failures:
            raise self.failures.pop(0)
        self.pushed.append([e.kiosk_seq for e in events])
        return super().push(events)


def test_a_failed_round_waits_its_backoff_not_a_wall_clock_time(clinic):
    """Issue 14, item 4: the clock is set back a day after a failed push; the next round
    still sends the failed usage, before the void of it recorded under the earlier clock."""
    central = FlakyCentral(UNAVAILABLE)
    central.publish_catalog_of(clinic.store)
    usage = place(clinic, gs1(clinic.gtin_bracket, "BR-A"), quantity=2)

    def clock_set_back(seconds):
        if seconds == 1.0:  # after the failed round, while it backs off
            clinic.clock.at = NOW - timedelta(days=1)
            void_usage(clinic.ctx, "B1", usage.id, "scanned the wrong box")

    waits = Waits(rounds=2, on_wait=clock_set_back)
    sync = SyncService(clinic.ctx, central, clock=clinic.clock, wait=waits, rand=lambda: 1.0)
    sync.run_forever(threading.Event(), interval_s=60)

    assert waits.delays == [1.0, 60]  # the backoff, then the interval: no wall-clock target
    assert central.pushed == [[usage.kiosk_seq, usage.kiosk_seq + 1]]
    assert sync.state.queue_depth == 0 and sync.state.connection is Connection.ONLINE


def test_refused_stops_automatic_rounds_and_keeps_the_cause_until_sync_now(clinic):
    push = ScriptedPush(REFUSED, Pushed(1, 0, 0))
    seen: list[SyncState] = []

    def person_presses_sync_now(seconds):
        if seconds is None:  # waiting for a person, not for a timer
            seen.append(sync.state)
            sync.sync_now()

    waits = Waits(rounds=2, on_wait=person_presses_sync_now)
    sync = service(clinic, push=push, wait=waits)
    sync.run_forever(threading.Event(), interval_s=60)
    assert waits.delays == [None, 60]
    [held] = seen
    assert held.connection is Connection.REFUSED and held.last_error == str(REFUSED)
    assert push.calls == 2
    assert sync.state.connection is Connection.ONLINE and sync.state.last_error is None


def test_a_refused_loop_on_a_real_thread_waits_for_sync_now_and_stops_on_stop(clinic):
    push = ScriptedPush(REFUSED, REFUSED, REFUSED)
    sync = service(clinic, push=push)
    stop = threading.Event()
    worker = threading.Thread(target=sync.run_forever, args=(stop, 0.01))
    worker.start()
    try:
        assert eventually(lambda: sync.state.connection is Connection.REFUSED)
        assert not eventually(lambda: push.calls > 1, timeout=0.3)  # no automatic retry
        sync.sync_now()
        assert eventually(lambda: push.calls == 2)
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()


def eventually(condition, timeout=5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_wait_for_returns_on_timeout_on_wake_and_on_stop():
    stop, wake = threading.Event(), threading.Event()
    wait_for(0.01, stop, wake)
    wake.set()
    wait_for(None, stop, wake)
    wake.clear()
    stop.set()
    wait_for(None, stop, wake)


# one round, its report and its states

def test_a_round_pushes_pulls_heartbeats_and_reports(clinic):
    central = FakeCentral()
    central.publish_catalog_of(clinic.store)
    place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    sync = service(clinic, central, push=ScriptedPush(Pushed(pushed=5, quarantined=1,
                                                             remaining=1)))
    report = sync.run_once()
    assert (report.pushed, report.quarantined, report.remaining) == (5, 1, 1)
    assert report.pulled == sum(len(docs) for docs in central.docs.values())
    assert report.online and report.error is None
    [beat] = central.heartbeats
    assert beat.version == kiosk.__version__ and beat.kiosk_id == ID(900)
    assert beat.workstation_id == "chair-1" and beat.queue_depth == 1
    assert beat.last_sync == NOW and beat.last_error is None


def test_the_default_push_drains_the_queue_before_the_pull(clinic):
    central = FakeCentral()
    central.publish_catalog_of(clinic.store)
    place(clinic, gs1(clinic.gtin_bracket, "BR-A"), quantity=2)
    sync = SyncService(clinic.ctx, central, clock=clinic.clock)
    report = sync.run_once()
    assert (report.pushed, report.quarantined, report.remaining) == (1, 0, 0)
    assert sync.state.queue_depth == 0 and central.heartbeats[0].queue_depth == 0
    assert clinic.stock("BRK-U1") == 30  # acknowledged: the server's figure stands as sent


def test_callbacks_receive_every_state_and_a_failing_callback_is_ignored(clinic):
    place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    clinic.store.state.outbox_state[next(iter(clinic.store.state.outbox))] = "QUARANTINED"
    place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    states: list[SyncState] = []
    sync = service(clinic)
    sync.on_state(lambda state: 1 / 0)
    unsubscribe = sync.on_state(states.append)
    sync.run_once()
    assert [s.syncing for s in states] == [True, False]
    done = states[-1]
    assert done.connection is Connection.ONLINE and done.online
    assert (done.queue_depth, done.quarantined) == (1, 1)
    assert done.last_sync == NOW and done.last_error is None
    unsubscribe()
    sync.run_once()
    assert len(states) == 2


def test_offline_round_keeps_the_last_sync_time_and_shows_the_error(clinic):
    sync = service(clinic, push=ScriptedPush(Pushed(), UNAVAILABLE))
    sync.run_once()
    clinic.clock.at = NOW.replace(hour=16)
    report = sync.run_once()
    assert not report.online and report.error == str(UNAVAILABLE)
    assert sync.state.last_sync == NOW and sync.state.connection is Connection.OFFLINE


def test_a_failed_round_reports_the_events_still_queued(clinic):
    for _ in range(3):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    report = SyncService(clinic.ctx, FlakyCentral(UNAVAILABLE), clock=clinic.clock).run_once()
    assert (report.pushed, report.remaining, report.error) == (0, 3, str(UNAVAILABLE))


def test_a_failed_heartbeat_never_fails_the_round(clinic):
    central = FakeCentral()
    central.heartbeat_error = CentralUnavailable("timed out")
    sync = service(clinic, central)
    report = sync.run_once()
    assert report.online and report.error is None
    assert sync.state.connection is Connection.ONLINE and sync.state.last_error is None


def test_central_data_errors_are_reported_and_retried_at_the_interval(clinic):
    central = FakeCentral()
    item = clinic_item(clinic, "WIR-014")
    item.offers = [VendorOffer(ID(399), "X-1", Decimal("1.00"), True)]
    central.publish(item)
    waits = Waits(rounds=2)
    sync = service(clinic, central, wait=waits, rand=lambda: 1.0)
    sync.run_forever(threading.Event(), interval_s=45)
    assert waits.delays == [45, 45]
    assert sync.state.connection is Connection.ONLINE
    assert f"names vendor {ID(399)}" in sync.state.last_error


# the pull

def clinic_item(clinic, sku):
    with clinic.store.read() as tx:
        return tx.item_by_sku(sku)


def clinic_lot(clinic, sku, number):
    with clinic.store.read() as tx:
        return tx.lot_by_number(tx.item_by_sku(sku).id, number)


def cursors(clinic):
    return dict(clinic.store.state.cursors)


def test_pull_pages_through_each_collection_and_moves_its_cursor(clinic):
    central = FakeCentral()
    central.publish_catalog_of(clinic.store)
    total = sum(len(docs) for docs in central.docs.values())
    assert pull_catalog(clinic.ctx, central, page_size=2) == total
    last = {c: max(rev for rev, _ in docs.values()) for c, docs in central.docs.items()}
    pulled = {"pulledAt": clinic.ctx.now().isoformat(timespec="seconds")}  # issue 15
    assert cursors(clinic) == {"schemaVersion": "1"} | pulled | {
        c: str(r) for c, r in last.items()}
    assert [c for c, _ in central.pulls].count("InventoryLot") == 4  # 7 lots in pages of 2
    assert pull_catalog(clinic.ctx, central, page_size=2) == 0


def test_a_schema_version_change_resets_every_cursor_for_a_full_resync(clinic):
    central = FakeCentral()
    central.publish_catalog_of(clinic.store)
    total = pull_catalog(clinic.ctx, central)
    with clinic.store.write() as tx:  # a stale local copy, e.g. written by an older version
        tx.save_patient(replace(tx.patient_by_chart("C-2"), last_name="Stale"))
    assert pull_catalog(clinic.ctx, central) == 0
    central.version = 2
    central.pulls.clear()
    assert pull_catalog(clinic.ctx, central) == total
    assert ("Vendor", 0) in central.pulls and ("ApplianceRecord", 0) in central.pulls
    assert cursors(clinic)["schemaVersion"] == "2"
    with clinic.store.read() as tx:
        assert tx.patient_by_chart("C-2").last_name == "Lee"


def test_local_stock_is_server_stock_minus_this_kiosks_pending_deductions(clinic):
    sold = place(clinic, gs1(clinic.gtin_bracket, "BR-A"), quantity=3)
    mistake = place(clinic, gs1(clinic.gtin_bracket, "BR-B"), quantity=2)
    void_usage(clinic.ctx, "B1", mistake.id, "wrong box")
    counted = adjust_stock(clinic.ctx, "B3", "BRK-U1", lot_number=None, delta=5,
                           reason="found a box")
    central = FakeCentral()
    item, lot_a = clinic_item(clinic, "BRK-U1"), clinic_lot(clinic, "BRK-U1", "BR-A")
    central.publish(replace(item, quantity_on_hand=100), replace(lot_a, quantity_on_hand=40))
    pull_catalog(clinic.ctx, central)
    assert clinic.stock("BRK-U1") == 100 - 3 + 5
    assert clinic.lot_stock("BRK-U1", "BR-A") == 40 - 3

    # the usage reached the server (and other kiosks used 4): only the adjustment is pending
    clinic.store.state.outbox_state[sold.id] = "ACKNOWLEDGED"
    clinic.store.state.outbox_state[counted.id] = "QUARANTINED"  # refused: not in server stock
    central.publish(replace(item, quantity_on_hand=93), replace(lot_a, quantity_on_hand=33))
    pull_catalog(clinic.ctx, central)
    assert clinic.stock("BRK-U1") == 93 and clinic.lot_stock("BRK-U1", "BR-A") == 33


def test_a_pulled_recall_blocks_the_next_deduction(clinic):
    place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    central = FakeCentral()
    central.publish(replace(clinic_lot(clinic, "BRK-U1", "BR-A"), status=LotStatus.RECALLED,
                            recall_notice="FDA Z-0417-2026"))
    pull_catalog(clinic.ctx, central)
    with pytest.raises(LotBlocked, match=r"recalled.*Z-0417-2026"):
        place(clinic, gs1(clinic.gtin_bracket, "BR-A"))


def test_a_pulled_price_freezes_into_new_usages_only(clinic):
    before = place(clinic, gs1(clinic.gtin_bracket, "BR-A"))  # lot's vendor offer, 2.10
    item = clinic_item(clinic, "BRK-U1")
    item.offers = [replace(o, unit_cost=Decimal("2.45")) if o.vendor_id == ID(302) else o
                   for o in item.offers]
    central = FakeCentral()
    central.publish(item)
    pull_catalog(clinic.ctx, central)
    after = place(clinic, gs1(clinic.gtin_bracket, "BR-A"))
    assert before.unit_cost == Decimal("2.10") and after.unit_cost == Decimal("2.45")
    with clinic.store.read() as tx:
        assert tx.usage(before.id).unit_cost == Decimal("2.10")


def test_a_record_naming_what_central_never_sent_is_one_sentence_and_blocks_only_its_page(
        clinic):
    central = FakeCentral()
    good, bad = clinic_item(clinic, "BON-ADH"), clinic_item(clinic, "WIR-014")
    central.publish(replace(good, name="Adhesive syringe 4 g"))
    bad.offers = [VendorOffer(ID(399), "X-1", Decimal("1.00"), True)]
    central.publish(bad, Vendor(ID(303), "Eastbay"))
    central.publish(replace(clinic_lot(clinic, "WIR-014", "NT-1"), item_id=ID(59)))
    with clinic.store.read() as tx:
        central.publish(replace(tx.patient_by_chart("C-2"), first_name="Samuel"))
    before = cursors(clinic)

    with pytest.raises(CatalogDataError) as raised:
        pull_catalog(clinic.ctx, central, page_size=10)
    message = str(raised.value)
    assert message.startswith("InventoryItem changes after revision 0 were not applied")
    assert f"names vendor {ID(399)}" in message
    assert f"names item {ID(59)}" in message and raised.value.applied == 2  # vendor, patient
    assert "\n" not in message
    assert clinic_item(clinic, "BON-ADH").name == "Adhesive syringe"  # same page: rolled back
    assert before == {} and cursors(clinic)["InventoryItem"] == "0"
    with clinic.store.read() as tx:
        assert tx.vendor_by_id(ID(303)).name == "Eastbay"
        assert tx.patient_by_chart("C-2").first_name == "Samuel"
