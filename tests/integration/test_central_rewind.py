"""Sequences that cannot rewind (issue 14, item 2): a kiosk restored from an older backup, a
workstation taking over a retired kiosk with `restore --replace-kiosk`, and a copied data
directory, each on a real SQLite file against the test central server through the real CLI.

After every scenario: every usage and void any of the kiosk's files acknowledged is central
exactly once, nothing is left queued or quarantined, and `kiosk audit` finds no drift.
Each scenario adds its counts to the fault report (docs/RELIABILITY.md, section
"restores_clones"), so these run with ``pytest -m faults`` too.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from bson import ObjectId
from integration_cli import Cli
from pymongo import MongoClient

from kiosk.adapters.mongo.client import database
from kiosk.adapters.mongo.schema import LINK, RECEIPT
from kiosk.services.demo import DEMO_CLINIC_ID

SCAN = "(01)00812345671018(10)B25E392"
APPLIANCE = "64b300000000000000000004"  # C-10239's PLACED bracket appliance
pytestmark = pytest.mark.faults


def tally(fault_report, **counts: int) -> None:
    """Add ``counts`` to this run's "restores_clones" section of the fault report."""
    section = fault_report["sections"].setdefault("restores_clones", {})
    for name, n in counts.items():
        section[name] = section.get(name, 0) + n


def settled(fault_report, kind: str, central_usages: int, voids: int) -> None:
    """One scenario passed its checks: none lost, duplicated or stuck."""
    tally(fault_report, scenarios=1, **{kind: 1}, usages=central_usages, voids=voids,
          lost=0, duplicated=0, stuck=0)


class Kiosk(Cli):
    @property
    def database(self) -> Path:
        return self.home / "kiosk.sqlite3"

    @property
    def home(self) -> Path:
        return self.config.with_suffix("")

    def deduct(self, qty: str = "1") -> str:
        out = json.loads(self.ok("deduct", "--actor", "B1001", "--patient", "C-10239",
                                 "--appliance-type", "BRACKET", "--appliance-id", APPLIANCE,
                                 "--scan", SCAN, "--qty", qty, "--json"))
        return out["usages"][0]["id"]

    def void(self, usage_id: str) -> None:
        self.ok("void", usage_id, "--actor", "B1001", "--reason", "scanned the wrong box")

    def sync(self) -> dict:
        result = self("sync", "--once", "--json")
        return {"code": result.code, "err": result.err, **json.loads(result.out)}


def kiosk_at(tmp_path: Path, capsys, uri: str, name: str) -> Kiosk:
    runner = Kiosk(tmp_path / f"{name}.toml", capsys)
    runner.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", name,
              "--data-dir", str(tmp_path / name), "--mongo-uri", uri)
    return runner


@pytest.fixture
def chair(tmp_path, capsys, central_uri, demo_csvs) -> Kiosk:
    cli = kiosk_at(tmp_path, capsys, central_uri, "chair-1")
    cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    assert cli.sync()["code"] == 0
    return cli


