"""The placement screen's "Print cost sheet": a PDF in the data folder, spooled through `lp`,
all off the GUI thread; a missing printer is one sentence naming the saved file."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from fake_printer import fake_lp, no_lp
from ui_helpers import WAIT_MS, click, open_window, scan, signed_in

from kiosk import bootstrap
from kiosk.services.placement import PlaceSupplies, bulk_deduct
from kiosk.ui.placement.print_action import SENT, not_printed

PATIENT, ASSISTANT = "C-10239", "B1001"
BRACKET_SCAN = "(01)00812345671018(10)B25E392"
OFFLINE = "No central server is set up: this kiosk's usages only."


@pytest.fixture
def kiosk(tmp_path: Path):
    kiosk = bootstrap.open_demo_kiosk(tmp_path / "demo")
    bulk_deduct(kiosk.context, ASSISTANT, [PlaceSupplies(
        patient=PATIENT, appliance_type="BRACKET", scans=[BRACKET_SCAN])])
    return kiosk




def patient_picked(qtbot, window):
    screen = signed_in(qtbot, window)
    scan(qtbot, screen, f"CHART-{PATIENT}")
    qtbot.waitUntil(lambda: screen.patients.current_patient() is not None
                    and screen.patients.current_patient().chart_number == PATIENT,
                    timeout=WAIT_MS)
    return screen


def printouts(kiosk) -> list[Path]:
    return sorted(kiosk.ports.files.folder.glob("*.pdf"))


def test_the_button_renders_the_pdf_and_spools_it(qtbot, window, kiosk, tmp_path, monkeypatch):
    record = fake_lp(tmp_path, monkeypatch, delay_s=1.0)
    screen = patient_picked(qtbot, window)
    assert screen.print_button.height() >= 48 and screen.print_button.width() >= 48
    finished: list[bool] = []
    screen.printer.finished.connect(finished.append)
    started = time.monotonic()
    click(qtbot, screen.print_button)
    assert time.monotonic() - started < 0.5  # the tap returned before the slow printer
    assert not screen.print_button.isEnabled()  # no second run while this one is going
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert finished == [True]
    # issue 15 item 3: what the printed sheet covers, said with the outcome
    assert screen.message.text() == f"{SENT} {OFFLINE}"
    assert screen.message.property("tone") == "ok"
    [pdf] = printouts(kiosk)
    assert pdf.name.startswith(f"cost-sheet-{PATIENT}-") and pdf.name.endswith("Z.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    argv = record.read_text(encoding="utf-8").splitlines()
    assert argv[-1] == str(pdf)
    assert "-d" not in argv  # the default printer
    assert screen.print_button.isEnabled()


def test_without_a_printer_the_sentence_names_the_saved_file(qtbot, window, kiosk, tmp_path,
                                                             monkeypatch):
    no_lp(tmp_path, monkeypatch)
    screen = patient_picked(qtbot, window)
    finished: list[bool] = []
    screen.printer.finished.connect(finished.append)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert finished == [False]
    [pdf] = printouts(kiosk)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert screen.message.text() == f"{not_printed(pdf)} {OFFLINE}"
    assert str(pdf) in screen.message.text()
    assert screen.message.property("tone") == "warn"


def test_printing_needs_a_patient(qtbot, window):
    screen = signed_in(qtbot, window)
    screen.patients.patient_list.setCurrentRow(-1)
    click(qtbot, screen.print_button)
    assert screen.message.text() == "Pick the patient first."
    assert screen.message.property("tone") == "error"


def test_the_cost_sheet_goes_to_the_printer_chosen_in_settings(qtbot, kiosk, tmp_path,
                                                               monkeypatch):
    record = fake_lp(tmp_path, monkeypatch, delay_s=0.1)
    chosen = replace(kiosk, config=replace(kiosk.config, printer="Chair_3_Laser"))
    window = next(open_window(qtbot, chosen))
    screen = patient_picked(qtbot, window)
    finished: list[bool] = []
    screen.printer.finished.connect(finished.append)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    argv = record.read_text(encoding="utf-8").splitlines()
    assert argv[argv.index("-d") + 1] == "Chair_3_Laser"
    window.shutdown()
