"""The central server through the CLI: init, import, sync --once, audit, doctor."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from bson import ObjectId
from integration_cli import KIOSK_EXE, Cli
from mongo_server import free_port
from pymongo import MongoClient

from kiosk.adapters.mongo.revisions import next_rev
from kiosk.services.demo import DEMO_CLINIC_ID

SCAN = "(01)00812345671018(10)B25E392"


def kiosk_cli(tmp_path, capsys, uri: str, name: str = "chair-1") -> Cli:
    runner = Cli(tmp_path / f"{name}.toml", capsys)
    runner.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", name,
              "--data-dir", str(tmp_path / name), "--mongo-uri", uri)
    return runner


def sync(cli: Cli) -> dict:
    result = cli("sync", "--once", "--json")
    return {"code": result.code, **json.loads(result.out)}


@pytest.fixture
def central_day(tmp_path, capsys, central_uri, demo_csvs):
    cli = kiosk_cli(tmp_path, capsys, central_uri)
    assert "created" in cli.ok("central", "init")
    assert "already complete" in cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        assert "into the central server" in cli.ok("import", kind, str(path))
    return cli


def test_import_sync_deduct_sync_audit(central_day):
    cli = central_day
    first = sync(cli)
    assert first["code"] == 0 and first["pulled"] > 0 and first["pushed"] == 0
    for _ in range(3):
        cli.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
               "BRACKET", "--scan", SCAN, "--qty", "2")
    second = sync(cli)
    assert (second["code"], second["pushed"], second["remaining"]) == (0, 3, 0)
    audit = cli("audit", "--json")
    assert audit.code == 0 and json.loads(audit.out) == {"ok": True, "drifts": []}
    doctor = cli("doctor")
    assert doctor.code == 0, doctor.out


def test_second_kiosk_sees_the_first_kiosks_deductions(central_day, tmp_path, capsys,
                                                       central_uri):
    first = central_day
    sync(first)
    first.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type", "BRACKET",
             "--scan", SCAN, "--qty", "5")
    sync(first)
    second = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")
    assert sync(second)["code"] == 0
    rows = json.loads(second.ok("report", "low-stock", "--format", "json"))["rows"]
    assert "BRK-MBT-U1R" not in {r["sku"] for r in rows}  # 80 - 5, still above its reorder point
    report = json.loads(second.ok("report", "usage", "--format", "json"))
    # the clinic's ledger is read centrally (issue 15): chair 1's deduction, once
    assert [(r["sku"], r["quantity"]) for r in report["rows"]] == [("BRK-MBT-U1R", 5)]
    assert report["scope"] == "clinic" and report["asOf"]


def test_server_down_sync_fails_clearly_and_keeps_the_queue(tmp_path, capsys, demo_csvs):
    dead = f"mongodb://127.0.0.1:{free_port()}/?directConnection=true"
    cli = kiosk_cli(tmp_path, capsys, dead)
    for kind, path in demo_csvs.items():
        # no server: imports cannot reach it either, and say so in one sentence
        result = cli("import", kind, str(path))
        assert result.code == 1 and "cannot be reached" in result.err
        break
    result = cli("sync", "--once", "--json")
    report = json.loads(result.out)
    assert result.code == 1 and report["online"] is False and report["error"]
    assert "Traceback" not in result.err and result.err.count("\n") == 1


def test_a_failed_sync_reports_the_events_still_queued(tmp_path, capsys):
    """Issue 14, item 11: a round whose push failed said `remaining: 0` with 3 queued."""
    dead = f"mongodb://127.0.0.1:{free_port()}/?directConnection=true"
    cli = kiosk_cli(tmp_path, capsys, dead)
    cli.ok("demo-seed")
    for _ in range(3):
        cli.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
               "BRACKET", "--scan", SCAN)

    report = sync(cli)
    text = cli("sync", "--once")

    assert (report["code"], report["pushed"], report["remaining"]) == (1, 0, 3), report
    assert text.code == 1 and "3 still queued" in text.out


def test_a_recall_reaches_every_kiosk_and_a_later_sync_does_not_undo_it(
        central_day, tmp_path, capsys, central_uri):
    first = central_day
    sync(first)
    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps({"results": [{
        "recall_number": "Z-0101-2027", "product_code": "DYW",
        "product_description": "Metal twin bracket U1 right, GTIN 00812345671018",
        "code_info": "Lot B25E392", "reason_for_recall": "Base pad may detach"}]}), "utf-8")
    (tmp_path / "contacts").mkdir()
    first.ok("recall", "import", str(recall), "--actor", "B1007", "--out-dir",
             str(tmp_path / "contacts"))
    second = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")
    sync(second)
    refused = second("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
                     "BRACKET", "--scan", SCAN)
    assert refused.code == 1 and "recalled" in refused.err
    # another lot of the item moves stock centrally (bumping revisions); the recall stays
    second.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
              "BRACKET", "--scan", "(01)00812345671018(10)B26A858")
    sync(second)
    assert sync(first)["code"] == 0
    again = first("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
                  "BRACKET", "--scan", SCAN)
    assert again.code == 1 and "recalled" in again.err


def test_the_sync_daemon_stops_cleanly_when_systemd_sends_sigterm(central_day):
    """`kiosk sync` (the systemd user unit) ends its loop on SIGTERM with exit code 0."""
    daemon = subprocess.Popen([KIOSK_EXE, "--config", str(central_day.config), "sync"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = daemon.stdout.readline()  # the first state line: a round has finished
        assert "queued" in first, first
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
    assert daemon.returncode == 0, err
    assert "Sync stopped" in out and "Traceback" not in err


CLINIC = ObjectId(DEMO_CLINIC_ID)
DEDUCT = ("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type", "BRACKET",
          "--scan", SCAN)


def set_lot(central_uri: str, lot_number: str, changes: dict, *, rev: int | None = None) -> str:
    """Change one central lot as a mongo shell would (with the clinic's next rev unless
    ``rev`` is given); returns the lot's id."""
    with MongoClient(central_uri) as client:
        db = client.get_default_database()
        doc = db.InventoryLot.find_one_and_update(
            {"clinicId": CLINIC, "lotNumber": lot_number},
            {"$set": {**changes, "rev": next_rev(db, CLINIC) if rev is None else rev}})
        assert doc is not None
        return str(doc["_id"])


