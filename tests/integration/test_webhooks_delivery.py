"""Webhooks end to end (issue 17 item 5): usages pushed by a kiosk's sync reach a local
receiver as signed POSTs from `kiosk api webhooks run` (a real process over the suite's
MongoDB wire server, driven by its change stream); a failing receiver is retried then
dead-lettered, which `kiosk doctor` reports; a dispatcher killed with SIGKILL resumes where it
left off and no event is lost; the reorder point fires once per crossing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from integration_cli import KIOSK_EXE, Cli
from pymongo import MongoClient
from test_cli_central import CLINIC, DEDUCT, kiosk_cli, set_lot, sync

from kiosk.domain.webhooks import signature_valid

FAST = ("--attempts", "3", "--backoff", "0.05", "--max-backoff", "0.2", "--timeout", "2")


class Receiver:
    """A stdlib HTTP server on 127.0.0.1 recording every POST; ``answer`` picks the status."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answer: Callable[[], int] = lambda: 200
        self.delay_s = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k: v for k, v in self.headers.items()}, body))
                time.sleep(receiver.delay_s)
                self.send_response(receiver.answer())
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/kiosk"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self, secret: str) -> list[dict]:
        """The bodies received, each checked against its signature."""
        found = []
        for headers, body in list(self.requests):
            assert signature_valid(secret, headers["X-Kiosk-Timestamp"], body,
                                   headers["X-Kiosk-Signature"]), headers
            found.append(json.loads(body))
        return found


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def kiosk(tmp_path, capsys, central_uri, demo_csvs) -> Cli:
    cli = kiosk_cli(tmp_path, capsys, central_uri)
    cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    assert sync(cli)["code"] == 0
    return cli


def add_webhook(cli: Cli, url: str, *events: str) -> str:
    out = cli.ok("api", "webhook", "add", url, "--events", *events, "--actor", "B1009")
    return out.strip().splitlines()[-1]  # the secret, alone on the last line


