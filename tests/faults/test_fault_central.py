"""The central server killed and restarted during sync, the network path cut and delayed by a
loopback proxy, and the server's answers lost: after each fault the sync invariants hold.

One kiosk records placements, a void and an adjustment before each fault. After each: no event
lost, none applied twice (each kiosk sequence number received once, each document stored
once), central stock = opening + ledger and cost summaries = usages net of voids
(`assert_invariants`), local stock = server stock + this kiosk's pending changes (checked while
events are still pending, then again when drained), and `kiosk audit` finds no drift.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from bson import ObjectId
from fault_proxy import FaultProxy
from fault_sync import audit_drifts, central_counts, sync_until_drained
from integration_cli import Cli
from test_central_push import (
    MANAGER,
    Site,
    assert_invariants,
    central_db,
    open_site,
    place_many,
    seed_catalog,
)

from kiosk.adapters.config import load_config, save_config
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.corrections import adjust_stock, void_usage
from kiosk.services.sync_pull import pull_catalog
from kiosk.services.sync_push import push_pending

pytestmark = [pytest.mark.faults, pytest.mark.slow]

DATABASE = "kiosk_faults"
PER_ROUND = 250  # placements recorded before each fault
BATCH = 50  # events per push transaction while a fault hits
# the faults, in order; the network cut inside a push comes last, as the transaction it
# orphans on the server is the one fault a next push must clear first (killSessions)
PLAN = ["server_killed_mid_push", "reply_lost_after_commit", "network_delayed",
        "server_down_during_sync", "server_killed_mid_push", "network_cut_before_sync",
        "reply_lost_after_commit", "server_killed_mid_push", "network_cut_mid_push"]


@dataclass
class Run:
    site: Site
    db: object
    cli: Cli
    proxy: FaultProxy
    server: object
    opening: dict[str, int]
    faults: Counter = field(default_factory=Counter)
    interrupted: int = 0
    checks: int = 0
    failed_rounds: Counter = field(default_factory=Counter)
    drifts: int = 0


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def pending_count(site: Site) -> int:
    with site.ctx.store.read() as tx:
        return tx.outbox_counts().pending


def receipts(run: Run) -> int:
    return run.db.KioskEventReceipt.count_documents({"kioskId": ObjectId(run.site.kiosk_id)})


def record_activity(site: Site, round_no: int) -> None:
    """Placements, one void and one adjustment: every kind of event the kiosk pushes."""
    place_many(site.ctx, PER_ROUND, per_tx=250)
    with site.ctx.store.read() as tx:
        last = tx.usages()[-1]
    void_usage(site.ctx, MANAGER, last.id, f"Fault round {round_no}: scanned twice")
    adjust_stock(site.ctx, MANAGER, "BRK-MBT-U1R", lot_number="B25E392", delta=+3,
                 reason=f"Fault round {round_no}: counted")


def push_in_background(run: Run, fault: Callable[[], None]) -> None:
    """Start draining in batches, let a few batches commit, then inject ``fault``."""
    before, errors = receipts(run), []

    def push() -> None:
        try:
            push_pending(run.site.ctx, run.site.central, batch_size=BATCH)
        except CentralUnavailable as error:
            errors.append(error)

    pusher = threading.Thread(target=push)
    pusher.start()
    wait_for(lambda: receipts(run) >= before + 2 * BATCH or not pusher.is_alive(), 60,
             "the first batches to commit")
    fault()
    pusher.join(timeout=90)
    assert not pusher.is_alive()
    if errors:
        run.interrupted += 1


def sync_fails_plainly(run: Run, counts: bool = True) -> None:
    """A sync round while the server cannot be reached: exit 1, one sentence, nothing lost."""
    queued = pending_count(run.site)
    result = run.cli("sync", "--once", "--json")
    assert result.code == 1 and result.err.startswith("kiosk: "), result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert pending_count(run.site) == queued
    run.interrupted += counts


def inject(run: Run, fault: str) -> None:
    proxy, server = run.proxy, run.server
    if fault == "server_killed_mid_push":
        push_in_background(run, server.kill)
        server.start()
    elif fault == "reply_lost_after_commit":
        proxy.drop_replies(b"commitTransaction", times=2)  # the commit and the driver's retry
        with pytest.raises(CentralUnavailable):
            push_pending(run.site.ctx, run.site.central, batch_size=BATCH)
        proxy.drop_replies(times=0)
        run.interrupted += 1
    elif fault == "network_delayed":
        proxy.delay(0.02)  # 20 ms each way on every message
        try:
            assert sync_until_drained(run.cli) == 0
        finally:
            proxy.delay(0)
    elif fault == "server_down_during_sync":
        server.kill()
        sync_fails_plainly(run)
        server.start()
    elif fault == "network_cut_before_sync":
        proxy.cut()
        sync_fails_plainly(run)
        proxy.restore()
    elif fault == "network_cut_mid_push":
        push_in_background(run, proxy.cut)
        sync_fails_plainly(run, counts=False)
        proxy.restore()
    else:
        raise AssertionError(fault)
    run.faults[fault] += 1


def assert_local_stock_is_server_minus_pending(run: Run) -> None:
    """Local stock = server stock + this kiosk's pending changes, item by item and lot by lot,
    after a pull from the server (the UI's low-stock banners rest on this)."""
    pull_catalog(run.site.ctx, run.site.central)
    with run.site.ctx.store.read() as tx:
        items = tx.all_items()
        local = {i.id: i.quantity_on_hand for i in items} | {
            lot.id: lot.quantity_on_hand for i in items for lot in tx.lots_for_item(i.id)}
        deltas = tx.pending_stock_deltas()
    expected = {str(d["_id"]): d["quantityOnHand"] for name in ("InventoryItem", "InventoryLot")
                for d in run.db[name].find({"clinicId": run.site.central.clinic_id})}
    for (item_id, lot_id), delta in deltas.items():
        expected[item_id] += delta
        if lot_id:
            expected[lot_id] += delta
    assert local == expected


def check_invariants(run: Run, fault: str) -> None:
    if pending_count(run.site):
        assert_local_stock_is_server_minus_pending(run)
    run.failed_rounds[fault] += sync_until_drained(run.cli)
    assert_invariants(run.db, [run.site], run.opening)
    assert_local_stock_is_server_minus_pending(run)
    drifts = audit_drifts(run.cli)
    run.drifts += len(drifts)
    assert drifts == []
    run.checks += 1


def local_events(site: Site) -> dict[str, int]:
    return {event_id: seq for event_id, (seq, _state) in site.outbox().items()}


def test_sync_invariants_hold_after_each_central_fault(own_server, tmp_path, capsys,
                                                       fault_report):
    started = time.monotonic()
    with FaultProxy(own_server.port) as proxy:
        proxied = proxy.uri(DATABASE)
        site = open_site(proxied, tmp_path / "kiosk")
        config_path = Path(site.kiosk.config_path)
        save_config(replace(load_config(config_path), mongo_uri=proxied), config_path)
        base, _, query = own_server.uri.partition("?")
        client, db = central_db(f"{base.rstrip('/')}/{DATABASE}?{query}")
        try:
            run = Run(site, db, Cli(config_path, capsys), proxy, own_server,
                      seed_catalog(db, site.ctx))
            for round_no, fault in enumerate(PLAN, start=1):
                record_activity(site, round_no)
                inject(run, fault)
                check_invariants(run, fault)
            events = local_events(site)
            counts = central_counts(db, site.kiosk_id, events)
        finally:
            site.central.close()
            client.close()
    fault_report["sections"]["central_faults"] = {
        "events": len(events), "found_centrally": counts["found"],
        "faults": sum(run.faults.values()), "faults_by_kind": dict(run.faults),
        "pushes_interrupted": run.interrupted, "checks_passed": run.checks,
        "sync_rounds_failed_then_retried": dict(run.failed_rounds),
        "messages_cut_by_proxy": proxy.messages_cut, "replies_dropped_by_proxy": proxy.dropped,
        "lost": counts["lost"], "duplicated": counts["duplicated"],
        "audit_drifts": run.drifts, "duration_s": round(time.monotonic() - started, 1)}
    assert run.checks == len(PLAN)
    assert counts == {"found": len(events), "lost": 0, "duplicated": 0}
