"""Touch layout at both supported sizes: every visible button of the placement screen is a
48 px target lying wholly inside the window, and the base text is at least 16 pt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from ui_helpers import (
    WAIT_MS,
    click,
    gs1,
    lot_row,
    pick,
    rows,
    scan_line,
    signed_in,
    usable_lot,
)

from kiosk.ui.common.widgets import TOUCH

SIZES = [(1280, 800), (1920, 1080)]






def sized(qtbot, window, size: tuple[int, int]):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=WAIT_MS)
    qtbot.wait(50)  # let the layouts settle


def filled_cart(qtbot, window):
    """Signed in as an orthodontist, a patient picked and three lines in the cart."""
    screen = signed_in(qtbot, window, "orthodontist")
    pick(qtbot, screen, rows("patients")[0]["chart_number"], None)
    soon = lot_row(sku="ELA-18-35", lot_number="EL240312")
    scans = [usable_lot("BRK-MBT-U1R"), usable_lot("WIR-NTI-014-U"), soon]
    for count, lot in enumerate(scans, start=1):
        scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), count)
    screen.cart_table.selectRow(0)
    return screen


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def check_buttons(window, root: QWidget) -> list[str]:
    """The problems of the visible buttons under ``root`` (empty when all is well)."""
    buttons = [b for b in root.findChildren(QPushButton) if b.isVisible()]
    assert buttons, "no buttons to check"
    problems = []
    for button in buttons:
        name = f"{button.objectName() or button.text()!r}"
        where = rect_in(window, button)
        if button.height() < TOUCH:
            problems.append(f"{name} is {button.height()} px high")
        if not window.rect().contains(where):
            problems.append(f"{name} at {where.getRect()} leaves the window {window.size()}")
        if button.visibleRegion().boundingRect() != button.rect():
            problems.append(f"{name} is clipped by its parent")
    return problems


def test_the_base_font_is_at_least_16_pt(qtbot, window):
    screen = filled_cart(qtbot, window)
    assert window.font().pointSizeF() >= 16 or screen.font().pointSizeF() >= 16
    for widget in (screen, screen.scan_field, screen.message, screen.cart_table,
                   screen.confirm_button, screen.patients.patient_list):
        assert widget.font().pointSizeF() >= 16, widget.objectName()
    small = [w.objectName() or type(w).__name__
             for kind in (QLabel, QLineEdit, QPushButton) for w in screen.findChildren(kind)
             if w.isVisible() and 0 < w.font().pointSizeF() < 16]
    assert small == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_placement_buttons_are_touch_sized_and_inside_the_window(qtbot, window, size):
    screen = filled_cart(qtbot, window)
    sized(qtbot, window, size)
    assert check_buttons(window, screen) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overlay_buttons_are_touch_sized_and_inside_the_window(qtbot, window, size):
    screen = filled_cart(qtbot, window)
    sized(qtbot, window, size)
    picker = screen.kit_picker
    qtbot.waitUntil(lambda: len(picker.kit_buttons) >= 3, timeout=WAIT_MS)
    click(qtbot, screen.kit_button)
    assert picker.isVisible()
    assert check_buttons(window, picker) == []
    click(qtbot, picker.cancel_button)

    click(qtbot, screen.qty_button)
    assert screen.keypad.isVisible()
    assert check_buttons(window, screen.keypad) == []
    click(qtbot, screen.keypad.cancel_button)

    screen.stock_list.show_alert(screen.stock_banner.alert)
    assert screen.stock_list.isVisible()
    assert check_buttons(window, screen.stock_list) == []


def test_the_check_sees_small_and_clipped_buttons(qtbot):
    window = QWidget()
    window.setStyleSheet("QPushButton { min-height: 0px; }")  # whatever the app's theme says
    qtbot.addWidget(window)
    window.resize(300, 200)
    fine, small, off = (QPushButton(text, window) for text in ("fine", "small", "off"))
    fine.setGeometry(10, 10, 100, TOUCH)
    small.setGeometry(10, 70, 100, TOUCH - 8)
    off.setGeometry(250, 130, 100, TOUCH)  # 50 px beyond the right edge
    window.show()
    qtbot.waitExposed(window)
    problems = check_buttons(window, window)
    assert any("'small' is 40 px high" in p for p in problems)
    assert any("'off'" in p and "leaves the window" in p for p in problems)
    assert not any("'fine'" in p for p in problems)
