"""The recall workbench: a scanned or typed lot shows who received it; marking it recalled
and importing a recall file change the lot in SQLite; the contact list is written as CSV and
PDF; users without inventory:adjust and appliance:read cannot reach it or act through it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fake_printer import no_lp
from ui_helpers import WAIT_MS, back_office, click, gs1, sign_in_as, staff_row

from kiosk.domain.errors import PermissionDenied
from kiosk.domain.model import LotStatus
from kiosk.services.corrections import void_usage
from kiosk.services.imports import import_csv
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.recall_workbench import look_up_lot, with_contact_columns
from kiosk.services.report_export import cell
from kiosk.services.reports import lot_tracking

SKU, LOT, OTHER_LOT = "BRK-MBT-U1R", "B25E392", "B26A858"
RECORD = "64b300000000000000000004"  # C-10239's placed bracket appliance
RECALL = {"results": [{
    "recall_number": "Z-0101-2027", "product_code": "DYW",
    "product_description": "Metal twin bracket MBT 0.022 U1 right, UDI-DI 00812345671018",
    "code_info": f"Lot Numbers: {LOT}. Exp 2028-01.", "reason_for_recall": "Pad may detach.",
}]}


@pytest.fixture
def clinic(kiosk):
    def place(chart, lot, qty=1, badge="B1001", record=None):
        return deduct_for_appliance(kiosk.context, badge, PlaceSupplies(
            chart, "BRACKET", [gs1(SKU, lot)], qty, appliance_id=record))[0]

    place("C-10239", LOT, 2, record=RECORD)
    place("C-10252", LOT, badge="B1005")
    void_usage(kiosk.context, "B1001", place("C-10247", LOT).id, "wrong patient")
    place("C-10247", OTHER_LOT)
    return kiosk


def lot_state(kiosk, sku=SKU, lot=LOT):
    with kiosk.context.store.read() as tx:
        found = tx.lot_by_number(tx.item_by_sku(sku).id, lot)
        return found.status, found.recall_notice


def looked_up(qtbot, section, lot=LOT):
    qtbot.waitUntil(lambda: section.lookup is not None and section.lookup.lot_number == lot,
                    timeout=WAIT_MS)
    return section.lookup


def said(qtbot, section, tone):
    qtbot.waitUntil(lambda: section.message.property("tone") == tone, timeout=WAIT_MS)
    return section.message.text()


def pdf_text(path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        return re.sub(r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range()
                                            for i in range(len(pdf))))
    finally:
        pdf.close()


def test_scan_shows_who_received_the_lot_and_two_taps_recall_it(qtbot, window, clinic,
                                                                 tmp_path, monkeypatch):
    section = back_office(qtbot, window, "inventory_manager", "recalls")
    window.on_scanned(gs1(SKU, LOT))
    lookup = looked_up(qtbot, section)
    assert [lot.sku for lot in lookup.lots] == [SKU]
    table = section.table
    charts = sorted(table.cell_text(r, "chartNumber") for r in range(table.rowCount()))
    assert charts == ["C-10239", "C-10252"]  # the voided placement is left out
    row = next(r for r in range(table.rowCount()) if table.cell_text(r, "chartNumber")
               == "C-10239")
    assert table.cell_text(row, "usedBy") == "Zoë Álvarez"
    assert table.cell_text(row, "applianceType") == "BRACKET"
    assert table.cell_text(row, "applianceRecordId") == RECORD
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", table.cell_text(row, "usageDate"))

    click(qtbot, section.mark_button)
    assert "Type the recall notice" in said(qtbot, section, "error")
    qtbot.keyClicks(section.reason_field, "FDA Z-0199-2027")
    click(qtbot, section.mark_button)
    assert "2 patient(s) received it" in said(qtbot, section, "warn")
    assert lot_state(clinic) == (LotStatus.ACTIVE, None)  # one tap changes nothing
    click(qtbot, section.mark_button)
    qtbot.waitUntil(lambda: section.lookup.lots[0].status is LotStatus.RECALLED,
                    timeout=WAIT_MS)
    assert lot_state(clinic) == (LotStatus.RECALLED, "FDA Z-0199-2027")
    assert lot_state(clinic, lot=OTHER_LOT)[0] is LotStatus.ACTIVE
    assert "RECALLED" in section.lot_list.item(0).text()
    assert not section.mark_button.isEnabled()

    section.output.path_field.setText(str(tmp_path / "contacts.csv"))
    with qtbot.waitSignal(section.output.saved, timeout=WAIT_MS) as saved:
        click(qtbot, section.output.csv_button)
    with open(saved.args[0], encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    expected = lot_tracking(clinic.context, None, LOT)
    assert written[0] == ["# " + expected.scope.sentence()]  # issue 15: where it came from
    columns = with_contact_columns(expected.columns)  # issue 16: phone and guardian too
    assert written[1] == list(columns)
    assert written[2:] == [[cell(r.get(c, "")) for c in columns] for r in expected.rows]

    no_lp(tmp_path, monkeypatch)
    with qtbot.waitSignal(section.output.printed, timeout=WAIT_MS):
        click(qtbot, section.output.print_button)
    [pdf] = (Path(clinic.config.data_dir) / "printouts").glob("recall-contact-list*.pdf")
    assert f"saved to {pdf}" in section.message.text()
    text = pdf_text(pdf)
    assert f"Recall contact list: lot {LOT} of {SKU}" in text
    assert "2 patient(s) received this lot" in text
    assert "Mateo Hernández" in text and "Jayden Brooks" in text and "Chloé" not in text


def test_a_typed_lot_number_and_an_unknown_one(qtbot, window, clinic):
    section = back_office(qtbot, window, "orthodontist", "recalls")
    qtbot.keyClicks(section.lot_field, OTHER_LOT)
    click(qtbot, section.look_up_button)
    looked_up(qtbot, section, OTHER_LOT)
    assert section.table.rowCount() == 1 and section.table.cell_text(0, "chartNumber") \
        == "C-10247"
    section.lot_field.setText("NOPE123")
    click(qtbot, section.look_up_button)
    assert "No lot 'NOPE123'" in said(qtbot, section, "error")
    assert section.lookup is None and section.table.rowCount() == 0

    section.lot_field.setText(OTHER_LOT)
    click(qtbot, section.look_up_button)
    looked_up(qtbot, section, OTHER_LOT)
    click(qtbot, window.back_office.sign_out_button)  # the next user sees none of it
    assert section.lookup is None and section.table.rowCount() == 0
    assert section.lot_field.text() == "" and section.lot_list.count() == 0


def test_import_a_recall_file_picked_with_browse(qtbot, window, clinic, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    good = tmp_path / "recall.json"
    good.write_text(json.dumps(RECALL), encoding="utf-8")
    section = back_office(qtbot, window, "clinic_manager", "recalls")
    importer = section.importer

    importer.path_field.setText(str(bad))
    click(qtbot, importer.import_button)
    assert "not valid JSON" in said(qtbot, section, "error")
    assert lot_state(clinic) == (LotStatus.ACTIVE, None)

    click(qtbot, importer.browse_button)
    dialog = importer.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.selectFile(str(good))
    dialog.accept()
    assert importer.path_field.text() == str(good)
    click(qtbot, importer.import_button)
    looked_up(qtbot, section)
    assert lot_state(clinic) == (LotStatus.RECALLED, "Z-0101-2027")
    assert lot_state(clinic, lot=OTHER_LOT)[0] is LotStatus.ACTIVE
    text = section.message.text()
    assert f"Marked RECALLED: {LOT} of {SKU} (Z-0101-2027); 2 patient(s)" in text
    assert section.table.rowCount() == 2


def test_without_the_permissions_the_screen_is_absent_and_the_services_refuse(qtbot, window,
                                                                             clinic):
    assistant, it = staff_row("assistant"), staff_row("it_admin")
    sign_in_as(qtbot, window, "assistant")
    click(qtbot, window.placement.back_office_button)
    assert "recalls" not in window.back_office.tabs
    assert window.back_office.open("recalls") is None
    with pytest.raises(PermissionDenied):
        clinic.catalog.change_lot_status(assistant["badge"], SKU, LOT, LotStatus.RECALLED,
                                    "not mine to recall")
    with pytest.raises(PermissionDenied):
        clinic.catalog.import_recall_file(assistant["badge"], json.dumps(RECALL))
    with pytest.raises(PermissionDenied):
        look_up_lot(clinic.context, it["badge"], LOT)  # IT has no appliance:read
    assert lot_state(clinic) == (LotStatus.ACTIVE, None)


def test_a_recall_naming_a_product_only_in_words_is_offered_for_review_not_marked(
        qtbot, window, kiosk, tmp_path):
    """The real openFDA record Z-0481-2014 names Avex CX2 brackets in words and lot ranges:
    the workbench marks nothing, looks up the first proposed lot with the recall number as
    the reason, and two taps on Mark recalled apply it."""
    import_csv(kiosk.context, "items", "sku,name,category,gtins,hibcc,unit_of_measure,"
               "reorder_point,reorder_quantity\nOPAL-CX2-UR3,Avex CX2 ceramic bracket UR3,"
               "BRACKET,,,EACH,5,20\n")
    import_csv(kiosk.context, "lots", "sku,lot_number,expiration_date,vendor,unit_cost,"
               "quantity,status\nOPAL-CX2-UR3,4600,2030-01-31,,4.20,10,ACTIVE\n")
    record = Path(__file__).resolve().parents[1] / "fixtures/openfda/enforcement-Z-0481-2014.json"
    section = back_office(qtbot, window, "clinic_manager", "recalls")
    section.importer.path_field.setText(str(record))

    click(qtbot, section.importer.import_button)
    looked_up(qtbot, section, "4600")
    assert lot_state(kiosk, "OPAL-CX2-UR3", "4600") == (LotStatus.ACTIVE, None)
    assert "To review, not marked: Z-0481-2014 may mean OPAL-CX2-UR3 lot(s) 4600" in \
        section.message.text()
    assert section.reason_field.text() == "Z-0481-2014"

    click(qtbot, section.mark_button)
    click(qtbot, section.mark_button)  # the second tap confirms
    qtbot.waitUntil(lambda: lot_state(kiosk, "OPAL-CX2-UR3", "4600")[0] is LotStatus.RECALLED,
                    timeout=WAIT_MS)
    assert lot_state(kiosk, "OPAL-CX2-UR3", "4600") == (LotStatus.RECALLED, "Z-0481-2014")
