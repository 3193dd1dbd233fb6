"""The on-screen keyboard: every text field of every screen takes input from its keys alone,
scanner fields keep the focus for the wedge (no keyboard on focus, a ⌨ button instead), and
date fields get presets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit
from ui_helpers import WAIT_MS, back_office, click, pick, rows, scan, signed_in

from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.ui.common.onscreen_keyboard import KEY, date_presets, is_scanner_field


def visible_fields(root) -> list[QLineEdit]:
    return [f for f in root.findChildren(QLineEdit)
            if f.isVisible() and f.isEnabled() and not f.isReadOnly()
            and not isinstance(f.parentWidget(), QAbstractSpinBox | QComboBox)]


def focus(qtbot, field) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.hasFocus, timeout=WAIT_MS)


def type_keys(qtbot, keyboard, chars: str) -> None:
    for char in chars:
        qtbot.mouseClick(keyboard.key(char), Qt.MouseButton.LeftButton)


def type_into_each(qtbot, window, root) -> list[str]:
    """Focus each visible field under ``root`` and type into it with key taps only; returns
    the object names of the fields done (the test asserts what it expects among them)."""
    keyboard = window.keyboard
    done = []
    fields = visible_fields(root)
    assert fields, "no text fields to type into"
    for field in fields:
        field.clear()
        keyboard.hide()
        focus(qtbot, field)
        if is_scanner_field(field):
            assert not keyboard.isVisible(), f"{field.objectName()} popped the keyboard"
            button = window.keyboard_attach.buttons.get(field)
            assert button is not None, f"{field.objectName()} has no keyboard button"
            click(qtbot, button)
        qtbot.waitUntil(keyboard.isVisible, timeout=WAIT_MS)
        assert keyboard.target is field
        if keyboard.date_mode:
            type_keys(qtbot, keyboard, "2026-")
            expected = "2026-"
        elif field.validator() is not None:
            type_keys(qtbot, keyboard, "12")
            expected = "12"
        else:
            type_keys(qtbot, keyboard, "K9")
            qtbot.mouseClick(keyboard.space_key, Qt.MouseButton.LeftButton)
            type_keys(qtbot, keyboard, "X")
            qtbot.mouseClick(keyboard.backspace_key, Qt.MouseButton.LeftButton)
            expected = "K9 " if keyboard._upper() else "k9 "
        assert field.text() == expected, field.objectName()
        done.append(field.objectName())
    keyboard.hide()
    return done


def test_keys_are_sized_for_gloves(qtbot, window):
    focus(qtbot, window.sign_in.pin_field)
    keyboard = window.keyboard
    qtbot.waitUntil(keyboard.isVisible, timeout=WAIT_MS)
    keys = [b for b in (*keyboard.keys.values(), keyboard.space_key, keyboard.done_key,
                        keyboard.backspace_key) if b.isVisible()]
    assert keys and all(b.height() >= KEY and b.width() >= KEY for b in keys)
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in keys)


def test_every_sign_in_field_takes_keyboard_input(qtbot, window):
    done = type_into_each(qtbot, window, window.sign_in)
    assert {"badgeField", "pinField"} <= set(done)


def test_the_scan_field_keeps_the_wedge_and_opens_the_keyboard_on_purpose(qtbot, window):
    screen = signed_in(qtbot, window)
    keyboard = window.keyboard
    assert screen.scan_field.hasFocus()
    focus(qtbot, screen.scan_field)
    assert not keyboard.isVisible()
    qtbot.keyClicks(screen.scan_field, "CHART-")  # a wedge burst lands in the field
    assert screen.scan_field.text() == "CHART-"
    screen.scan_field.clear()
    click(qtbot, window.keyboard_attach.buttons[screen.scan_field])
    assert keyboard.isVisible() and keyboard.target is screen.scan_field
    chart = rows("patients")[1]["chart_number"]
    type_keys(qtbot, keyboard, f"CHART-{chart}".upper())
    assert screen.scan_field.text() == f"CHART-{chart}".upper()
    qtbot.mouseClick(keyboard.done_key, Qt.MouseButton.LeftButton)  # Done is Enter, then hides
    assert not keyboard.isVisible()
    qtbot.waitUntil(lambda: screen.patients.current_patient() is not None
                    and screen.patients.current_patient().chart_number == chart,
                    timeout=WAIT_MS)


def test_every_placement_field_takes_keyboard_input(qtbot, window):
    screen = signed_in(qtbot, window)
    done = type_into_each(qtbot, window, screen)
    assert {"scanField", "patientSearch"} <= set(done)


def test_the_catalog_search_takes_keyboard_input(qtbot, window):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, rows("patients")[0]["chart_number"], None)
    body = "0999999999999"
    scan(qtbot, screen, f"(01){body}{gtin_check_digit(body)}(10)X1")
    click(qtbot, screen.catalog_button)
    catalog = screen.alerts.catalog
    qtbot.waitUntil(catalog.isVisible, timeout=WAIT_MS)
    keyboard = window.keyboard
    catalog.query.clear()
    focus(qtbot, catalog.query)
    qtbot.waitUntil(keyboard.isVisible, timeout=WAIT_MS)
    type_keys(qtbot, keyboard, "NITI")
    assert catalog.query.text() == "niti"
    qtbot.waitUntil(lambda: catalog.results.count() > 0, timeout=WAIT_MS)
    click(qtbot, catalog.cancel_button)  # its field is gone: so are the keys
    qtbot.waitUntil(lambda: not keyboard.isVisible(), timeout=WAIT_MS)


SECTIONS = [("clinic_manager", "receive"), ("clinic_manager", "inventory"),
            ("clinic_manager", "recalls"), ("clinic_manager", "reports"),
            ("it_admin", "settings")]


@pytest.mark.parametrize(("role", "key"), SECTIONS, ids=[k for _, k in SECTIONS])
def test_every_back_office_field_takes_keyboard_input(qtbot, window, role, key):
    section = back_office(qtbot, window, role, key)
    qtbot.wait(200)  # the section's first load
    assert type_into_each(qtbot, window, section)


def test_date_fields_get_presets(qtbot, window):
    section = back_office(qtbot, window, "clinic_manager", "reports")
    keyboard = window.keyboard
    today = window.kiosk.context.today()
    field = section.from_field
    focus(qtbot, field)
    qtbot.waitUntil(keyboard.isVisible, timeout=WAIT_MS)
    assert keyboard.date_mode and all(p.isVisible() for p in keyboard.presets.values())
    for label, expected in (("Today", today), ("This week", today - timedelta(today.weekday())),
                            ("This month", today.replace(day=1))):
        qtbot.mouseClick(keyboard.presets[label], Qt.MouseButton.LeftButton)
        assert field.text() == expected.isoformat(), label


def test_the_presets_are_today_monday_and_the_first():
    presets = date_presets(date(2026, 12, 3))  # a Thursday
    assert presets == {"Today": date(2026, 12, 3), "This week": date(2026, 11, 30),
                       "This month": date(2026, 12, 1)}


def test_the_keyboard_can_be_switched_off(qtbot, kiosk):
    from ui_helpers import ThreadCheckingStore  # noqa: F401,PLC0415 - same fixture style

    from kiosk.ui.main_window import MainWindow  # noqa: PLC0415

    main = MainWindow(kiosk, touch_keyboard=False)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    try:
        focus(qtbot, main.sign_in.pin_field)
        qtbot.wait(50)
        assert not main.keyboard.isVisible()
    finally:
        main.shutdown()


def test_a_screen_change_does_not_pop_the_keyboard(qtbot, window):
    """Qt hands the focus on by itself when a screen goes (a Tab move): no keys for that."""
    section = back_office(qtbot, window, "clinic_manager", "reports")
    qtbot.wait(200)
    assert not window.keyboard.isVisible()
    assert section.isVisible()
