"""A kiosk process scanning 2,000 items is SIGKILLed at random moments (after a commit, in the
middle of a push, while starting) and restarted until every scan is recorded. Afterwards every
acknowledged scan is in SQLite exactly once and, after `kiosk sync`, centrally exactly once,
and `kiosk audit` finds no drift. The counts go to the fault report (docs/RELIABILITY.md).

The seed of the random moments is printed and recorded; set KIOSK_FAULT_SEED to replay a run.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from bson import ObjectId
from fault_sync import audit_drifts, sync_until_drained
from integration_cli import Cli
from test_central_push import assert_invariants, central_db, open_site, seed_catalog

from kiosk.adapters.config import load_config, save_config
from kiosk.bootstrap import open_kiosk

pytestmark = [pytest.mark.faults, pytest.mark.slow]

WORKER = Path(__file__).with_name("scan_worker.py")
TOTAL_SCANS = 2000
PUSH_EVERY = 100
NOTE = "fault-scan-"
# the moments of the kills, in the order they happen (at least 20 in all)
KILL_PLAN = ["after_ack"] * 16 + ["during_push"] * 4 + ["while_starting"] * 4


class Driver:
    """Starts the worker, reads its acknowledgements, kills it at the planned moment."""

    def __init__(self, config: Path, rng: random.Random) -> None:
        self.config, self.rng = config, rng
        self.acked: dict[int, str] = {}
        self.kills: Counter[str] = Counter()
        self.processes = 0
        self.attempts = 0  # scans started, including those a kill cut short (then re-done)
        self.done = False

    def run(self, moment: str | None) -> None:
        """One worker process, killed at ``moment`` (None: let it finish)."""
        child = subprocess.Popen([sys.executable, str(WORKER), str(self.config),
                                  str(TOTAL_SCANS), str(PUSH_EVERY)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes += 1
        timer = None
        if moment == "while_starting":  # mostly while it imports and opens its store
            timer = threading.Timer(self.rng.uniform(0.05, 0.8), self._kill, [child])
            timer.start()
        # bounded, so that every planned kill comes before the 2,000th scan:
        # 16 x 80 after an ack + 4 x 100 in a push + 4 x 50 while starting < 2,000
        acks_to_kill = {"after_ack": self.rng.randint(1, 80), "while_starting": 50}.get(moment)
        acks = 0
        try:
            for line in child.stdout:
                word, *rest = line.split()
                if word == "try":
                    self.attempts += 1
                elif word == "ack":
                    self._ack(int(rest[0]), rest[1])
                    acks += 1
                    if acks == acks_to_kill:
                        self._kill(child)
                elif word == "push" and moment == "during_push":
                    time.sleep(self.rng.uniform(0, 0.05))  # somewhere inside the push
                    self._kill(child)
                elif word == "done":
                    self.done = True
        finally:
            if timer:
                timer.cancel()
            child.wait(timeout=60)
            errors = child.stderr.read()
            child.stdout.close()
            child.stderr.close()
        if child.returncode == -signal.SIGKILL:
            self.kills[moment] += 1
        else:
            assert child.returncode == 0, f"the worker failed: {errors[-3000:]}"
            assert self.done

    def _ack(self, scan: int, usage_id: str) -> None:
        assert scan not in self.acked, f"scan {scan} was acknowledged twice"
        self.acked[scan] = usage_id

    @staticmethod
    def _kill(child: subprocess.Popen) -> None:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)


def test_kiosk_killed_at_random_moments_loses_and_repeats_no_scan(
        own_server, tmp_path, capsys, fault_report):
    # a server of its own: the transactions the kills orphan never touch the shared one (whose
    # drop of a test database would wait on them if this test failed before they expire)
    base, _, query = own_server.uri.partition("?")
    central_uri = f"{base.rstrip('/')}/kiosk_kills?{query}"
    started = time.monotonic()
    seed = int(os.environ.get("KIOSK_FAULT_SEED") or time.time_ns() % 1_000_000)
    print(f"kill moments seed: {seed} (KIOSK_FAULT_SEED={seed} replays them)")
    rng = random.Random(seed)
    site = open_site(central_uri, tmp_path / "kiosk")
    config_path = Path(site.kiosk.config_path)
    save_config(replace(load_config(config_path), mongo_uri=central_uri), config_path)
    client, db = central_db(central_uri)
    try:
        opening = seed_catalog(db, site.ctx)
        driver = Driver(config_path, rng)
        # the kills inside a push first: the transactions they orphan age while the rest run
        plan = [m for m in KILL_PLAN if m == "during_push"]
        rest = [m for m in KILL_PLAN if m != "during_push"]
        rng.shuffle(rest)
        plan += rest
        for moment in plan:
            driver.run(moment)
            assert not driver.done, "the scans ran out before every planned kill"
        driver.run(None)

        with sqlite3.connect(site.kiosk.config.database_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
        ctx = open_kiosk(str(config_path)).context
        with ctx.store.read() as tx:
            usages = tx.usages()
        by_scan = Counter(int(u.notes.removeprefix(NOTE)) for u in usages)
        local_ids = {u.id for u in usages}
        found_locally = sum(1 for scan, uid in driver.acked.items()
                            if uid in local_ids and by_scan[scan] == 1)
        duplicated_locally = sum(n - 1 for n in by_scan.values()) + len(usages) - len(local_ids)
        assert sorted(by_scan) == list(range(1, TOTAL_SCANS + 1))
        assert duplicated_locally == 0
        assert found_locally == len(driver.acked), "an acknowledged scan is missing locally"

        refused_rounds = sync_until_drained(Cli(config_path, capsys))
        kiosk = ObjectId(site.kiosk_id)
        docs = list(db.ApplianceInventoryLink.find({"kioskId": kiosk}, {"notes": 1}))
        central_ids = Counter(str(d["_id"]) for d in docs)
        central_scans = Counter(d["notes"] for d in docs)
        found_centrally = sum(1 for uid in driver.acked.values() if central_ids[uid] == 1)
        duplicated_centrally = sum(n - 1 for n in central_scans.values())
        drifts = audit_drifts(Cli(config_path, capsys))
        lost = len(driver.acked) - min(found_locally, found_centrally)
        fault_report["sections"]["kiosk_kills"] = {
            "seed": seed, "scans": TOTAL_SCANS, "scans_attempted": driver.attempts,
            "acknowledged": len(driver.acked),
            "committed_unacked": TOTAL_SCANS - len(driver.acked), "recorded_locally": len(usages),
            "found_locally": found_locally, "found_centrally": found_centrally,
            "processes": driver.processes, "kills": sum(driver.kills.values()),
            "kills_by_kind": dict(driver.kills), "lost": lost,
            "duplicated": duplicated_locally + duplicated_centrally,
            "audit_drifts": len(drifts), "sync_rounds_failed_then_retried": refused_rounds,
            "duration_s": round(time.monotonic() - started, 1)}

        assert sum(driver.kills.values()) >= 20
        assert found_centrally == len(driver.acked) and lost == 0
        assert len(docs) == TOTAL_SCANS and duplicated_centrally == 0
        assert drifts == []
        assert_invariants(db, [site], opening)
    finally:
        site.central.close()
        client.close()
