"""`kiosk recall watch` against a local server replaying recorded openFDA responses (issue 16):
new recalls applied once, repeats ignored, an outage is one sentence and changes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openfda_replay import Reply, as_json, not_found, paged, recorded, replaying

from kiosk.adapters.openfda import OpenFdaFeed
from kiosk.bootstrap import open_kiosk
from kiosk.services.recall_watch_ports import FeedQuery, RecallFeedUnavailable

WATCH = ["recall", "watch", "--json"]


@pytest.fixture
def clinic(cli, demo_csvs, tmp_path):
    """The demo clinic plus the Avex CX bracket of recall Z-0876-2013 (REF #224-017)."""
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    items = tmp_path / "avex.csv"
    items.write_text("sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,"
                     "reorder_quantity\n224-017,Avex CX 0.22 UL4-5 HK,BRACKET,,,EACH,5,20\n",
                     encoding="utf-8")
    lots = tmp_path / "avex-lots.csv"
    lots.write_text("sku,lot_number,expiration_date,vendor,unit_cost,quantity,status\n"
                    "224-017,R131360,2031-01-31,Alder Ortho Direct,4.10,12,ACTIVE\n",
                    encoding="utf-8")
    cli.ok("import", "items", str(items))
    cli.ok("import", "lots", str(lots))
    return cli


def configure(cli, url: str, **extra: str) -> None:
    keys = {"openfda_base_url": url, "recall_product_codes": "DYW,EJF",
            "recall_firms": "Ultradent Products, Inc.", "recall_watch_authorized_by": "B1007",
            **extra}
    for key, value in keys.items():
        cli.ok("config", "set", key, value)


def lot_states(cli) -> dict[str, tuple[str, str | None]]:
    kiosk = open_kiosk(str(cli.config))
    with kiosk.context.store.read() as tx:
        return {f"{tx.item(lot.item_id).sku}/{lot.lot_number}": (lot.status.value,
                                                                 lot.recall_notice)
                for item in tx.all_items() for lot in tx.lots_for_item(item.id)}


def test_new_recalls_are_applied_once_across_two_pages_and_repeats_are_ignored(clinic):
    before = lot_states(clinic)
    with replaying(paged()) as server:
        configure(clinic, server.url, openfda_api_key="k3y")
        first = json.loads(clinic.ok(*WATCH))
        assert server.paths == ["/device/recall.json"] * 2
        assert [q.get("skip") for q in server.requests] == [None, ["2"]]
        assert server.requests[0]["api_key"] == ["k3y"]
        search = server.requests[0]["search"][0]
        assert "product_code:(DYW OR EJF)" in search
        assert 'recalling_firm:"Ultradent Products, Inc."' in search
    assert first["fetched"] == 3
    assert first["new"] == ["Z-0876-2013", "Z-1506-2015", "Z-0481-2014"]
    assert [(a["recall_number"], a["lots_marked"], a["applied_by"]) for a in first["alerts"]] \
        == [("Z-0876-2013", 1, "recall-watch")]
    after = lot_states(clinic)
    assert {k: v for k, v in after.items() if before.get(k) != v} == {
        "224-017/R131360": ("RECALLED", "Z-0876-2013")}

    with replaying(paged()) as server:  # the same records again: nothing new
        configure(clinic, server.url)
        second = json.loads(clinic.ok(*WATCH))
    assert (second["fetched"], second["new"], second["repeats"], second["alerts"]) == \
        (3, [], 3, [])
    assert lot_states(clinic) == after
    said = clinic.ok("recall", "alerts")
    assert "Device recall Z-0876-2013: 1 lot marked RECALLED — see Recalls" in said
    # the recall's identifiers are kept with its alert, for the next process too
    assert "Ultradent Products, Inc. · Class III · Terminated · event 64303" in said
    kept = json.loads(clinic.ok("recall", "alerts", "--json"))["alerts"][0]
    assert {k: kept[k] for k in ("event_number", "firm", "classification", "status",
                                 "reason")} == {
        "event_number": "64303", "firm": "Ultradent Products, Inc.",
        "classification": "Class III", "status": "Terminated",
        "reason": "Orthodontic brackets distributed was incorrectly labeled."}


def test_rate_limited_then_answered_is_waited_for(clinic):
    limited = Reply(429, as_json({"error": {"code": "OVER_RATE_LIMIT"}}), {"Retry-After": "0"})
    with replaying([limited, *paged()]) as server:
        configure(clinic, server.url)
        report = json.loads(clinic.ok(*WATCH))
        assert len(server.requests) == 3
    assert report["fetched"] == 3


def test_no_matches_is_a_run_without_news(clinic):
    with replaying([not_found()]) as server:
        configure(clinic, server.url)
        report = json.loads(clinic.ok(*WATCH))
    assert (report["fetched"], report["new"]) == (0, [])


@pytest.mark.parametrize(("replies", "sentence"), [
    ([Reply(500, b"<html>Internal Server Error</html>")], "openFDA answered HTTP 500"),
    ([Reply(200, b"<html>maintenance</html>")], "not JSON"),
    ([Reply(200, as_json({"meta": {}, "results": {"recall_number": "Z-1"}}))],
     'without a "results" list'),
    ([Reply(200, recorded("page1.json")), Reply(503, b"")], "openFDA answered HTTP 503"),
], ids=["down-500", "not-json", "wrong-shape", "second-page-fails"])
def test_an_outage_is_one_sentence_changes_nothing_and_the_next_run_retries(
        clinic, replies, sentence):
    before = lot_states(clinic)
    with replaying(replies) as server:
        configure(clinic, server.url)
        result = clinic(*WATCH)
    assert result.code == 1
    assert sentence in result.err and "Traceback" not in result.err
    assert result.err.count("\n") == 1
    assert lot_states(clinic) == before
    with replaying(paged()) as server:  # back again: the same recalls still arrive
        configure(clinic, server.url)
        report = json.loads(clinic.ok(*WATCH))
    assert report["new"] == ["Z-0876-2013", "Z-1506-2015", "Z-0481-2014"]


def test_a_refused_connection_is_one_sentence(clinic):
    with replaying([not_found()]) as server:
        url = server.url  # the port is free again once the server is gone
    configure(clinic, url)
    result = clinic(*WATCH)
    assert result.code == 1
    assert "cannot be reached" in result.err and "Traceback" not in result.err


def test_a_manager_acknowledges_an_alert_and_a_file_import_raises_one(clinic, tmp_path):
    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps({"results": [json.loads(recorded("page1.json"))["results"][0]]}),
                      encoding="utf-8")
    clinic.ok("recall", "import", str(recall), "--actor", "B1008", "--out-dir", str(tmp_path))
    assert "Z-0876-2013: 1 lot marked RECALLED" in clinic.ok("recall", "alerts")
    refused = clinic("recall", "ack", "Z-0876-2013", "--actor", "B1001")  # an assistant
    assert refused.code == 1
    said = clinic.ok("recall", "ack", "Z-0876-2013", "--actor", "B1008")
    assert "Acknowledged by 64b100000000000000000008" in said
    assert "No recall alert is waiting" in clinic.ok("recall", "alerts")
    alerts = json.loads(clinic.ok("recall", "alerts", "--all", "--json"))["alerts"]
    assert [(a["source"], a["acknowledged_by"], a["firm"], a["event_number"])
            for a in alerts] == [
        ("file", "64b100000000000000000008", "Ultradent Products, Inc.", "64303")]


