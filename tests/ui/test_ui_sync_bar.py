"""The sync strip: its states, its own sync thread, and a GUI that stays responsive while
5,000 queued events are pushed to a real MongoDB wire server."""

from __future__ import annotations

import gc
import itertools
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_printer import fake_lp
from PySide6.QtCore import Qt, QTimer

from kiosk import bootstrap
from kiosk.domain.errors import CentralRefused, CentralUnavailable
from kiosk.services.demo import DEMO_CLINIC_ID, dated_lots
from kiosk.services.placement import PlaceSupplies, bulk_deduct
from kiosk.services.sync import SyncService
from kiosk.services.sync_ports import CentralStore
from kiosk.services.sync_status import Connection, SyncState
from kiosk.ui.app import settle_heap
from kiosk.ui.common.sync_bar import LOCAL_ONLY, SyncBar
from kiosk.ui.common.workers import Worker
from kiosk.ui.main_window import MainWindow
from kiosk.ui.placement.placement_screen import PlacementScreen
from kiosk.ui.placement.print_action import SENT

WAIT_MS = 15_000
BRACKET_SCAN = "(01)00812345671018(10)B25E392"
WIRE_SCAN = "(01)00812345671490(10)TM2609F"
PATIENT, ASSISTANT = "C-10239", "B1001"
PRINTED_PATIENT = "C-10231"  # a patient of the day with a cost sheet of a dozen lines


