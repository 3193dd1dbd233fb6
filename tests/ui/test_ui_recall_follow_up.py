"""The recall workbench's follow-through (issue 16 item 4): a RECALLED lot lists each patient
who received it with phone, guardian and follow-up status; tapping a patient and the big step
button (a note typed on the on-screen keyboard) records the next step off the GUI thread, read
back through the service and shown with who and when in the clinic's zone. A refused step or an
unreachable central server says one sentence and keeps the note; the panel reads whole at
1024×768 and 1280×800."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from layout_checks import layout_problems
from PySide6.QtCore import Qt
from test_ui_layouts import sized
from test_ui_recalls import LOT, SKU, clinic, looked_up  # noqa: F401 - clinic is a fixture
from ui_helpers import WAIT_MS, back_office, click, click_item, staff_row

from kiosk.adapters.mongo.follow_ups import MongoRecallFollowUps
from kiosk.domain.follow_up import FollowUpStatus
from kiosk.domain.model import LotStatus
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.imports import import_csv

NOTICE = "FDA Z-0101-2027"
MATEO = "C-10239"  # received the lot; C-10252 too
CONTACTS = ("patient_id,chart_number,first_name,last_name,phone,guardian_name,guardian_phone\n"
            "64b200000000000000000002,C-10239,Mateo,Hernández,555-0142,Lucía Hernández,"
            "555-0143\n")
DOWN = "mongodb://127.0.0.1:1/?directConnection=true"  # nothing listens on port 1


@pytest.fixture
def recalled(clinic):  # noqa: F811
    import_csv(clinic.context, "patients", CONTACTS)
    clinic.catalog.change_lot_status(staff_row("inventory_manager")["badge"], SKU, LOT,
                                     LotStatus.RECALLED, NOTICE)
    return clinic


def workbench(qtbot, window):
    section = back_office(qtbot, window, "inventory_manager", "recalls")
    section.look_up(LOT)
    looked_up(qtbot, section)
    panel = section.follow_up
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=WAIT_MS)
    return section, panel


def row_of(panel, chart: str) -> int:
    return next(r for r in range(panel.table.rowCount()) if chart in panel.cell(r, "patient"))


def tap_row(qtbot, panel, chart: str) -> None:
    table = panel.table
    index = table.model().index(row_of(panel, chart), 0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: panel.selected() is not None
                    and panel.selected().patient.chart_number == chart, timeout=WAIT_MS)


def type_note(qtbot, window, panel, keys: str) -> None:
    """Tap the note field and type with the on-screen keyboard's keys only."""
    qtbot.mouseClick(panel.note_field, Qt.MouseButton.LeftButton)
    keyboard = window.keyboard
    qtbot.waitUntil(lambda: keyboard.isVisible() and keyboard.target is panel.note_field,
                    timeout=WAIT_MS)
    for char in keys:
        button = keyboard.space_key if char == " " else keyboard.key(char.upper())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keyboard.done_key, Qt.MouseButton.LeftButton)


def steps_of(kiosk, chart: str):
    listing = kiosk.recall_follow_ups(staff_row("inventory_manager")["badge"], NOTICE)
    [patient] = [p for p in listing.patients if p.patient.chart_number == chart]
    return patient.steps


def test_a_tap_records_the_next_step_with_a_note_and_shows_who_and_when(
        qtbot, window, recalled):
    section, panel = workbench(qtbot, window)
    assert panel.isVisible() and not section.table.isVisible()
    row = row_of(panel, MATEO)
    assert "Mateo Hernández" in panel.cell(row, "patient")
    assert "555-0142" in panel.cell(row, "contact")
    assert "Lucía Hernández 555-0143" in panel.cell(row, "contact")
    assert [panel.cell(r, "status") for r in range(2)] == ["to contact", "to contact"]

    tap_row(qtbot, panel, MATEO)
    assert panel.step_button.text() == "Mark contacted"
    type_note(qtbot, window, panel, "left voicemail")
    assert panel.note_field.text() == "left voicemail"
    click(qtbot, panel.step_button)
    qtbot.waitUntil(lambda: section.message.text() == f"Patient {MATEO} is contacted.",
                    timeout=WAIT_MS)

    [step] = steps_of(recalled, MATEO)  # read back through the service
    assert (step.status, step.by_name, step.note) == (
        FollowUpStatus.CONTACTED, "Søren Lindqvist", "left voicemail")
    row = row_of(panel, MATEO)
    assert panel.cell(row, "status") == "contacted"
    local = step.at.astimezone(ZoneInfo("America/Chicago"))  # the demo clinic's zone
    assert panel.cell(row, "steps") == (f"contacted: Søren Lindqvist, {local:%Y-%m-%d %H:%M}"
                                        " — left voicemail")
    assert panel.selected().patient.chart_number == MATEO  # still the one tapped
    assert panel.step_button.text() == "Mark assessed" and panel.note_field.text() == ""

    click(qtbot, panel.step_button)  # no note this time
    qtbot.waitUntil(lambda: section.message.text() == f"Patient {MATEO} is assessed.",
                    timeout=WAIT_MS)
    assert [s.status for s in steps_of(recalled, MATEO)] == [FollowUpStatus.CONTACTED,
                                                           FollowUpStatus.ASSESSED]
    assert panel.cell(row_of(panel, MATEO), "status") == "assessed"
    assert not panel.step_button.isEnabled() and panel.step_button.text() == "Follow-up done"
    other = row_of(panel, "C-10252")
    assert panel.cell(other, "status") == "to contact" and panel.cell(other, "steps") == ""

    click(qtbot, window.back_office.sign_out_button)  # the next user sees none of it
    assert panel.table.rowCount() == 0 and panel.note_field.text() == ""


