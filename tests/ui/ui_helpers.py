"""Helpers shared by the placement UI tests (copied from test_ui_placement.py, plus a few).

Each test module defines its own ``kiosk`` and ``window`` fixtures with ``open_window``.
"""

from __future__ import annotations

import csv
import threading
from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtCore import Qt

from kiosk import bootstrap
from kiosk.domain.barcodes import gtin14
from kiosk.services.ports import Store
from kiosk.ui.main_window import MainWindow
from kiosk.ui.placement.patient_panel import ROLE

WAIT_MS = 10_000


def rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def first_gtin(sku: str) -> str | None:
    item = next(r for r in rows("items") if r["sku"] == sku)
    gtins = [g for g in item["gtins"].split(";") if g]
    return gtin14(gtins[0]) if gtins else None


def gs1(sku: str, lot: str) -> str:
    return f"(01){first_gtin(sku)}(10){lot}"


def usable_lot(sku: str) -> dict[str, str]:
    """An active lot of ``sku``, far from expiry, with stock to spare."""
    return next(lot for lot in rows("lots")
                if lot["sku"] == sku and lot["status"] == "ACTIVE" and int(lot["quantity"]) >= 5
                and (not lot["expires_in_days"] or int(lot["expires_in_days"]) > 90))


def lot_row(**wanted: str) -> dict[str, str]:
    return next(r for r in rows("lots") if all(r[k] == v for k, v in wanted.items()))


def staff_row(role: str = "assistant") -> dict[str, str]:
    return next(r for r in rows("staff") if r["role"] == role)


def record_row(status: str) -> dict[str, str]:
    return next(r for r in rows("appliances") if r["status"] == status)


class ThreadCheckingStore(Store):
    """The window's store: records any transaction opened on the GUI thread."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.on_gui_thread: list[str] = []
        self.calls = 0

    @contextmanager
    def _checked(self, kind: str, opener):
        self.calls += 1
        if threading.current_thread() is threading.main_thread():
            self.on_gui_thread.append(kind)
        with opener() as tx:
            yield tx

    def read(self):
        return self._checked("read", self.inner.read)

    def write(self):
        return self._checked("write", self.inner.write)


def open_window(qtbot, kiosk):
    """Yields the window over a thread-checking store; fails if the GUI thread used it."""
    store = ThreadCheckingStore(kiosk.context.store)
    main = MainWindow(replace(kiosk, context=replace(kiosk.context, store=store)))
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.shutdown()
    assert store.on_gui_thread == [], "the GUI thread opened a database transaction"


def click(qtbot, button) -> None:
    qtbot.waitUntil(lambda: button.isEnabled() and button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_item(qtbot, widget, row: int) -> None:
    """Tap a row of a QListWidget."""
    item = widget.item(row)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton,
                     pos=widget.visualItemRect(item).center())


def sign_in_as(qtbot, window, role: str):
    """Sign in as the first demo staff member with ``role``; returns the screen shown."""
    member = staff_row(role)
    screen = window.sign_in
    qtbot.keyClicks(screen.badge_field, f"STAFF-{member['badge']}")
    qtbot.keyClicks(screen.pin_field, member["pin"])
    click(qtbot, screen.sign_in_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not screen, timeout=WAIT_MS)
    return window.stack.currentWidget()


def back_office(qtbot, window, role: str, key: str):
    """Sign in as ``role`` and open back-office section ``key``; returns the section."""
    if sign_in_as(qtbot, window, role) is window.placement:
        click(qtbot, window.placement.back_office_button)
    assert window.stack.currentWidget() is window.back_office
    click(qtbot, window.back_office.tabs[key])
    section = window.back_office.sections[key]
    assert window.back_office.current is section
    return section


def signed_in(qtbot, window, role: str = "assistant"):
    sign_in_as(qtbot, window, role)
    assert window.stack.currentWidget() is window.placement
    placement = window.placement
    qtbot.waitUntil(lambda: placement.patients.patient_list.count() > 0, timeout=WAIT_MS)
    return placement


def pick(qtbot, screen, chart: str, record_id: str | None) -> None:
    panel = screen.patients
    qtbot.waitUntil(lambda: panel.find_chart(chart) is not None, timeout=WAIT_MS)
    row = next(i for i in range(panel.patient_list.count())
               if panel.patient_list.item(i).text().startswith(chart))
    panel.patient_list.setCurrentRow(row)
    for i in range(panel.record_list.count()):
        record = panel.record_list.item(i).data(ROLE)
        if (record.id if record else None) == record_id:
            panel.record_list.setCurrentRow(i)
    assert (panel.current_record().id if panel.current_record() else None) == record_id


def scan(qtbot, screen, raw: str) -> None:
    qtbot.keyClicks(screen.scan_field, raw)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def scan_line(qtbot, screen, raw: str, lines: int) -> None:
    scan(qtbot, screen, raw)
    qtbot.waitUntil(lambda: screen.cart_table.scanned_rows == lines, timeout=WAIT_MS)


def confirm(qtbot, screen) -> None:
    click(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") in ("ok", "error")
                    and not screen._placing, timeout=WAIT_MS)


def stock(kiosk, sku: str, lot_number: str) -> tuple[int, int]:
    with kiosk.context.store.read() as tx:
        item = tx.item_by_sku(sku)
        return item.quantity_on_hand, tx.lot_by_number(item.id, lot_number).quantity_on_hand