def outbox(path: Path) -> dict[str, tuple[str, str]]:
    """event id -> (type, state) of one kiosk database file."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        found = conn.execute("SELECT event_id, event_type, state FROM outbox").fetchall()
    return {event_id: (kind, state) for event_id, kind, state in found}


def assert_exactly_once(uri: str, *files: Path) -> int:
    """Every event any of ``files`` acknowledged is central once (its receipt, and a usage's
    link; a void's link carries the void); returns how many usages are central."""
    acknowledged: dict[str, str] = {}
    for path in files:
        for event_id, (kind, state) in outbox(path).items():
            if state == "ACKNOWLEDGED":
                acknowledged[event_id] = kind
    with MongoClient(uri) as client:
        db = database(client)
        ids = [ObjectId(i) for i in acknowledged]
        receipts = [str(r["_id"]) for r in db[RECEIPT].find({"_id": {"$in": ids}})]
        assert sorted(receipts) == sorted(acknowledged), "an acknowledged event is not central"
        voided = [p for d in db[RECEIPT].find({"_id": {"$in": ids}, "eventType": "UsageVoided"})
                  for p in [d["usageId"]]]
        for usage in voided:
            [link] = db[LINK].find({"_id": usage})
            assert link["voidedAt"] is not None
        usages = [i for i, kind in acknowledged.items() if kind == "UsageRecorded"]
        links = list(db[LINK].find({"_id": {"$in": [ObjectId(u) for u in usages]}}))
        assert sorted(str(d["_id"]) for d in links) == sorted(usages)
        return db[LINK].count_documents({})


def assert_settled(cli: Kiosk, uri: str, *files: Path) -> int:
    report = cli.sync()
    assert report["code"] == 0, report["err"]
    assert (report["remaining"], report["quarantined"]) == (0, 0)
    states = {state for _, state in outbox(cli.database).values()}
    assert states <= {"ACKNOWLEDGED"}, states
    audit = cli("audit", "--json")
    assert audit.code == 0 and json.loads(audit.out) == {"ok": True, "drifts": []}
    return assert_exactly_once(uri, cli.database, *files)


def safety_copies(cli: Kiosk) -> list[Path]:
    return sorted(cli.home.glob("kiosk.before-restore-*.sqlite3"))


def test_an_older_backup_restored_goes_on_above_the_central_sequence(chair, central_uri,
                                                                       tmp_path, fault_report):
    backup = tmp_path / "monday.sqlite3"
    chair.ok("backup", "-o", str(backup))
    first = [chair.deduct(), chair.deduct("2")]
    chair.void(first[0])
    assert chair.sync()["pushed"] == 3

    chair.ok("restore", str(backup))  # the sequence is back where Monday left it
    later = [chair.deduct(), chair.deduct("3")]
    chair.void(later[1])
    report = chair.sync()

    assert (report["code"], report["pushed"], report["quarantined"]) == (0, 3, 0), report
    assert assert_settled(chair, central_uri, *safety_copies(chair)) == 4
    settled(fault_report, "restores", central_usages=4, voids=2)


def test_a_restore_after_a_lost_reply_keeps_the_applied_events_acknowledged(
        chair, central_uri, tmp_path, fault_report):
    """Events the backup holds as pending that reached the server before it was restored are
    acknowledged by their receipts, not sent again under a new sequence."""
    chair.deduct()
    backup = tmp_path / "unsynced.sqlite3"
    chair.ok("backup", "-o", str(backup))  # one usage queued in the backup
    chair.deduct("2")
    assert chair.sync()["pushed"] == 2
    chair.ok("restore", str(backup))
    chair.deduct()

    report = chair.sync()

    assert (report["code"], report["pushed"], report["quarantined"]) == (0, 2, 0), report
    assert assert_settled(chair, central_uri, *safety_copies(chair)) == 3
    settled(fault_report, "restores", central_usages=3, voids=0)


def test_a_workstation_taking_over_a_retired_kiosk_goes_on_above_its_sequence(
        chair, central_uri, tmp_path, capsys, fault_report):
    old_backup = tmp_path / "retired.sqlite3"
    chair.ok("backup", "-o", str(old_backup))
    chair.deduct()
    chair.deduct()
    assert chair.sync()["pushed"] == 2  # the retired workstation's last day
    spare = kiosk_at(tmp_path, capsys, central_uri, "spare")
    spare.ok("restore", str(old_backup), "--replace-kiosk")
    spare.deduct()
    usage = spare.deduct("2")
    spare.void(usage)

    report = spare.sync()

    assert (report["code"], report["pushed"], report["quarantined"]) == (0, 3, 0), report
    assert assert_settled(spare, central_uri, chair.database) == 4
    settled(fault_report, "restores", central_usages=4, voids=1)


def test_a_copied_data_directory_is_refused_and_loses_nothing(chair, central_uri, tmp_path,
                                                              capsys, fault_report):
    chair.deduct()
    assert chair.sync()["pushed"] == 1
    shutil.copytree(chair.home, tmp_path / "copy")
    copy = Kiosk(tmp_path / "copy.toml", capsys)
    copy.config.write_text(chair.config.read_text().replace(str(chair.home),
                                                            str(copy.home)))
    chair.deduct()
    copied_usage = copy.deduct()
    assert chair.sync()["pushed"] == 1

    refused = copy.sync()

    assert refused["code"] == 1 and refused["pushed"] == 0
    assert "run `kiosk init --replace-kiosk`" in refused["err"]
    assert refused["err"].count("\n") == 1
    assert outbox(copy.database)[copied_usage][1] == "PENDING"  # kept for after the fix
    assert assert_settled(chair, central_uri) == 2  # the original workstation carries on
    tally(fault_report, scenarios=1, clones=1, copies_refused_and_kept=1, usages=2, voids=0,
          lost=0, duplicated=0, stuck=0)


def test_a_refused_copy_takes_its_own_kiosk_id_and_sends_its_events(chair, central_uri,
                                                                    tmp_path, capsys,
                                                                    fault_report):
    shutil.copytree(chair.home, tmp_path / "copy")
    copy = Kiosk(tmp_path / "copy.toml", capsys)
    copy.config.write_text(chair.config.read_text().replace(str(chair.home),
                                                            str(copy.home)))
    chair.deduct()
    assert chair.sync()["pushed"] == 1
    mine = copy.deduct()
    copy.void(mine)
    copy.deduct("2")
    assert copy.sync()["code"] == 1

    out = copy.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "copy",
                  "--data-dir", str(copy.home), "--mongo-uri", central_uri, "--replace-kiosk")
    assert "new kiosk id" in out
    report = copy.sync()

    assert (report["code"], report["pushed"], report["quarantined"]) == (0, 3, 0), report
    assert assert_settled(copy, central_uri, chair.database) == 3
    assert assert_settled(chair, central_uri, copy.database) == 3
    settled(fault_report, "clones", central_usages=3, voids=1)
