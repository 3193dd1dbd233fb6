"""The Settings screen's Workstations page (issue 15 item 5): the clinic's workstations from
their heartbeats on a real MongoDB wire server, read off the GUI thread, with Refresh; a kiosk
without a server, or with a dead one, says so in one sentence."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId
from layout_checks import layout_problems
from mongo_server import free_port
from pymongo import MongoClient
from ui_helpers import WAIT_MS, back_office, click, open_window

from kiosk import bootstrap
from kiosk.adapters.mongo.admin import init_central
from kiosk.services.clinic_ledger import (
    CentralCostSummary,
    ClinicLedger,
    ClinicSnapshot,
    StationSeen,
    StockSnapshot,
)
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.ports import UsageFilter
from kiosk.ui.common.widgets import TOUCH

OTHER_CLINIC = ObjectId("64b0000000000000000000b2")


class ThreadNotingLedger(ClinicLedger):
    """The kiosk's real clinic ledger, noting which thread asks it for the workstations."""

    def __init__(self, inner: ClinicLedger) -> None:
        self.inner = inner
        self.asked_on: list[threading.Thread] = []

    def read(self, where: UsageFilter, timezone: str) -> ClinicSnapshot:
        return self.inner.read(where, timezone)

    def cost_summaries(self, patient_id: str | None = None) -> list[CentralCostSummary]:
        return self.inner.cost_summaries(patient_id)

    def stock(self) -> StockSnapshot:
        return self.inner.stock()

    def stations(self) -> list[StationSeen]:
        self.asked_on.append(threading.current_thread())
        return self.inner.stations()


def heartbeat(stations, name: str, clinic: str | ObjectId = DEMO_CLINIC_ID, **fields) -> None:
    now = datetime.now(UTC)
    doc = {"clinicId": ObjectId(clinic), "workstationId": name, "version": "0.9.0",
           "queueDepth": 0, "quarantined": 0, "lastSync": now, "lastError": None,
           "heartbeatAt": now} | fields
    stations.update_one({"workstationId": name, "clinicId": doc["clinicId"]}, {"$set": doc},
                        upsert=True)


@pytest.fixture
def online(qtbot, kiosk, central_uri):
    """A window of the demo kiosk syncing with a real server that holds two more chairs'
    heartbeats (one not heard from for 40 min, one with 12 events queued) and another
    clinic's."""
    init_central(central_uri)
    with MongoClient(central_uri) as client:
        stations = client.get_default_database().Workstation
        now = datetime.now(UTC)
        heartbeat(stations, "chair-7", heartbeatAt=now - timedelta(minutes=40))
        heartbeat(stations, "chair-8", queueDepth=12, quarantined=1,
                  lastSync=now - timedelta(days=3),
                  lastError="The central server cannot be reached to send the kiosk's events.")
        heartbeat(stations, "elsewhere-1", OTHER_CLINIC)
    app = bootstrap.build(replace(kiosk.config, mongo_uri=central_uri),
                          config_path=kiosk.config_path)
    ledger = ThreadNotingLedger(app.context.ledger)
    app = replace(app, context=replace(app.context, ledger=ledger))
    windows = open_window(qtbot, app)
    window = next(windows)
    bar = window.sync_bar
    qtbot.waitUntil(lambda: bar.state is not None and bar.state.last_sync is not None,
                    timeout=20_000)  # the first round sent this kiosk's heartbeat
    yield window, ledger, central_uri
    next(windows, None)  # closes the window; fails if the GUI thread used the store


def fleet_page(qtbot, window):
    section = back_office(qtbot, window, "it_admin", "settings")
    click(qtbot, section.fleet_button)
    return section, section.fleet


def shown(qtbot, panel, count: int) -> list[str]:
    qtbot.waitUntil(lambda: panel.stations.count() == count and panel.refresh_button.isEnabled(),
                    timeout=WAIT_MS)
    return [panel.stations.item(row).text() for row in range(panel.stations.count())]


