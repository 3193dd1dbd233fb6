"""Push under faults, against a real MongoDB wire server: a lost acknowledgement, the server
killed mid-push, the server down while thousands of scans are recorded, and several kiosk
processes pushing the same items at once. Each ends by checking the sync invariants.

Run as ``python test_sync_faults.py worker CONFIG URI COUNT`` this file is one kiosk process
of the concurrency test: it deducts COUNT times, pushing as it goes, then drains its queue.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
from bson import ObjectId
from lossy_proxy import LossyProxy
from pymongo.uri_parser import parse_uri
from test_central_push import (
    BRACKET_SCAN,
    WIRE_SCAN,
    Site,
    assert_invariants,
    central_db,
    open_site,
    place,
    place_many,
    seed_catalog,
)

from kiosk.adapters.mongo import push as push_module
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.bootstrap import open_kiosk
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.ports import OutboxEvent
from kiosk.services.sync_push import PushReport, push_pending


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def drain(site: Site, timeout: float = 60.0, batch_size: int = 200) -> int:
    """Push until nothing is pending, retrying what the server could not take yet."""
    deadline = time.monotonic() + timeout
    pushed = 0
    while True:
        try:
            report = push_pending(site.ctx, site.central, batch_size)
        except CentralUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        pushed += report.pushed
        if report.remaining == 0:
            return pushed


def with_database(server_uri: str, name: str) -> str:
    base, _, query = server_uri.partition("?")
    return f"{base.rstrip('/')}/{name}" + (f"?{query}" if query else "")


def pending(site: Site) -> list[OutboxEvent]:
    with site.ctx.store.read() as tx:
        return tx.pending_events(100_000)


def test_lost_acknowledgement_is_replayed_without_applying_twice(central_uri, tmp_path):
    [(host, port)] = parse_uri(central_uri)["nodelist"]
    client, db = central_db(central_uri)
    with LossyProxy(port, host) as proxy:
        proxied = central_uri.replace(f"{host}:{port}", f"127.0.0.1:{proxy.port}")
        site = open_site(proxied, tmp_path / "k1")
        try:
            opening = seed_catalog(db, site.ctx)
            place_many(site.ctx, 30)
            batch = pending(site)
            proxy.drop_replies(b"commitTransaction", times=2)  # the commit and its one retry

            with pytest.raises(CentralUnavailable):
                push_pending(site.ctx, site.central)

            assert proxy.dropped == 2  # the driver retries a commit once; both answers lost
            proxy.drop_replies(times=0)
            assert len(pending(site)) == 30  # nothing marked: the server's answer was lost
            kiosk = ObjectId(site.kiosk_id)
            assert db.KioskEventReceipt.count_documents({"kioskId": kiosk}) == 30  # applied
            stock = sorted((d["_id"], d["quantityOnHand"]) for d in db.InventoryItem.find())

            assert push_pending(site.ctx, site.central) == PushReport(30, 0, 0)
            replay = site.central.push(batch)  # and the whole batch once more, for good measure

            assert sorted(replay.acknowledged) == sorted(e.event_id for e in batch)
            assert replay.quarantined == {}
            assert sorted((d["_id"], d["quantityOnHand"]) for d in db.InventoryItem.find()) == stock
            assert db.ApplianceInventoryLink.count_documents({"kioskId": kiosk}) == 30
            assert_invariants(db, [site], opening)
        finally:
            site.central.close()
            client.close()


@pytest.mark.slow
def test_server_killed_in_the_middle_of_a_push_then_restarted(own_server, tmp_path):
    uri = with_database(own_server.uri, "kiosk_kill")
    site = open_site(uri, tmp_path / "k1")
    client, db = central_db(uri)
    try:
        opening = seed_catalog(db, site.ctx)
        place_many(site.ctx, 2000, per_tx=250)
        failures: list[Exception] = []

        def push_all() -> None:
            try:
                push_pending(site.ctx, site.central, batch_size=100)
            except CentralUnavailable as error:
                failures.append(error)

        pusher = threading.Thread(target=push_all)
        pusher.start()
        wait_for(lambda: db.KioskEventReceipt.estimated_document_count() >= 400, 60,
                 "the first batches to commit")
        own_server.kill()
        pusher.join(timeout=60)
        assert not pusher.is_alive() and failures, "the push should have been cut off"
        assert 0 < 2000 - len(pending(site)) < 2000  # cut off part-way

        own_server.start()
        drain(site)

        assert pending(site) == []
        assert_invariants(db, [site], opening)
    finally:
        site.central.close()
        client.close()


@pytest.mark.slow
def test_server_down_while_5000_scans_are_recorded_then_drained(own_server, tmp_path):
    uri = with_database(own_server.uri, "kiosk_down")
    site = open_site(uri, tmp_path / "k1")
    client, db = central_db(uri)
    try:
        opening = seed_catalog(db, site.ctx)
        own_server.kill()
        place_many(site.ctx, 5000, per_tx=250)
        with pytest.raises(CentralUnavailable):
            push_pending(site.ctx, site.central)
        assert len(pending(site)) == 5000  # the kiosk kept working; the queue is intact

        own_server.start()
        assert drain(site) == 5000

        assert_invariants(db, [site], opening)
    finally:
        site.central.close()
        client.close()


@pytest.mark.slow
def test_several_kiosk_processes_push_the_same_items_at_once(central_uri, tmp_path):
    first = open_site(central_uri, tmp_path / "k0")
    sites = [first] + [open_site(central_uri, tmp_path / f"k{n}", catalog_from=first.ctx)
                       for n in (1, 2)]
    client, db = central_db(central_uri)
    try:
        opening = seed_catalog(db, first.ctx)
        count = 120
        workers = [subprocess.Popen(
            [sys.executable, __file__, "worker", str(tmp_path / f"k{n}" / "config.toml"),
             central_uri, str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True) for n in range(len(sites))]
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err[-3000:]
            results.append(json.loads(out))

        assert [r["remaining"] for r in results] == [0, 0, 0]
        assert max(r["started"] for r in results) < min(r["finished"] for r in results)
        assert len({str(ObjectId(s.kiosk_id)) for s in sites}) == 3
        assert_invariants(db, sites, opening)
        item = db.InventoryItem.find_one({"sku": "BRK-MBT-U1R"})
        assert item["quantityOnHand"] == opening[_item_id(first, "BRK-MBT-U1R")] - 3 * count // 2
    finally:
        for site in sites:
            site.central.close()
        client.close()


def _item_id(site: Site, sku: str) -> str:
    with site.ctx.store.read() as tx:
        return tx.item_by_sku(sku).id


def worker(config: str, uri: str, count: str) -> None:
    """One kiosk process: deduct, push every few scans, then drain; prints a JSON summary
    (with the write conflicts its pushes met and retried, for the curious)."""
    conflicts = []
    is_conflict = push_module._is_conflict

    def counting(error) -> bool:
        conflicts.append(is_conflict(error))
        return conflicts[-1]

    push_module._is_conflict = counting
    kiosk = open_kiosk(config)
    with kiosk.context.store.read() as tx:
        identity = tx.identity()
    site = Site(kiosk, MongoCentral.from_uri(uri, identity.clinic_id, identity.kiosk_id))
    started, failed_pushes = time.time(), 0
    try:
        for n in range(int(count)):
            if n % 2:
                place(site.ctx, [WIRE_SCAN], kind="WIRE")
            else:
                place(site.ctx, [BRACKET_SCAN])
            if n % 5 == 4:
                try:
                    push_pending(site.ctx, site.central, batch_size=25)
                except CentralUnavailable:
                    failed_pushes += 1
        drain(site, timeout=90, batch_size=25)
        with site.ctx.store.read() as tx:
            remaining = tx.outbox_counts().pending
        sys.stdout.write(json.dumps({
            "remaining": remaining, "failed_pushes": failed_pushes,
            "conflicts": sum(conflicts), "started": started, "finished": time.time()}) + "\n")
    finally:
        site.central.close()


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    worker(*sys.argv[2:5])