def test_a_step_taken_meanwhile_elsewhere_is_refused_and_the_note_kept(qtbot, window,
                                                                       recalled):
    section, panel = workbench(qtbot, window)
    tap_row(qtbot, panel, MATEO)
    manager = staff_row("clinic_manager")["badge"]
    [mateo] = [p for p in recalled.recall_follow_ups(manager, NOTICE).patients
               if p.patient.chart_number == MATEO]
    recalled.take_follow_up_step(manager, mateo.key, FollowUpStatus.CONTACTED)  # another desk
    panel.note_field.setText("spoke to guardian")
    click(qtbot, panel.step_button)
    qtbot.waitUntil(lambda: section.message.property("tone") == "error", timeout=WAIT_MS)
    assert section.message.text() == ("This patient was already marked contacted by Renée "
                                      "Dubois-Carter; nothing was changed.")
    qtbot.waitUntil(lambda: panel.cell(row_of(panel, MATEO), "status") == "contacted",
                    timeout=WAIT_MS)  # shown as it is now, ready for the next step
    assert panel.step_button.text() == "Mark assessed" and panel.step_button.isEnabled()
    assert panel.note_field.text() == "spoke to guardian"
    assert len(steps_of(recalled, MATEO)) == 1


def test_an_unreachable_central_server_saves_nothing_and_keeps_the_note(qtbot, window,
                                                                        recalled):
    section, panel = workbench(qtbot, window)
    tap_row(qtbot, panel, MATEO)
    app = section.kiosk  # the window's own KioskApp: its follow-ups now live on a server down
    app.ports = replace(app.ports, follow_ups=MongoRecallFollowUps(DOWN, DEMO_CLINIC_ID))
    panel.note_field.setText("no answer")
    click(qtbot, panel.step_button)
    qtbot.waitUntil(lambda: section.message.property("tone") == "error", timeout=WAIT_MS)
    text = section.message.text()
    assert text.startswith("The follow-up step was not saved: The central server cannot be "
                           "reached") and "try again when the central server answers" in text
    assert panel.note_field.text() == "no answer" and panel.step_button.isEnabled()
    assert panel.cell(row_of(panel, MATEO), "status") == "to contact"
    assert steps_of(recalled, MATEO) == ()

    section.look_up(LOT)  # read again while the server is down: statuses unknown, no step
    qtbot.waitUntil(lambda: section.message.property("tone") == "warn", timeout=WAIT_MS)
    assert section.message.text().startswith("Follow-up statuses could not be read: The "
                                             "central server cannot be reached")
    assert [panel.cell(r, "status") for r in range(2)] == ["unknown", "unknown"]
    tap_row(qtbot, panel, MATEO)
    assert not panel.step_button.isEnabled() and panel.step_button.text() == "Status unknown"


def test_a_step_still_says_it_was_saved_when_another_lot_was_tapped_meanwhile(
        qtbot, window, recalled):
    import_csv(recalled.context, "lots", "sku,lot_number,expiration_date,vendor,unit_cost,"
               f"quantity,status\nWIR-NTI-014-U,{LOT},2030-01-31,,1.10,10,ACTIVE\n")
    section, panel = workbench(qtbot, window)
    assert section.lot_list.count() == 2 and section.selected_lot().sku == SKU
    tap_row(qtbot, panel, MATEO)
    gate = threading.Event()
    section.worker.submit(lambda: gate.wait(WAIT_MS / 1000))  # the writer is busy a moment
    try:
        click(qtbot, panel.step_button)
        click_item(qtbot, section.lot_list, 1)  # the wire's lot: no follow-up panel
        assert section.selected_lot().sku == "WIR-NTI-014-U" and not panel.isVisible()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: section.message.text() == f"Patient {MATEO} is contacted.",
                    timeout=WAIT_MS)
    assert [s.status for s in steps_of(recalled, MATEO)] == [FollowUpStatus.CONTACTED]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=["1024x768", "1280x800"])
def test_the_follow_up_panel_reads_whole(qtbot, window, recalled, size):
    manager = staff_row("clinic_manager")["badge"]
    [mateo] = [p for p in recalled.recall_follow_ups(manager, NOTICE).patients
               if p.patient.chart_number == MATEO]
    recalled.take_follow_up_step(manager, mateo.key, FollowUpStatus.CONTACTED,
                                 note="Spoke to his mother; he comes in on Friday at 9")
    sized(qtbot, window, size)
    section, panel = workbench(qtbot, window)
    tap_row(qtbot, panel, MATEO)
    with contextlib.suppress(qtbot.TimeoutError):  # rows re-wrap on a short delay
        qtbot.waitUntil(lambda: not layout_problems(window, section), timeout=3000)
    assert panel.step_button.isVisible()
    problems = layout_problems(window, section)  # the recalled lot's line too
    assert not problems, "\n".join(problems)
    # the workbench needs no taller window than the screen (another section may: the
    # window is then taller than ``size``, so measure the room this screen would have)
    chrome = window.height() - section.parentWidget().height()
    assert section.minimumSizeHint().height() <= size[1] - chrome