class FailingCentral(CentralStore):
    """A central store that is down (CentralUnavailable) or refuses us (CentralRefused)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.closed = threading.Event()

    def push(self, events):
        raise self.error

    def pull(self, collection, after_rev, limit):
        raise self.error

    def schema_version(self):
        raise self.error

    def heartbeat(self, status):
        raise self.error

    def audit(self):
        raise self.error


def show(qtbot, widget, width: int = 1280) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, 64)
    widget.show()
    qtbot.waitExposed(widget)


def states(bar: SyncBar) -> list[SyncState]:
    seen: list[SyncState] = []
    bar.state_changed.connect(seen.append)
    return seen


# rendering ---------------------------------------------------------------------------------
def test_local_only_kiosk_says_so_and_runs_no_thread(qtbot):
    bar = SyncBar(None)
    show(qtbot, bar)
    bar.start()
    assert bar.connection_label.text() == LOCAL_ONLY
    assert not bar.running
    assert not bar.sync_now_button.isVisible()


@pytest.mark.parametrize(("connection", "text", "tone"), [
    (Connection.ONLINE, "Online", "ok"),
    (Connection.OFFLINE, "Offline", "amber"),
    (Connection.REFUSED, "Refused", "red"),
])
def test_connection_states_are_shown_in_words_and_colour(qtbot, connection, text, tone):
    bar = SyncBar(lambda: None, timezone="America/Chicago")
    show(qtbot, bar)
    last = datetime(2026, 3, 2, 15, 4, tzinfo=UTC)
    error = None if connection is Connection.ONLINE else "The central server cannot be reached."
    bar.on_state(SyncState(connection=connection, queue_depth=12, last_sync=last,
                           last_error=error))
    assert text in bar.connection_label.text()
    assert bar.connection_label.property("tone") == tone
    assert bar.queue_label.text() == "12 queued"
    assert bar.last_sync_label.text() == "Last sync 09:04"  # 15:04 UTC in Chicago
    assert bar.error_label.isVisible() == (error is not None)
    assert not bar.alert_label.isVisible()
    assert bar.sync_now_button.isEnabled() and bar.sync_now_button.height() >= 48


def test_quarantined_events_raise_a_red_alert(qtbot):
    bar = SyncBar(lambda: None)
    show(qtbot, bar)
    bar.on_state(SyncState(connection=Connection.ONLINE, quarantined=2, syncing=True))
    assert bar.alert_label.isVisible()
    assert bar.alert_label.property("tone") == "red"
    assert "2 events quarantined" in bar.alert_label.text()
    assert "syncing" in bar.connection_label.text()
    assert not bar.sync_now_button.isEnabled()
    bar.on_state(SyncState(connection=Connection.ONLINE))
    assert not bar.alert_label.isVisible()


# the thread, with a fake central store -------------------------------------------------------
@pytest.fixture
def demo(tmp_path: Path):
    return bootstrap.open_demo_kiosk(tmp_path / "demo")


@pytest.mark.parametrize(("error", "connection"), [
    (CentralUnavailable("The central server cannot be reached."), Connection.OFFLINE),
    (CentralRefused("The central server refused the kiosk's credentials."), Connection.REFUSED),
])
def test_the_bar_thread_reports_offline_and_refused(qtbot, demo, error, connection):
    central = FailingCentral(error)
    bar = SyncBar(lambda: (SyncService(demo.context, central, base_s=5.0),
                           central.closed.set))
    show(qtbot, bar)
    seen = states(bar)
    threads: set[threading.Thread] = set()
    bar.state_changed.connect(lambda _state: threads.add(threading.current_thread()))
    bar.start()
    try:
        qtbot.waitUntil(lambda: any(s.connection is connection and not s.syncing
                                    for s in seen), timeout=WAIT_MS)
        assert str(error) in bar.error_label.text()
        assert threads == {threading.main_thread()}  # the labels changed on the GUI thread
    finally:
        assert bar.stop()
    assert central.closed.is_set()
    assert not bar.running


def test_a_failing_factory_is_shown_not_raised(qtbot):
    def broken():
        raise CentralRefused("The mongo_uri in the config is not a valid URI.")

    bar = SyncBar(broken)
    show(qtbot, bar)
    bar.start()
    qtbot.waitUntil(lambda: bar.state is not None
                    and bar.state.connection is Connection.REFUSED, timeout=WAIT_MS)
    assert "not a valid URI" in bar.error_label.text()
    assert bar.stop()


# a real server -------------------------------------------------------------------------------
def central_kiosk(home: Path, uri: str) -> bootstrap.KioskApp:
    """A kiosk configured with ``uri``, the demo clinic imported centrally and pulled."""
    config, _ = bootstrap.init_kiosk(str(home / "config.toml"), clinic_id=DEMO_CLINIC_ID,
                                     workstation_id="chair-ui", mongo_uri=uri,
                                     data_dir=str(home), timezone=bootstrap.demo_timezone())
    kiosk = bootstrap.open_kiosk(str(config))
    bootstrap.central_init(str(config))
    files = bootstrap.demo_files()
    files["lots"] = dated_lots(files["lots"], kiosk.context.today())
    for kind, text in files.items():
        kiosk.catalog.import_file(kind, text)
    service, close = kiosk.sync_service()
    try:
        report = service.run_once()
    finally:
        close()
    assert report.error is None and report.pulled > 0
    return kiosk


def place_many(kiosk: bootstrap.KioskApp, count: int, per_tx: int = 250,
               patient: str = PATIENT) -> None:
    scans = [BRACKET_SCAN, WIRE_SCAN]
    for start in range(0, count, per_tx):
        bulk_deduct(kiosk.context, ASSISTANT, [
            PlaceSupplies(patient=patient, appliance_type=("BRACKET", "WIRE")[k % 2],
                          scans=[scans[k % 2]])
            for k in range(start, min(start + per_tx, count))])


def drained(seen: list[SyncState]) -> bool:
    return any(s.connection is Connection.ONLINE and not s.syncing and s.queue_depth == 0
               and s.last_sync is not None for s in seen)


def test_the_window_syncs_a_placement_to_the_server(qtbot, tmp_path, central_uri):
    kiosk = central_kiosk(tmp_path / "kiosk", central_uri)
    place_many(kiosk, 3)
    window = MainWindow(kiosk)
    seen = states(window.sync_bar)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        assert window.sync_bar.running
        qtbot.waitUntil(lambda: drained(seen), timeout=WAIT_MS)
        assert "Online" in window.sync_bar.connection_label.text()
        assert window.sync_bar.queue_label.text() == "0 queued"
        assert "never" not in window.sync_bar.last_sync_label.text()
    finally:
        window.close()
    assert not window.sync_bar.running
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 0


def placement_for(qtbot, kiosk: bootstrap.KioskApp, worker: Worker) -> PlacementScreen:
    """A placement screen signed in as the assistant, with the patient picked by a chart scan."""
    with kiosk.context.store.read() as tx:
        staff = tx.staff_by_badge(ASSISTANT)
    screen = PlacementScreen(kiosk.context, worker, kiosk=kiosk)
    show(qtbot, screen)
    screen.resize(1280, 720)
    screen.start(staff)
    screen.scan_field.setText(f"CHART-{PRINTED_PATIENT}")
    screen.on_scan()
    qtbot.waitUntil(lambda: screen.patients.current_patient() is not None
                    and screen.patients.current_patient().chart_number == PRINTED_PATIENT,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_MS)
    return screen


@pytest.mark.slow
def test_the_gui_stays_responsive_while_5000_events_sync_and_a_print_runs(
        qtbot, tmp_path, central_uri, monkeypatch):
    kiosk = central_kiosk(tmp_path / "kiosk", central_uri)
    place_many(kiosk, 12, patient=PRINTED_PATIENT)
    place_many(kiosk, 4988)
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 5000
    lp_argv = fake_lp(tmp_path, monkeypatch, delay_s=1.0)  # a slow printer
    worker = Worker()
    screen = placement_for(qtbot, kiosk, worker)
    printed: list[bool] = []
    screen.printer.finished.connect(printed.append)
    bar = SyncBar(kiosk.sync_service, kiosk.context.settings.timezone)
    show(qtbot, bar)
    seen = states(bar)
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    settle_heap()  # as run_kiosk does once the window is up
    try:
        qtbot.wait(100)
        bar.start()
        qtbot.mouseClick(bar.sync_now_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(s.syncing for s in seen), timeout=WAIT_MS)
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: drained(seen) and bool(printed), timeout=60_000)
    finally:
        timer.stop()
        gc.unfreeze()
        assert bar.stop(wait_s=30)
        worker.shutdown()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50
    assert max(gaps) < 0.100, f"worst tick gap {max(gaps) * 1000:.0f} ms"
    with kiosk.context.store.read() as tx:
        assert tx.outbox_counts().pending == 0
    assert printed == [True]
    assert screen.message.text().startswith(f"{SENT} Whole clinic as of ")  # issue 15
    pdf = screen.printer.last_path
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert lp_argv.read_text(encoding="utf-8").splitlines()[-1] == str(pdf)