def assert_fits(qtbot, window, section) -> None:
    """No text of the section cut and every button a touch target, once the list settled."""
    with contextlib.suppress(qtbot.TimeoutError):  # the list re-wraps on a short delay
        qtbot.waitUntil(lambda: not layout_problems(window, section), timeout=3000)
    assert not layout_problems(window, section), "\n".join(layout_problems(window, section))


def test_the_workstations_page_lists_the_clinics_chairs_and_refreshes(qtbot, online):
    window, ledger, uri = online
    section, panel = fleet_page(qtbot, window)
    lines = shown(qtbot, panel, 3)
    assert [line.split(" · ")[0] for line in lines] == ["chair-7", "chair-8", "demo-chair-1"]
    seven, eight, mine = lines
    assert "STALE: not heard from for 40 min" in seven
    assert "12 queued, 1 quarantined" in eight and "last error: The central server" in eight
    assert "this kiosk" in mine and "STALE" not in mine
    assert panel.summary.text() == ("3 workstations; not heard from for 15 min: chair-7; "
                                    "events waiting to sync: chair-8.")
    assert panel.summary.property("tone") == "warn"
    assert ledger.asked_on and threading.main_thread() not in ledger.asked_on
    # the narrowest kiosk screen: the long last error still fits (the window with its sync
    # strip is taller than 768 px whatever the page, so only the width is the smallest's)
    window.resize(1024, 900)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=WAIT_MS)
    assert_fits(qtbot, window, section)

    with MongoClient(uri) as client:  # chair-8 catches up and chair-7 comes back
        stations = client.get_default_database().Workstation
        heartbeat(stations, "chair-7")
        heartbeat(stations, "chair-8")
    click(qtbot, panel.refresh_button)
    qtbot.waitUntil(lambda: "STALE" not in panel.stations.item(0).text(), timeout=WAIT_MS)
    lines = shown(qtbot, panel, 3)
    assert "0 queued, 0 quarantined" in lines[1]
    assert panel.summary.text() == ("3 workstations; all heard from recently, nothing "
                                    "waiting to sync.")
    assert panel.summary.property("tone") == "ok"
    assert panel.refresh_button.height() >= TOUCH and section.fleet_button.height() >= TOUCH
    assert_fits(qtbot, window, section)


def test_signing_out_clears_the_workstations(qtbot, online):
    window, _, _ = online
    section, panel = fleet_page(qtbot, window)
    shown(qtbot, panel, 3)
    section.stop()
    assert panel.stations.count() == 0 and panel.summary.text() == ""


def test_a_kiosk_without_a_server_says_there_is_no_fleet(qtbot, window):
    _, panel = fleet_page(qtbot, window)
    qtbot.waitUntil(lambda: panel.summary.property("tone") == "warn", timeout=WAIT_MS)
    assert panel.summary.text() == ("This kiosk has no central server configured, so there "
                                    "is no fleet to list; run `kiosk init` with --mongo-uri "
                                    "first.")
    assert panel.stations.count() == 0


@pytest.fixture
def dead_window(qtbot, kiosk):
    dead = f"mongodb://127.0.0.1:{free_port()}/fleet?directConnection=true"
    app = bootstrap.build(replace(kiosk.config, mongo_uri=dead), config_path=kiosk.config_path)
    yield from open_window(qtbot, app)


def test_a_dead_server_is_one_sentence_and_the_screen_stays_usable(qtbot, dead_window):
    section, panel = fleet_page(qtbot, dead_window)
    assert panel.summary.text() == "Asking the central server…"
    click(qtbot, section.form_button)  # the GUI answers while the server is tried
    assert section.pages.currentIndex() == 0
    click(qtbot, section.fleet_button)
    qtbot.waitUntil(lambda: panel.summary.property("tone") == "error", timeout=WAIT_MS)
    assert panel.summary.text() == ("The central server cannot be reached, so the clinic's "
                                    "workstations cannot be listed; check the network and the "
                                    "server, then try again.")
    assert panel.stations.count() == 0 and panel.refresh_button.isEnabled()
