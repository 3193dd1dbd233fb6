"""A kiosk cut off inside a push leaves its transaction open on the server (a dropped
connection does not abort it, and the driver's abort cannot get through). The next push,
from a new process of the same kiosk once the server answers again, ends that session first
and goes through at once instead of meeting write conflicts until the server reaps it (60 s).
"""

from __future__ import annotations

import threading
import time

import pytest
from bson import ObjectId
from lossy_proxy import LossyProxy
from pymongo.errors import OperationFailure
from pymongo.uri_parser import parse_uri
from test_central_push import assert_invariants, central_db, open_site, place_many, seed_catalog

from kiosk.adapters.mongo.central import MongoCentral
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.sync_push import PushReport, push_pending

WRITE_CONFLICT = 112
REAPED_AFTER_S = 60


class CutAfterWrite(LossyProxy):
    """Forwards everything until the server answers the message holding ``marker``: that answer
    is lost and the network path is cut, every connection at its next message, until
    ``restore()``."""

    def __init__(self, target_port: int, target_host: str) -> None:
        self._path_cut = threading.Event()
        self._armed = b""
        self._armed_ids: set[int] = set()
        super().__init__(target_port, target_host)

    def cut_after(self, marker: bytes) -> None:
        self._armed = marker + b"\x00"

    def restore(self) -> None:
        self._path_cut.clear()

    def _note_request(self, request_id: int, message: bytes) -> None:
        self._hold()
        if self._armed and self._armed in message:
            self._armed_ids.add(request_id)
            self._armed = b""

    def _should_drop(self, response_to: int) -> bool:
        self._hold()
        if response_to in self._armed_ids:
            self._path_cut.set()
            return True
        return False

    def _hold(self) -> None:
        if self._path_cut.is_set():
            raise ConnectionAbortedError("the proxy's network path is cut")


def test_a_push_cut_off_mid_transaction_does_not_block_the_next_one(central_uri, tmp_path):
    [(host, port)] = parse_uri(central_uri)["nodelist"]
    client, db = central_db(central_uri)
    with CutAfterWrite(port, host) as proxy:
        proxied = central_uri.replace(f"{host}:{port}", f"127.0.0.1:{proxy.port}")
        site = open_site(proxied, tmp_path / "k1")
        try:
            opening = seed_catalog(db, site.ctx)
            place_many(site.ctx, 30)
            # the cost summaries are the batch's last write before its commit
            proxy.cut_after(b"SupplyCostSummary")

            with pytest.raises(CentralUnavailable):
                push_pending(site.ctx, site.central)

            # the cut push's transaction is still open on the server, holding its documents
            with site.ctx.store.read() as tx:
                first = tx.pending_events(1)[0]
            with client.start_session() as session:
                session.start_transaction()
                with pytest.raises(OperationFailure) as held:
                    db.ApplianceInventoryLink.insert_one(
                        {"_id": ObjectId(first.event_id), "clinicId": site.central.clinic_id},
                        session=session)
                session.abort_transaction()
            assert held.value.code == WRITE_CONFLICT
            proxy.restore()
            # the next push comes from a new process of this kiosk (a `kiosk sync --once`)
            kiosk_id, clinic_id = site.kiosk_id, str(site.central.clinic_id)
            began = time.monotonic()
            again = MongoCentral.from_uri(proxied, clinic_id, kiosk_id)
            try:
                assert push_pending(site.ctx, again) == PushReport(30, 0, 0)
            finally:
                again.close()
            assert time.monotonic() - began < REAPED_AFTER_S / 6
            assert db.Workstation.find_one({"_id": site.central.kiosk_id})["clinicId"] == (
                site.central.clinic_id)
            assert "pushSession" not in db.Workstation.find_one({"_id": site.central.kiosk_id})
            assert_invariants(db, [site], opening)
        finally:
            site.central.close()
            client.close()
