"""The Settings section (admin:configure), driven through its widgets: the config file it
writes, connection tests against a real MongoDB wire server, the sync queue, a serial scanner
on a pty, test prints through a fake spooler."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from fake_printer import fake_lp, no_lp
from mongo_server import SecantusServer, free_port
from pymongo import MongoClient
from PySide6.QtWidgets import QLabel, QLineEdit
from ui_helpers import WAIT_MS, back_office, click, open_window, sign_in_as, staff_row

from kiosk import bootstrap
from kiosk.adapters.config import load_config
from kiosk.adapters.mongo.admin import init_central
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.ids import new_object_id
from kiosk.services.ports import OutboxEvent
from kiosk.services.settings import KioskSettings

PASSWORD = "s3cret-Pa55"
REASON = "The central server already holds a different event with this id (payload differs)."


def settings(qtbot, window):
    section = back_office(qtbot, window, "it_admin", "settings")
    qtbot.waitUntil(lambda: section.saved is not None, timeout=WAIT_MS)
    return section


def said(qtbot, section, *tones: str) -> str:
    qtbot.waitUntil(lambda: section.message.property("tone") in tones, timeout=WAIT_MS)
    return section.message.text()


def shown_text(window) -> str:
    """Everything a person could read on the window (labels and typed fields)."""
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [field.text() for field in window.findChildren(QLineEdit)
              if field.echoMode() == QLineEdit.EchoMode.Normal]
    return "\n".join(texts)


# saving ------------------------------------------------------------------------------------


def test_an_admin_saves_every_setting_to_the_config_file_readable_by_its_owner_only(
        qtbot, window, kiosk):
    section = settings(qtbot, window)
    section.printer.choice.setEditText("Lab_Zebra")
    section.scanner.port.setText("/dev/ttyUSB7")
    for _ in range(12):  # 120 s + 12 × 15 s
        click(qtbot, section.idle_more)
    central = section.central
    qtbot.keyClicks(central.address, "mongodb://db.lan:27017/orthoSupply")
    qtbot.keyClicks(central.user, "kiosk")
    qtbot.keyClicks(central.password, PASSWORD)
    click(qtbot, section.save_button)

    assert said(qtbot, section, "ok", "error") == (
        "Saved. In use now: idle timeout. Restart the kiosk to use the new printer, scanner port "
        "and central server.")
    config = load_config(kiosk.config_path)
    assert (config.printer, config.scanner_port, config.idle_timeout_s, config.mongo_uri) == (
        "Lab_Zebra", "/dev/ttyUSB7", 300, f"mongodb://kiosk:{PASSWORD}@db.lan:27017/orthoSupply")
    assert replace(config, printer="", scanner_port="", idle_timeout_s=120, mongo_uri="") == \
        kiosk.config  # every other key as it was
    assert stat.S_IMODE(kiosk.config_path.stat().st_mode) == 0o600
    assert window.idle.timeout_s == 300  # applied to the window at once
    assert central.password.text() == "" and PASSWORD not in shown_text(window)


def test_an_empty_password_keeps_the_saved_one(qtbot, window, kiosk):
    section = settings(qtbot, window)
    qtbot.keyClicks(section.central.address, "mongodb://db.lan/orthoSupply")
    qtbot.keyClicks(section.central.user, "kiosk")
    qtbot.keyClicks(section.central.password, PASSWORD)
    click(qtbot, section.save_button)
    said(qtbot, section, "ok")
    section.central.address.setText("mongodb://db2.lan/orthoSupply")  # the password left empty
    click(qtbot, section.save_button)
    said(qtbot, section, "ok")
    assert load_config(kiosk.config_path).mongo_uri == \
        f"mongodb://kiosk:{PASSWORD}@db2.lan/orthoSupply"


def test_a_bad_printer_name_is_one_sentence_and_nothing_is_saved(qtbot, window, kiosk):
    before = kiosk.config_path.read_bytes()
    section = settings(qtbot, window)
    section.printer.choice.setEditText("Front Desk")
    click(qtbot, section.idle_less)
    click(qtbot, section.save_button)
    assert said(qtbot, section, "ok", "error") == (
        "A printer name has no spaces; pick one from the list or type the name the print "
        "spooler knows it by. Nothing was saved.")
    assert kiosk.config_path.read_bytes() == before
    assert window.idle.timeout_s == 120


def test_a_config_file_from_before_the_printer_setting_still_loads(kiosk):
    old = "\n".join(line for line in kiosk.config_path.read_text().splitlines()
                    if not line.startswith("printer ="))
    kiosk.config_path.write_text(old + "\n")
    assert load_config(kiosk.config_path) == kiosk.config
    assert kiosk.config.printer == ""


# who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["assistant", "orthodontist", "inventory_manager",
                                  "clinic_manager"])
def test_only_admin_configure_reaches_the_settings(qtbot, window, role):
    if sign_in_as(qtbot, window, role) is window.placement:
        click(qtbot, window.placement.back_office_button)
    assert window.stack.currentWidget() is window.back_office
    assert "settings" not in window.back_office.tabs
    assert window.back_office.open("settings") is None
    assert "settings" not in window.back_office.sections


def test_save_settings_refuses_a_non_admin_called_directly(kiosk):
    before = kiosk.config_path.read_bytes()
    assistant = staff_row("assistant")["staff_id"]
    with pytest.raises(PermissionDenied, match="admin:configure"):
        kiosk.save_settings(assistant, KioskSettings(idle_timeout_s=300))
    with pytest.raises(PermissionDenied, match="admin:configure"):
        kiosk.outbox_view(assistant)
    assert kiosk.config_path.read_bytes() == before


# test connection ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    """A server that requires a login, with the user kiosk / PASSWORD."""
    folder = tmp_path_factory.mktemp("settings-auth") / "data"
    setup = SecantusServer(folder).start()
    try:
        with MongoClient(setup.uri) as client:
            client.admin.command("createUser", "kiosk", pwd=PASSWORD, roles=["root"])
    finally:
        setup.stop()
    server = SecantusServer(folder, port=setup.port, auth=True).start()
    try:
        yield server
    finally:
        server.stop()


def connect_with(qtbot, section, address: str, user: str = "", password: str = "") -> str:
    central = section.central
    central.address.setText(address)
    central.user.setText(user)
    central.password.setText(password)
    click(qtbot, central.test_button)
    qtbot.waitUntil(lambda: central.test_button.isEnabled()
                    and central.result.property("tone") in ("ok", "error"), timeout=20_000)
    return central.result.text()


def test_a_down_server_a_wrong_password_and_a_wrong_database_are_told_apart(
        qtbot, window, auth_server, central_uri):
    section = settings(qtbot, window)
    port = free_port()  # nothing listens there
    down = connect_with(qtbot, section, f"mongodb://127.0.0.1:{port}/orthoSupply?directConnection=true")
    assert down == (f"The central server cannot be reached at 127.0.0.1:{port} (connection "
                    "refused); check the server is running and the network.")

    address = (f"mongodb://127.0.0.1:{auth_server.port}/orthoSupply"
               "?directConnection=true&authSource=admin")
    wrong = connect_with(qtbot, section, address, "kiosk", "not-" + PASSWORD)
    assert wrong == (f"The central server at 127.0.0.1:{auth_server.port} refused the kiosk's "
                     "credentials; check the user and password in the URI.")
    assert PASSWORD not in shown_text(window)

    database = central_uri.split("/")[3].split("?")[0]
    missing = connect_with(qtbot, section, central_uri)
    assert missing.startswith(f"The central server has no kiosk schema in database {database};")
    assert section.central.result.property("tone") == "error"
    assert len({down, wrong, missing}) == 3

    init_central(central_uri)
    assert connect_with(qtbot, section, central_uri).startswith(
        f"Connected to 127.0.0.1:{central_uri.split(':')[2].split('/')[0]}: database {database}")
    assert section.central.result.property("tone") == "ok"


def test_the_right_password_connects_and_is_never_shown(qtbot, window, auth_server):
    init_central(f"mongodb://kiosk:{PASSWORD}@127.0.0.1:{auth_server.port}/orthoSupply"
                 "?directConnection=true&authSource=admin")
    section = settings(qtbot, window)
    address = (f"mongodb://127.0.0.1:{auth_server.port}/orthoSupply"
               "?directConnection=true&authSource=admin")
    assert connect_with(qtbot, section, address, "kiosk", PASSWORD).startswith("Connected to")
    assert PASSWORD not in shown_text(window)


# the queue and sync now -------------------------------------------------------------------


def queue_events(kiosk, count: int) -> list[str]:
    ids = []
    with kiosk.context.store.write() as tx:
        for _ in range(count):
            event_id = new_object_id()
            tx.enqueue(OutboxEvent(event_id, tx.next_kiosk_seq(), "USAGE_RECORDED", "{}",
                                   kiosk.context.now()))
            ids.append(event_id)
    return ids


def test_the_queue_shows_pending_and_quarantined_events_with_the_reason(qtbot, window, kiosk):
    pending, clashed = queue_events(kiosk, 2)
    with kiosk.context.store.write() as tx:
        tx.mark_quarantined([clashed], REASON)
    section = settings(qtbot, window)
    click(qtbot, section.queue_button)
    queue = section.queue
    qtbot.waitUntil(lambda: queue.entries.count() == 2, timeout=WAIT_MS)
    assert queue.summary.text().startswith("1 event waiting to sync; 1 quarantined:")
    assert queue.entries.item(0).text().endswith(f"QUARANTINED: {REASON}")
    assert queue.entries.item(1).text().endswith("waiting to sync")
    assert queue.view.entries[0].event_id == clashed and queue.view.entries[1].event_id == pending


def test_sync_now_on_a_local_only_kiosk_says_what_to_do(qtbot, window):
    section = settings(qtbot, window)
    click(qtbot, section.queue_button)
    click(qtbot, section.queue.sync_button)
    assert section.queue.sync_state.text().startswith("This kiosk does not sync")


@pytest.fixture
def online_window(qtbot, kiosk, central_uri):
    """The window of a kiosk syncing with a real central server (its own sync thread)."""
    init_central(central_uri)
    online = bootstrap.build(replace(kiosk.config, mongo_uri=central_uri),
                             config_path=kiosk.config_path)
    yield from open_window(qtbot, online)


def test_sync_now_wakes_the_windows_sync_thread(qtbot, online_window):
    bar = online_window.sync_bar
    qtbot.waitUntil(lambda: bar.state is not None and bar.state.last_sync is not None,
                    timeout=20_000)  # the first round, at start
    first = bar.state.last_sync
    section = settings(qtbot, online_window)
    click(qtbot, section.queue_button)
    qtbot.waitUntil(lambda: section.queue.view is not None, timeout=WAIT_MS)
    click(qtbot, section.queue.sync_button)  # the next round would be 30 s away
    qtbot.waitUntil(lambda: bar.state.last_sync > first and not bar.state.syncing,
                    timeout=20_000)
    qtbot.waitUntil(lambda: section.queue.sync_state.property("tone") == "ok", timeout=WAIT_MS)
    assert section.queue.sync_state.text().startswith("Synced at")


# the scanner ------------------------------------------------------------------------------


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kiosk-serial-scanner"]


def test_the_scanner_test_shows_each_scan_from_a_pty_and_closes_the_port_on_leaving(
        qtbot, window):
    master, slave = os.openpty()
    try:
        section = settings(qtbot, window)
        scanner = section.scanner
        scanner.port.setText(os.ttyname(slave))
        click(qtbot, scanner.test_button)
        qtbot.waitUntil(lambda: scanner.status.property("tone") == "ok", timeout=WAIT_MS)
        assert scanner.status.text() == f"Listening on {os.ttyname(slave)}: scan a barcode now."
        os.write(master, b"(01)00812345671018(10)B25E392\r\n")
        os.write(master, b"STAFF-B1001\r")
        qtbot.waitUntil(lambda: scanner.scans.count() == 2, timeout=WAIT_MS)
        assert [scanner.scans.item(i).text() for i in range(2)] == [
            "STAFF-B1001", "(01)00812345671018(10)B25E392"]
        assert reader_threads()
        click(qtbot, window.back_office.tabs["inventory"])  # leaving the screen
        assert scanner.bridge is None
        qtbot.waitUntil(lambda: not reader_threads(), timeout=WAIT_MS)
    finally:
        os.close(slave)
        os.close(master)


def test_a_missing_or_vanished_scanner_port_is_one_sentence(qtbot, window, tmp_path):
    section = settings(qtbot, window)
    scanner = section.scanner
    missing = str(tmp_path / "ttyNOPE")
    scanner.port.setText(missing)
    click(qtbot, scanner.test_button)
    qtbot.waitUntil(lambda: scanner.status.property("tone") == "error", timeout=WAIT_MS)
    assert scanner.status.text() == (f"No scanner answers on {missing}: the port is missing or "
                                     "was unplugged; check the cable and the name.")
    click(qtbot, scanner.test_button)  # stop
    assert scanner.bridge is None and scanner.status.text() == "Scanner test stopped."

    master, slave = os.openpty()
    name = os.ttyname(slave)
    scanner.port.setText(name)
    click(qtbot, scanner.test_button)
    qtbot.waitUntil(lambda: scanner.status.property("tone") == "ok", timeout=WAIT_MS)
    os.close(master)  # unplugged
    os.close(slave)
    qtbot.waitUntil(lambda: scanner.status.property("tone") == "error", timeout=WAIT_MS)
    assert scanner.status.text().startswith(f"No scanner answers on {name}:")
    click(qtbot, window.back_office.sign_out_button)
    qtbot.waitUntil(lambda: not reader_threads(), timeout=WAIT_MS)


# the printer -----------------------------------------------------------------------------


def fake_lpstat(tmp_path: Path, names: list[str]) -> None:
    """An ``lpstat`` next to the fake ``lp`` (same folder, already first on PATH)."""
    script = tmp_path / "fake-bin" / "lpstat"
    lines = "".join(f"echo {name}\n" for name in names)
    script.write_text(f"#!/bin/sh\n[ \"$1\" = -e ] || exit 1\n{lines}", encoding="utf-8")
    script.chmod(0o755)


def test_the_printer_list_comes_from_the_spooler_and_a_test_page_prints(
        qtbot, window, tmp_path, monkeypatch):
    record = fake_lp(tmp_path, monkeypatch, delay_s=0.2)
    fake_lpstat(tmp_path, ["Lab_Zebra", "Front_Desk"])
    section = settings(qtbot, window)
    printer = section.printer
    qtbot.waitUntil(lambda: printer.choice.count() == 2, timeout=WAIT_MS)
    assert [printer.choice.itemText(i) for i in range(2)] == ["Front_Desk", "Lab_Zebra"]
    printer.choice.setCurrentIndex(1)
    click(qtbot, printer.test_button)
    qtbot.waitUntil(lambda: not printer.printing, timeout=WAIT_MS)
    assert printer.result.text() == "Test page sent to Lab_Zebra."
    argv = record.read_text().splitlines()
    assert argv[1:5] == ["-d", "Lab_Zebra", "-n", "1"]
    assert Path(argv[5]).read_bytes().startswith(b"%PDF")


def test_with_no_printer_the_test_page_is_saved_and_its_place_said(
        qtbot, window, tmp_path, monkeypatch):
    no_lp(tmp_path, monkeypatch)
    section = settings(qtbot, window)
    printer = section.printer
    qtbot.waitUntil(lambda: printer.listed, timeout=WAIT_MS)
    assert printer.result.text().startswith("The print spooler lists no printers here;")
    printer.choice.setEditText("Lab_Zebra")
    click(qtbot, printer.test_button)
    qtbot.waitUntil(lambda: not printer.printing, timeout=WAIT_MS)
    text = printer.result.text()
    prefix = "No printer answered (Lab_Zebra); the test page was saved to "
    assert text.startswith(prefix) and text.endswith(".pdf.")
    assert Path(text[len(prefix):-1]).read_bytes().startswith(b"%PDF")
