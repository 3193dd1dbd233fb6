"""`kiosk fleet` (issue 15 item 5): the clinic's workstations from their heartbeats on a real
MongoDB wire server, through the CLI; a stale one and one with queued events are flagged, the
other clinic's workstations are never listed, and no server (or a dead one) is one sentence."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId
from integration_cli import Cli
from mongo_server import free_port
from pymongo import MongoClient
from test_cli_central import kiosk_cli, sync

from kiosk.bootstrap import open_kiosk

OTHER_CLINIC = ObjectId("64b0000000000000000000b2")


def kiosk_id(cli: Cli) -> ObjectId:
    kiosk = open_kiosk(str(cli.config))
    try:
        return ObjectId(kiosk.kiosk_id())
    finally:
        kiosk.context.store.close()


@pytest.fixture
def fleet(tmp_path, capsys, central_uri, demo_csvs):
    """chair-1 synced just now; chair-2 synced, then not heard from for 40 min; chair-3 heard
    a minute ago with 12 events queued, 1 quarantined and an error; a kiosk of another clinic."""
    one = kiosk_cli(tmp_path, capsys, central_uri, "chair-1")
    one.ok("central", "init")
    for kind, path in demo_csvs.items():
        one.ok("import", kind, str(path))
    assert sync(one)["code"] == 0
    two = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")
    assert sync(two)["code"] == 0
    three = kiosk_cli(tmp_path, capsys, central_uri, "chair-3")
    assert sync(three)["code"] == 0
    now = datetime.now(UTC)
    with MongoClient(central_uri) as client:
        stations = client.get_default_database().Workstation
        stations.update_one({"_id": kiosk_id(two)},
                            {"$set": {"heartbeatAt": now - timedelta(minutes=40),
                                      "lastSync": now - timedelta(minutes=41)}})
        stations.update_one({"_id": kiosk_id(three)}, {"$set": {
            "heartbeatAt": now - timedelta(minutes=1), "queueDepth": 12, "quarantined": 1,
            "lastSync": now - timedelta(days=3),
            "lastError": "The central server cannot be reached to send the kiosk's events."}})
        stations.insert_one({"_id": ObjectId(), "clinicId": OTHER_CLINIC,
                             "workstationId": "elsewhere-1", "version": "9.9", "queueDepth": 5,
                             "quarantined": 0, "lastSync": now, "lastError": None,
                             "heartbeatAt": now})
    return one, two, three


def test_fleet_json_lists_the_clinics_workstations_with_stale_and_queued_flags(fleet):
    one, _, three = fleet
    answer = json.loads(one.ok("fleet", "--json"))
    assert answer["asOf"]
    stations = {s["workstationId"]: s for s in answer["workstations"]}
    assert sorted(stations) == ["chair-1", "chair-2", "chair-3"]  # not the other clinic's
    first, second, third = stations["chair-1"], stations["chair-2"], stations["chair-3"]
    assert set(first) == {"workstationId", "kioskId", "version", "lastSync", "queueDepth",
                          "quarantined", "lastError", "heartbeatAt", "stale", "thisKiosk"}
    assert (first["stale"], first["thisKiosk"], first["queueDepth"]) == (False, True, 0)
    assert first["kioskId"] == str(kiosk_id(one)) and first["version"]
    assert first["lastError"] is None and first["lastSync"] and first["heartbeatAt"]
    assert (second["stale"], second["thisKiosk"]) == (True, False)
    assert (third["stale"], third["queueDepth"], third["quarantined"]) == (False, 12, 1)
    assert third["lastError"].startswith("The central server cannot be reached")
    heard = datetime.fromisoformat(second["heartbeatAt"])
    assert timedelta(minutes=39) < datetime.now(UTC) - heard < timedelta(minutes=42)
    # every kiosk of the clinic sees the same fleet
    assert {s["workstationId"] for s in json.loads(three.ok("fleet", "--json"))[
        "workstations"]} == {"chair-1", "chair-2", "chair-3"}


def test_fleet_table_says_which_workstation_is_stale_or_has_events_queued(fleet):
    one, _, _ = fleet
    out = one.ok("fleet")
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("chair-")}
    assert sorted(lines) == ["chair-1", "chair-2", "chair-3"]
    assert "this kiosk" in lines["chair-1"] and "STALE" not in lines["chair-1"]
    assert "STALE: not heard from for 40 min" in lines["chair-2"]
    assert "12 queued" in lines["chair-3"] and "1 quarantined" in lines["chair-3"]
    assert "cannot be reached" in lines["chair-3"]
    assert "elsewhere-1" not in out
    assert out.splitlines()[-1] == ("3 workstations; not heard from for 15 min: chair-2; "
                                    "events waiting to sync: chair-3.")


def test_fleet_without_a_central_server_is_one_sentence(cli):
    result = cli("fleet")
    assert result.code == 1 and result.out == ""
    assert result.err == ("kiosk: This kiosk has no central server configured, so there is no "
                          "fleet to list; run `kiosk init` with --mongo-uri first.\n")


def test_fleet_with_the_server_down_is_one_sentence_within_the_budget(tmp_path, capsys):
    dead = f"mongodb://127.0.0.1:{free_port()}/fleet?directConnection=true"
    cli = kiosk_cli(tmp_path, capsys, dead)
    began = time.monotonic()
    result = cli("fleet", "--json")
    assert time.monotonic() - began < 4.5  # the offline budget (3 s) with the test's slack
    assert result.code == 1 and result.out == ""
    assert result.err == ("kiosk: The central server cannot be reached, so the clinic's "
                          "workstations cannot be listed; check the network and the server, "
                          "then try again.\n")
