"""Touch layout at the three supported sizes: every visible button is a 48 px target lying
wholly inside the window, no visible text is elided or clipped (``layout_checks``), and the
base text is at least 16 pt."""

from __future__ import annotations

import contextlib

import pytest
from layout_checks import layout_problems
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from ui_helpers import (
    WAIT_MS,
    back_office,
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

SIZES = [(1024, 768), (1280, 800), (1920, 1080)]
SIZE_IDS = ["1024x768", "1280x800", "1920x1080"]
# the demo catalog's longest names: the part that tells them apart comes last
LONG_NAMES = ("RET-LING-0195", "WIR-HANT-1622-U", "WIR-HANT-1825-L", "BRK-SLP-L12",
              "BRK-SLP-U1R")

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


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_placement_buttons_are_touch_sized_and_inside_the_window(qtbot, window, size):
    screen = filled_cart(qtbot, window)
    sized(qtbot, window, size)
    assert check_buttons(window, screen) == []


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
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


def long_cart(qtbot, window):
    """An orthodontist's cart of the demo catalog's longest names, one line expiring soon."""
    screen = signed_in(qtbot, window, "orthodontist")
    pick(qtbot, screen, rows("patients")[0]["chart_number"], None)
    soon = lot_row(sku="ELA-18-35", lot_number="EL240312")
    scans = [*(usable_lot(sku) for sku in LONG_NAMES), soon]
    for count, lot in enumerate(scans, start=1):
        scan_line(qtbot, screen, gs1(lot["sku"], lot["lot_number"]), count)
    screen.cart_table.selectRow(0)
    qtbot.waitUntil(lambda: bool(screen.stock_banner.text()), timeout=WAIT_MS)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_sign_in_screen_has_no_cut_text(qtbot, window, size):
    sized(qtbot, window, size)
    qtbot.waitUntil(lambda: bool(window.sign_in.staff_buttons), timeout=WAIT_MS)
    problems = layout_problems(window)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_cart_of_long_names_reads_whole(qtbot, window, size):
    long_cart(qtbot, window)
    sized(qtbot, window, size)
    problems = layout_problems(window)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_cart_shows_what_tells_items_apart(qtbot, window, size):
    """The tooth, wire size or length ends the name: it is on screen, not elided."""
    screen = long_cart(qtbot, window)
    sized(qtbot, window, size)
    shown = [screen.cart_table.item(r, 0).text() for r in range(len(LONG_NAMES))]
    names = {r["sku"]: r["name"] for r in rows("items")}
    for text, sku in zip(shown, LONG_NAMES, strict=True):
        assert names[sku] in text and sku in text


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_stock_banner_stays_within_two_lines(qtbot, window, size):
    screen = long_cart(qtbot, window)
    sized(qtbot, window, size)
    banner = screen.stock_banner
    assert banner.height() <= 2 * banner.fontMetrics().lineSpacing() + 24
    assert "more" in banner.text() or len(banner.alert.rows) <= 2
    click_banner(qtbot, banner)
    assert screen.stock_list.isVisible()
    assert screen.stock_list.table.rowCount() == len(banner.alert.rows)


def click_banner(qtbot, banner) -> None:
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)


BACK_OFFICE = [("clinic_manager", "receive"), ("clinic_manager", "inventory"),
               ("clinic_manager", "recalls"), ("clinic_manager", "reports"),
               ("it_admin", "settings")]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(("role", "key"), BACK_OFFICE, ids=[k for _, k in BACK_OFFICE])
def test_each_back_office_section_has_no_cut_text(qtbot, window, size, role, key):
    sized(qtbot, window, size)
    section = back_office(qtbot, window, role, key)
    assert section.isVisible()
    settled(qtbot, window)  # the first load fills lists that re-wrap on a short delay
    problems = layout_problems(window)
    assert not problems, "\n".join(problems)


def settled(qtbot, window) -> None:
    """Wait (at most 3 s) for the layout to settle with no problem; the caller then asserts."""
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not layout_problems(window), timeout=3000)


def test_the_layout_check_sees_cut_text(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 200)
    short = QPushButton("Confirm placement", window)
    short.setGeometry(10, 10, 60, TOUCH)
    label = QLabel("A long sentence that cannot fit here", window)
    label.setGeometry(10, 70, 80, 30)
    wrapped = QLabel("A long sentence that wraps onto far too many lines", window)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(10, 110, 120, 30)
    fits = QLabel("ok", window)
    fits.setGeometry(200, 110, 100, 40)
    window.show()
    qtbot.waitExposed(window)
    problems = layout_problems(window)
    assert any("Confirm placement" in p and "cut" in p for p in problems)
    assert any("A long sentence that cannot" in p for p in problems)
    assert any("wraps onto" in p and "high wrapped" in p for p in problems)
    assert not any("'ok'" in p for p in problems)
