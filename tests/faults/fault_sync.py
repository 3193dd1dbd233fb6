"""Helpers of the fault tests: drain with `kiosk sync --once`, and count what reached the
central server (lost, duplicated) for the report."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from bson import ObjectId
from integration_cli import Cli
from pymongo.database import Database

RETRY_S = 3.0


def sync_until_drained(cli: Cli, timeout: float = 150.0) -> int:
    """`kiosk sync --once --json` until the queue is empty; returns the rounds that failed.

    A kiosk cut off (or killed) inside a push leaves its server transaction open (a dropped
    connection does not abort it); the next push ends it with killSessions, and a round that
    still meets a write conflict is asked to retry, which it does, as its sync loop would.
    Each failed round must say why in one line, on stderr."""
    deadline = time.monotonic() + timeout
    failed = 0
    while True:
        result = cli("sync", "--once", "--json")
        report = json.loads(result.out)
        if result.code == 0 and report["remaining"] == 0:
            return failed
        assert result.code == 1 and report["error"], result
        assert result.err.startswith("kiosk: ") and result.err.count("\n") == 1, result.err
        failed += 1
        if time.monotonic() > deadline:
            pytest.fail(f"the queue did not drain in {timeout} s: {result.err}")
        time.sleep(RETRY_S)


def audit_drifts(cli: Cli) -> list[dict]:
    """`kiosk audit --json`: the drifts it reports (its exit code agrees)."""
    result = cli("audit", "--json")
    drifts = json.loads(result.out)["drifts"]
    assert result.code == (1 if drifts else 0), result.err
    return drifts


def central_counts(db: Database, kiosk_id: str, local_events: dict[str, int]) -> dict[str, int]:
    """How the kiosk's events (id → kiosk seq) stand centrally: found once, lost, duplicated
    (a kiosk sequence number received twice, or one event's document stored twice)."""
    kiosk = ObjectId(kiosk_id)
    receipts = Counter(r["kioskSeq"] for r in db.KioskEventReceipt.find({"kioskId": kiosk}))
    documents = Counter(str(d["_id"]) for name in ("ApplianceInventoryLink",
                                                   "InventoryAdjustment")
                        for d in db[name].find({"kioskId": kiosk}, {"_id": 1}))
    found = sum(1 for seq in local_events.values() if receipts[seq] == 1)
    return {"found": found, "lost": sum(1 for seq in local_events.values() if not receipts[seq]),
            "duplicated": sum(n - 1 for n in receipts.values() if n > 1)
            + sum(n - 1 for n in documents.values() if n > 1)}
