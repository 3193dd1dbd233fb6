"""Run inside a fresh process by ``chair_bench``: the real kiosk window on the offscreen
platform, signed in, with its sync thread pushing a backlog to a MongoDB wire server; each
round types one scan into the scan field as a keyboard-wedge scanner does (one key press and
release per character, then Return) and waits until the cart table has painted the row that
scan changed. Prints one JSON line: the seconds per round, and how far the sync got meanwhile.

    python bench/chair_probe.py <mongo uri or ''> <folder> <rounds> <backlog>
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bson import ObjectId
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.push_bench import queue_usages, seed_catalog
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.schema import ensure_schema
from kiosk.bootstrap import open_demo_kiosk
from kiosk.services.lookup import find_staff
from kiosk.services.sync import SyncService
from kiosk.services.sync_push import push_chairside
from kiosk.ui.app import settle_heap
from kiosk.ui.main_window import MainWindow

# Full DataMatrix contents (GTIN + lot) of demo items: each lands in the cart at once.
SCANS = ("(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F")
TIMEOUT_MS = 2000


class PaintAfterChange(QObject):
    """Quits ``loop`` at the first paint of the cart table's viewport once the cart holds
    ``target`` pieces, recording when."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.target = 0
        self.painted_at: float | None = None
        self.loop: QEventLoop | None = None

    def pieces(self) -> int:
        return sum(line.quantity for line in self.window.placement.cart.lines)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and self.painted_at is None
                and self.pieces() >= self.target):
            self.painted_at = time.perf_counter()
            if self.loop is not None:
                QTimer.singleShot(0, self.loop.quit)
        return False


def wedge(widget, text: str) -> None:
    """One press and release per character and a Return, as a USB keyboard-wedge types."""
    for char in text:
        QTest.keyClick(widget, char)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def main() -> int:
    uri, folder, rounds, backlog = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])
    app = QApplication.instance() or QApplication(sys.argv)
    kiosk = open_demo_kiosk(folder / "kiosk")
    ctx = kiosk.context
    with ctx.store.read() as tx:
        identity = tx.identity()
        staff = find_staff(tx, "B1001")
    sync_factory = None
    if uri:  # else a local-only kiosk: no sync thread (the baseline)
        client = connect(uri)
        db = database(client)
        ensure_schema(db)
        seed_catalog(db, ctx, ObjectId(identity.clinic_id))
        client.close()

        def sync_factory():
            central = MongoCentral.from_uri(uri, identity.clinic_id, identity.kiosk_id)
            return SyncService(ctx, central, push=push_chairside), central.close  # as the app
    queue_usages(ctx, backlog)

    window = MainWindow(kiosk, sync=sync_factory, idle_timeout_s=3600)
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.on_signed_in(staff)
    settle_heap()  # as run_kiosk does once the window is up
    placement = window.placement
    probe = PaintAfterChange(window)
    placement.cart_table.viewport().installEventFilter(probe)
    QTest.qWait(300)  # the sync thread starts its first push

    def queued() -> int:
        with ctx.store.read() as tx:
            return len(tx.pending_events(backlog + 10))

    at_start = queued()
    samples: list[float] = []
    for n in range(rounds):
        if n % 20 == 0:
            placement.cart.clear()
            placement.cart_panel.render(None)
            QTest.qWait(20)
        probe.target, probe.painted_at = probe.pieces() + 1, None
        probe.loop = QEventLoop()
        QTimer.singleShot(TIMEOUT_MS, probe.loop.quit)
        began = time.perf_counter()
        wedge(placement.scan_field, SCANS[n % len(SCANS)])
        if probe.painted_at is None:
            probe.loop.exec()
        if probe.painted_at is None:
            raise SystemExit(f"round {n}: the cart row was not painted within {TIMEOUT_MS} ms")
        samples.append(probe.painted_at - began)
    at_end = queued()
    window.close()
    app.processEvents()
    print(json.dumps({"samples": samples, "queued_at_start": at_start,
                      "queued_at_end": at_end}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