def test_the_feed_follows_openfdas_next_link_and_gives_up_on_endless_429(tmp_path):
    query = FeedQuery(("DYW",), (), date(2026, 1, 1), date(2026, 12, 3))
    link = {"Link": '<{url}/device/recall.json?search=x&limit=2&search_after=0%3DZ-1506>; '
                    'rel="next"'}
    first = Reply(body=recorded("page1.json"), headers=link)
    with replaying([first, Reply(body=recorded("page2.json"))]) as server:
        records = OpenFdaFeed(server.url).fetch(query)
        assert server.requests[1]["search_after"] == ["0=Z-1506"]
    assert [r["recall_number"] for r in records] == ["Z-0876-2013", "Z-1506-2015",
                                                     "Z-0481-2014"]
    waits = []
    limited = Reply(429, b"{}", {"Retry-After": "600"})
    with replaying([limited]) as server, \
            pytest.raises(RecallFeedUnavailable, match="limiting requests"):
        OpenFdaFeed(server.url, sleep=waits.append, retry_after_cap_s=5).fetch(query)
    assert waits == [5, 5]  # Retry-After honoured up to the cap


def test_a_name_only_match_the_daily_watch_finds_waits_for_review_in_the_alerts(clinic, tmp_path):
    """Z-0481-2014 names the Avex CX2 bracket only in words: the unattended run marks
    nothing, and the proposal must not vanish with the run (nobody was there to see it)."""
    items = tmp_path / "cx2.csv"
    items.write_text("sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,"
                     "reorder_quantity\nOPAL-CX2-UR3,Avex CX2 ceramic bracket UR3,BRACKET,,,"
                     "EACH,5,20\n", encoding="utf-8")
    lots = tmp_path / "cx2-lots.csv"
    lots.write_text("sku,lot_number,expiration_date,vendor,unit_cost,quantity,status\n"
                    "OPAL-CX2-UR3,4520,2031-01-31,Alder Ortho Direct,4.20,10,ACTIVE\n",
                    encoding="utf-8")
    clinic.ok("import", "items", str(items))
    clinic.ok("import", "lots", str(lots))
    with replaying(paged()) as server:
        configure(clinic, server.url)
        report = json.loads(clinic.ok(*WATCH))
    assert lot_states(clinic)["OPAL-CX2-UR3/4520"] == ("ACTIVE", None)
    review = {a["recall_number"]: a for a in report["alerts"]}["Z-0481-2014"]
    assert (review["lots_marked"], review["to_review"]) == (0, 1)
    assert "1 possible match to review" in clinic.ok("recall", "alerts")
