"""Two kiosks of one clinic keep one recall watch on the central server (issue 16): a recall
one applied is a repeat for the other, its alert shows at both, one acknowledgement counts at
both; another clinic's watch is its own."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import MongoClient
from pymongo.uri_parser import parse_uri

from kiosk.adapters.mongo.recall_watch import ClinicRecallWatchLog, MongoRecallWatchLog
from kiosk.adapters.sqlite import initialize_store, open_store
from kiosk.adapters.sqlite.recall_watch_log import SqliteRecallWatchLog
from kiosk.services.recall_watch_ports import SYSTEM_PRINCIPAL, RecallAlert

CLINIC, OTHER = "64a000000000000000000001", "64a000000000000000000002"
AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
MANAGER = "64b100000000000000000008"


def kiosk_log(tmp_path, name, uri, clinic=CLINIC):
    path = tmp_path / f"{name}.sqlite3"
    initialize_store(path, clinic, name)
    return ClinicRecallWatchLog(SqliteRecallWatchLog(open_store(path)),
                                MongoRecallWatchLog(uri, clinic))


def test_two_kiosks_share_the_seen_set_the_alerts_and_the_acknowledgement(tmp_path, db,
                                                                          central_uri):
    chair1, chair2 = (kiosk_log(tmp_path, n, central_uri) for n in ("chair-1", "chair-2"))
    alert = RecallAlert("Z-0876-2013", 1, AT, SYSTEM_PRINCIPAL, MANAGER, event_number="64303",
                        firm="Ultradent Products, Inc.", classification="Class III",
                        status="Terminated", reason="Brackets incorrectly labeled.")
    assert chair1.record_run(AT, ["Z-0876-2013", "Z-1506-2015"], [alert]) == [alert]
    assert chair2.seen(["Z-0876-2013", "Z-0481-2014"]) == {"Z-0876-2013"}
    assert chair2.last_run() == AT
    # chair 2 racing with the same alert raises nothing new
    assert chair2.record_run(AT, ["Z-0876-2013"], [alert]) == []
    assert chair2.alerts() == [alert]  # the recall's identifiers travel with it
    acked = chair2.acknowledge("Z-0876-2013", MANAGER, AT)
    assert (acked.acknowledged_by, acked.acknowledged_at) == (MANAGER, AT)
    assert chair1.alerts() == []
    other = kiosk_log(tmp_path, "elsewhere", central_uri, OTHER)
    assert other.seen(["Z-0876-2013"]) == set() and other.alerts() == []


def test_an_unreachable_server_leaves_the_kiosk_its_own_record(tmp_path):
    chair = kiosk_log(tmp_path, "chair-1", "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200")
    alert = RecallAlert("Z-0876-2013", 1, AT, SYSTEM_PRINCIPAL, MANAGER)
    assert chair.record_run(AT, ["Z-0876-2013"], [alert]) == [alert]
    assert chair.seen(["Z-0876-2013"]) == {"Z-0876-2013"}
    assert [a.recall_number for a in chair.alerts()] == ["Z-0876-2013"]


def test_a_poisoned_alert_document_reads_its_identifiers_as_unknown(tmp_path, db, central_uri):
    chair = kiosk_log(tmp_path, "chair-1", central_uri)
    chair.central.add_alerts([RecallAlert("Z-9999-2026", 2, AT, SYSTEM_PRINCIPAL, MANAGER,
                                          firm="Ultradent Products, Inc.")])
    with MongoClient(central_uri) as client:
        client[parse_uri(central_uri)["database"]].RecallAlert.update_one(
            {"recallNumber": "Z-9999-2026"},
            {"$set": {"firm": {"$gt": ""}, "reason": 7, "eventNumber": None}})
    [alert] = [a for a in chair.central.alerts() if a.recall_number == "Z-9999-2026"]
    assert (alert.firm, alert.reason, alert.event_number, alert.lots_marked) == ("", "", "", 2)
