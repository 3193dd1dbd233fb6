"""A central import SIGKILLed mid-way leaves its transaction open on the server, holding the
clinic's revision counter and the rows written so far (issue 14, item 11). The clinic's next
push, and the next import, end that session instead of meeting write conflicts for the
minute until the server reaps it; nothing of the killed import lands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import bson
import pytest
from bson import ObjectId
from integration_cli import KIOSK_EXE, Cli
from lossy_proxy import LossyProxy
from pymongo.uri_parser import parse_uri
from test_central_push import central_db, open_site, place_many, seed_catalog

from kiosk.adapters.mongo.catalog_store import MongoCatalogStore
from kiosk.adapters.mongo.claimed_sessions import BEAT_S, DEAD_AFTER_S
from kiosk.domain.errors import CentralUnavailable
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import Vendor
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.sync_push import PushReport, push_pending

REAPED_AFTER_S = 60  # the server's transaction lifetime
ROWS = 2500
HEADER = "sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity\n"


class WatchTransaction(LossyProxy):
    """Passes everything through; ``midway`` is set once ``writes`` messages have followed
    the one that started a transaction."""

    def __init__(self, target_port: int, target_host: str, writes: int) -> None:
        self.midway = threading.Event()
        self.lsid: dict | None = None  # the transaction's session
        self._started = False
        self._after = 0
        self._writes = writes
        super().__init__(target_port, target_host)

    def _note_request(self, request_id: int, message: bytes) -> None:
        if b"startTransaction\x00" in message and not self._started:
            self._started = True
            size = int.from_bytes(message[21:25], "little")  # OP_MSG: header, flags, kind 0
            self.lsid = bson.decode(message[21:21 + size]).get("lsid")
        elif self._started:
            self._after += 1
            if self._after >= self._writes:
                self.midway.set()
        super()._note_request(request_id, message)


def big_items(path) -> None:
    rows = "".join(f"IMP-{n:05d},Imported item {n},BRACKET,,,EACH,1,1\n" for n in range(ROWS))
    path.write_text(HEADER + rows, encoding="utf-8")


def push_through(site, deadline_s: float) -> tuple[PushReport, float]:
    """Push until it goes through; the report and how long it took."""
    began = time.monotonic()
    while True:
        try:
            return push_pending(site.ctx, site.central), time.monotonic() - began
        except CentralUnavailable:
            if time.monotonic() - began > deadline_s:
                pytest.fail(f"the push was still blocked after {deadline_s} s")
            time.sleep(0.2)


def kill_an_import_midway(central_uri: str, tmp_path, capsys) -> dict | None:
    """``kiosk import items`` of a big file from the office, SIGKILLed inside its transaction
    (after some of its writes went through); its session id."""
    [(host, port)] = parse_uri(central_uri)["nodelist"]
    items = tmp_path / "items.csv"
    big_items(items)
    with WatchTransaction(port, host, writes=60) as proxy:
        office = Cli(tmp_path / "office.toml", capsys)
        office.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "office",
                  "--data-dir", str(tmp_path / "office"), "--mongo-uri",
                  central_uri.replace(f"{host}:{port}", f"127.0.0.1:{proxy.port}"))
        importing = subprocess.Popen([KIOSK_EXE, "--config", str(office.config), "import",
                                      "items", str(items)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            assert proxy.midway.wait(60), "the import never got going"
            assert importing.poll() is None, "the import finished before it could be killed"
            os.killpg(importing.pid, signal.SIGKILL)
        finally:
            importing.wait(10)
    return proxy.lsid


def end_for_the_teardown(client, lsid: dict | None) -> None:
    """Whatever the test found, end the killed import's transaction (SecantusDB's dropDatabase
    takes minutes over a transaction left open)."""
    if lsid is not None:
        client.admin.command("killSessions", [lsid])


def import_one_more(central_uri: str, tmp_path, capsys) -> float:
    """A small import from another workstation straight to the server; how long it took."""
    began = time.monotonic()
    small = tmp_path / "small.csv"
    small.write_text(HEADER + "IMP-99999,One more item,BRACKET,,,EACH,1,1\n", encoding="utf-8")
    direct = Cli(tmp_path / "direct.toml", capsys)
    direct.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "office-2",
              "--data-dir", str(tmp_path / "direct"), "--mongo-uri", central_uri)
    assert "into the central server" in direct.ok("import", "items", str(small))
    return time.monotonic() - began


def imported(db) -> list[str]:
    return sorted(d["sku"] for d in db.InventoryItem.find(
        {"clinicId": ObjectId(DEMO_CLINIC_ID), "sku": {"$regex": "^IMP-"}}))


def test_a_killed_import_blocks_neither_the_pushes_nor_the_next_import(central_uri, tmp_path,
                                                                       capsys):
    client, db = central_db(central_uri)
    site = open_site(central_uri, tmp_path / "chair")
    lsid = None
    try:
        seed_catalog(db, site.ctx)
        place_many(site.ctx, 20)
        lsid = kill_an_import_midway(central_uri, tmp_path, capsys)

        report, took = push_through(site, deadline_s=REAPED_AFTER_S / 3)

        assert report == PushReport(20, 0, 0)
        assert took < REAPED_AFTER_S / 4, took
        assert imported(db) == []
        assert import_one_more(central_uri, tmp_path, capsys) < REAPED_AFTER_S / 4
        assert imported(db) == ["IMP-99999"]
        assert db.SessionClaim.count_documents({}) == 0
    finally:
        end_for_the_teardown(client, lsid)
        site.central.close()
        client.close()


def test_the_next_import_ends_a_killed_import_at_once(central_uri, tmp_path, capsys):
    client, db = central_db(central_uri)
    lsid = None
    try:
        lsid = kill_an_import_midway(central_uri, tmp_path, capsys)

        took = import_one_more(central_uri, tmp_path, capsys)

        assert took < REAPED_AFTER_S / 4, took
        assert imported(db) == ["IMP-99999"]
        assert db.SessionClaim.count_documents({}) == 0
    finally:
        end_for_the_teardown(client, lsid)
        client.close()


def test_a_running_import_is_not_ended_by_a_push_that_meets_it(central_uri, tmp_path):
    """Only a claim that stopped beating is ended: a push that conflicts with a live import
    (longer than a dead one's grace) waits for it; the import still commits."""
    client, db = central_db(central_uri)
    site = open_site(central_uri, tmp_path / "chair")
    try:
        seed_catalog(db, site.ctx)
        place_many(site.ctx, 2)
        office = MongoCatalogStore.from_uri(central_uri, DEMO_CLINIC_ID)
        with office, office.write() as tx:  # the import holds the clinic's rev counter
            tx.save_vendor(Vendor(id=new_object_id(), name="Slow Import Vendor"))
            began = time.monotonic()
            while time.monotonic() - began < DEAD_AFTER_S + 2 * BEAT_S:
                with pytest.raises(CentralUnavailable):
                    push_pending(site.ctx, site.central)
                time.sleep(0.5)
        assert db.Vendor.count_documents({"name": "Slow Import Vendor"}) == 1
        assert push_through(site, deadline_s=5)[0] == PushReport(2, 0, 0)
        assert db.SessionClaim.count_documents({}) == 0
    finally:
        site.central.close()
        client.close()