def revision_counter(central_uri: str) -> int:
    with MongoClient(central_uri) as client:
        return int(client.get_default_database().Counter.find_one(
            {"_id": f"{CLINIC}:rev"})["value"])


ESCAPE_LADEN = ("\x1b[1;31m\x1b]8;;https://evil.example/\x07Base pad may detach\x1b]8;;\x07"
                "\x1b[0m\r\n\u202e\x00\x9b2J " + "x" * 3_000_000)


def test_a_recall_notice_from_central_reaches_the_chair_cleaned_and_cut(central_day,
                                                                       central_uri):
    """Issue 14 item 11: a 3 MB recall notice full of ANSI escapes was shown as stored."""
    cli = central_day
    sync(cli)
    set_lot(central_uri, "B25E392", {"status": "RECALLED", "recallNotice": ESCAPE_LADEN})
    assert sync(cli)["code"] == 0

    refused = cli(*DEDUCT)

    assert refused.code == 1 and "recalled (Base pad may detach xxx" in refused.err
    for mark in ("\x1b", "\x07", "\x00", "\x9b", "\r", "\u202e", "[1;31m", "[0m", "]8;;",
                 "evil.example", "2J"):
        assert mark not in refused.err, repr(mark)
    # the notice is cut to a reason's 500 characters, ending in an ellipsis
    notice = refused.err.split("recalled (", 1)[1].split("); do not use it", 1)[0]
    assert len(notice) == 500 and notice.endswith("…") and refused.err.count("\n") == 1


@pytest.mark.parametrize("beyond", [10**9, 2**62 - 1])
def test_a_huge_rev_is_skipped_named_and_later_changes_still_arrive(central_day, central_uri,
                                                                   beyond):
    """Issue 14 item 11: a rev far beyond the clinic's revision counter moved the cursor past
    every later real revision, so nothing was pulled again."""
    cli = central_day
    sync(cli)
    poisoned = set_lot(central_uri, "B26A858", {"quantityOnHand": 1},
                       rev=revision_counter(central_uri) + beyond)

    first = sync(cli)
    doctor = cli("doctor")
    assert first["code"] == 1 and poisoned in json.dumps(first), first
    assert doctor.code == 1 and poisoned in doctor.out and "rev" in doctor.out, doctor.out

    set_lot(central_uri, "B25E392", {"status": "RECALLED", "recallNotice": "Z-0102-2027"})
    second = sync(cli)
    refused = cli(*DEDUCT)
    assert refused.code == 1 and "recalled (Z-0102-2027)" in refused.err, refused.err
    assert second["code"] == 1 and poisoned in json.dumps(second)  # still named, still skipped

    set_lot(central_uri, "B26A858", {"quantityOnHand": 7})  # fixed centrally: a real rev
    assert sync(cli)["code"] == 0
    assert cli("doctor").code == 0