def dispatcher(cli: Cli, *options: str) -> subprocess.Popen:
    return subprocess.Popen([KIOSK_EXE, "--config", str(cli.config), "api", "webhooks", "run",
                             *FAST, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def wait_for(what: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return out, err


def central_usage_ids(central_uri: str) -> set[str]:
    with MongoClient(central_uri) as client:
        links = client.get_default_database().ApplianceInventoryLink.find({"clinicId": CLINIC})
        return {str(link["_id"]) for link in links}


def test_events_arrive_signed_and_a_failing_receiver_is_dead_lettered(kiosk, receiver,
                                                                     central_uri):
    refused = kiosk("api", "webhook", "add", "ftp://fin.example.org/x", "--events",
                    "usage.recorded", "--actor", "B1009")
    assert refused.code == 1 and "http:// or https://" in refused.err
    assert "Traceback" not in refused.err
    denied = kiosk("api", "webhook", "add", receiver.url, "--events", "usage.recorded",
                   "--actor", "B1001")
    assert denied.code == 1 and "admin:configure" in denied.err
    secret = add_webhook(kiosk, receiver.url, "usage.recorded,usage.voided",
                         "stock.reorder-point", "lot.recalled")
    running = dispatcher(kiosk)
    try:
        usage = json.loads(kiosk.ok(*DEDUCT, "--qty", "2", "--json"))["usages"][0]["id"]
        kiosk.ok("void", usage, "--actor", "B1005", "--reason", "wrong patient")
        # BRK-MBT-U1R holds 80 with reorder point 10: 70 out reaches it (one crossing), one
        # more stays below it, 5 back in rises above it, 4 out reaches it again (a second)
        for step in (("adjust", "-70"), ("deduct", "1"), ("adjust", "5"), ("deduct", "4")):
            if step[0] == "adjust":
                kiosk.ok("adjust", "--item", "BRK-MBT-U1R", "--qty", step[1], "--reason",
                         "count", "--actor", "B1007")
            else:
                kiosk.ok(*DEDUCT, "--qty", step[1])
            assert sync(kiosk)["code"] == 0
        set_lot(central_uri, "B26A858", {"status": "RECALLED", "recallNotice": "Z-0101-2026"})
        wait_for(lambda: len(receiver.requests) >= 7)
        time.sleep(0.5)  # nothing more is on its way
    finally:
        out, _ = stop(running)
    assert "Delivering the webhooks of clinic" in out
    events = receiver.events(secret)
    kinds = [e["type"] for e in events]
    assert kinds.count("usage.recorded") == 3 and kinds.count("usage.voided") == 1
    assert kinds.count("stock.reorder-point") == 2 and kinds.count("lot.recalled") == 1
    assert len({e["id"] for e in events}) == len(events) == 7
    assert {e["clinicId"] for e in events} == {str(CLINIC)}
    recorded = next(e["data"] for e in events if e["type"] == "usage.recorded")
    assert recorded["id"] == usage and recorded["unitCost"] and recorded["patientId"]
    assert recorded["usageDate"].endswith("Z") and "Mateo" not in json.dumps(events)
    voided = next(e["data"] for e in events if e["type"] == "usage.voided")
    assert (voided["id"], voided["voidReason"]) == (usage, "wrong patient")
    lows = [e["data"] for e in events if e["type"] == "stock.reorder-point"]
    assert [(low["sku"], low["reorderPoint"], low["quantityOnHand"]) for low in lows] == [
        ("BRK-MBT-U1R", 10, 10)] * 2
    recalled = next(e["data"] for e in events if e["type"] == "lot.recalled")
    assert (recalled["lotNumber"], recalled["recallNotice"]) == ("B26A858", "Z-0101-2026")
    listed = json.loads(kiosk.ok("api", "webhook", "list", "--json"))["webhooks"]
    fleet = json.loads(kiosk.ok("fleet", "--json"))["webhooks"]
    assert listed == fleet and len(listed) == 1 and "secret" not in listed[0]
    assert (listed[0]["deadLetters"], listed[0]["lastStatus"]) == (0, 200)
    assert listed[0]["lastDeliveryAt"]
    assert "1 webhook(s), 0 dead letter(s)" in kiosk.ok("fleet")
    assert next(c for c in json.loads(kiosk.ok("doctor", "--json"))["checks"]
                if c["name"] == "central webhooks")["ok"]

    # a receiver that fails: retried (--attempts 3), then dead-lettered, and doctor says so
    receiver.answer, before = (lambda: 500), len(receiver.requests)
    running = dispatcher(kiosk)
    try:
        kiosk.ok(*DEDUCT)
        assert sync(kiosk)["code"] == 0
        wait_for(lambda: json.loads(kiosk.ok("api", "webhook", "list", "--json"))[
            "webhooks"][0]["deadLetters"] == 1)
    finally:
        stop(running)
    failed = receiver.requests[before:]
    assert len(failed) == 3 and len({h["X-Kiosk-Event-Id"] for h, _ in failed}) == 1
    doctor = kiosk("doctor", "--json")
    [check] = [c for c in json.loads(doctor.out)["checks"] if c["name"] == "central webhooks"]
    assert doctor.code == 1 and not check["ok"] and "1 dead letter(s)" in check["detail"]
    assert "kiosk api webhook list" in check["fix"]
    assert "1 dead letter(s)" in kiosk.ok("fleet")
    kiosk.ok("api", "webhook", "remove", listed[0]["id"], "--actor", "B1009")
    assert "No webhooks" in kiosk.ok("api", "webhook", "list")


def test_a_killed_dispatcher_resumes_and_no_event_is_lost(kiosk, receiver, central_uri):
    receiver.delay_s = 0.15  # slow enough to be killed in the middle of the backlog
    secret = add_webhook(kiosk, receiver.url, "usage.recorded")
    for _ in range(6):
        kiosk.ok(*DEDUCT)
    assert sync(kiosk)["code"] == 0
    first = dispatcher(kiosk)
    wait_for(lambda: len(receiver.requests) >= 2)
    os.killpg(first.pid, signal.SIGKILL)
    first.communicate(timeout=20)
    assert len(receiver.requests) < 6
    for _ in range(3):  # more usages while no dispatcher runs
        kiosk.ok(*DEDUCT)
    assert sync(kiosk)["code"] == 0
    expected = central_usage_ids(central_uri)
    assert len(expected) == 9
    second = dispatcher(kiosk)
    try:
        wait_for(lambda: {e["data"]["id"] for e in receiver.events(secret)} >= expected)
    finally:
        stop(second)
    events = receiver.events(secret)
    assert {e["data"]["id"] for e in events} == expected
    # at least once: a repeat (the event being sent when killed) carries the same event id
    by_usage: dict[str, set[str]] = {}
    for event in events:
        by_usage.setdefault(event["data"]["id"], set()).add(event["id"])
    assert all(len(ids) == 1 for ids in by_usage.values())
    assert len(events) <= len(expected) + 1
