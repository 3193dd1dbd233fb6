"""The one writer executor, its signals, the cart rules, and starting the app."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk import bootstrap
from kiosk.domain.errors import NotFound
from kiosk.domain.model import ApplianceRecord, ApplianceStatus, ApplianceType
from kiosk.services.cart import Cart, CartLine
from kiosk.ui import app as app_module
from kiosk.ui.common.workers import Task, Worker, describe
from kiosk.ui.main_window import MainWindow


@pytest.fixture
def worker():
    pool = Worker()
    yield pool
    pool.shutdown()


def run_task(qtbot, worker, fn):
    outcome: dict[str, object] = {}

    def record(**values: object) -> None:
        outcome.update(values, thread=threading.current_thread())

    Task(worker, fn).success(lambda value: record(ok=value)) \
        .failure(lambda error: record(error=describe(error))).run()
    qtbot.waitUntil(lambda: "thread" in outcome, timeout=5000)
    return outcome


def test_a_task_runs_off_the_gui_thread_and_reports_on_it(qtbot, worker):
    outcome = run_task(qtbot, worker, lambda: threading.current_thread().name)
    assert outcome["ok"].startswith("kiosk-writer")
    assert outcome["thread"] is threading.main_thread()


def test_failures_become_one_sentence(qtbot, worker):
    def not_found():
        raise NotFound("No patient has the chart number 'X'.")

    assert run_task(qtbot, worker, not_found)["error"] == "No patient has the chart number 'X'."
    outcome = run_task(qtbot, worker, lambda: 1 / 0)
    assert outcome["error"].startswith("Unexpected error: ZeroDivisionError")
    assert not worker.busy


def test_a_task_that_changes_state_is_followed_by_one_change_notification(qtbot, worker):
    notified: list[bool] = []
    worker.changed.connect(lambda: notified.append(True))
    run_task(qtbot, worker, lambda: "read only")
    assert notified == []
    done: list[object] = []
    Task(worker, lambda: "written").success(done.append).changes().run()
    qtbot.waitUntil(lambda: done == ["written"] and notified == [True], timeout=5000)


def test_named_executors_run_on_their_own_threads(qtbot, worker):
    names: list[str] = []
    for executor in ("writer", "network", "printer"):
        Task(worker, lambda: threading.current_thread().name, executor).success(
            names.append).run()
    qtbot.waitUntil(lambda: len(names) == 3, timeout=5000)
    assert sorted(n.rsplit("_", 1)[0] for n in names) == [
        "kiosk-network", "kiosk-printer", "kiosk-writer"]


def line(sku: str, lot: str, cost: str | None = "2.50") -> CartLine:
    return CartLine(item_id=f"id-{sku}", sku=sku, name=sku, category=ApplianceType.WIRE,
                    lot_number=lot, expiry=None, unit_cost=Decimal(cost) if cost else None,
                    scans=(f"scan-{sku}-{lot}",))


def test_cart_merges_steps_and_builds_one_command_per_line():
    cart = Cart(max_quantity=3)
    assert cart.add(line("A", "L1")) == 0
    assert cart.add(line("B", "L1", None)) == 1
    assert cart.add(line("A", "l1")) == 0
    cart.change_quantity(0, +5)
    cart.change_quantity(1, -1)
    assert [x.quantity for x in cart.lines] == [3, 1]
    assert cart.total == Decimal("7.50")
    ordered = ApplianceRecord(id="r1", patient_id="p1", type=ApplianceType.BRACKET,
                              status=ApplianceStatus.ORDERED)
    commands = cart.commands("p1", ordered)
    assert [(c.appliance_type, c.quantity, c.mark_placed) for c in commands] == [
        ("BRACKET", 3, True), ("BRACKET", 1, True)]
    assert [c.appliance_type for c in cart.commands("p1", None)] == ["WIRE", "WIRE"]
    cart.remove(0)
    assert [x.sku for x in cart.lines] == ["B"]


def test_run_kiosk_shows_the_sentence_when_the_kiosk_cannot_open(qtbot, monkeypatch, tmp_path):
    shown: list[str] = []
    monkeypatch.setattr(app_module.QMessageBox, "critical",
                        lambda _parent, _title, text: shown.append(text))
    missing = str(tmp_path / "missing.toml")
    code = app_module.run_kiosk(lambda: bootstrap.open_kiosk(missing), windowed=True)
    assert code == 1
    assert len(shown) == 1
    assert "No kiosk config" in shown[0]


def test_run_kiosk_opens_the_demo_window_and_returns_when_it_closes(qtbot, monkeypatch,
                                                                       tmp_path):
    seen: list[tuple[int, int]] = []
    tries = iter(range(500))

    def close_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            seen.append((windows[0].width(), windows[0].height()))
            windows[0].close()
        elif next(tries, None) is None:  # never shown: end the loop so the test fails, not hangs
            QApplication.closeAllWindows()
            QApplication.quit()
        else:
            QTimer.singleShot(20, close_window)

    QTimer.singleShot(0, close_window)
    assert app_module.run_kiosk(lambda: bootstrap.open_demo_kiosk(tmp_path / "demo"),
                                windowed=True) == 0
    assert seen == [(1280, 800)]
