"""Receive stock (issue 6, screen 1): scan a vendor's box, confirm it, save, print its lot
labels; the next scan saves the box showing; bad input is one sentence and saves nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp
from fake_printer import fake_lp, no_lp
from PySide6.QtCore import Qt
from ui_helpers import WAIT_MS, back_office, click, first_gtin

from kiosk.domain.barcodes import parse_scan
from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.domain.barcodes.hibcc_chars import mod43_check_char
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.model import AdjustmentKind, LotStatus
from kiosk.services.receipts import BoxEntry, draft_from_scan, receive_box

SKU = "BRK-MBT-U1R"  # offers: Alder 3.36, Crescent 3.50 (preferred), Northbay 3.83
EXPIRY = date.today() + timedelta(days=700)


def box(lot: str, expiry: date | None = EXPIRY, sku: str = SKU) -> str:
    return f"(01){first_gtin(sku)}" + (f"(17){expiry:%y%m%d}" if expiry else "") + f"(10){lot}"


def receipts(kiosk) -> list:
    with kiosk.context.store.read() as tx:
        return [a for a in tx.adjustments() if a.kind is AdjustmentKind.RECEIPT]


def lot_of(kiosk, sku: str, number: str):
    with kiosk.context.store.read() as tx:
        item = tx.item_by_sku(sku)
        return item.quantity_on_hand, tx.lot_by_number(item.id, number)


def on_hand(kiosk, sku: str) -> int:
    with kiosk.context.store.read() as tx:
        return tx.item_by_sku(sku).quantity_on_hand


def loaded(qtbot, screen, sku: str = SKU) -> None:
    qtbot.waitUntil(lambda: screen.form.draft is not None and screen.form.draft.sku == sku
                    and not screen.busy, timeout=WAIT_MS)


def scan(qtbot, screen, raw: str) -> None:
    qtbot.keyClicks(screen.scan_field, raw)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def type_into(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def settled(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)


def decode_labels(path: Path) -> list[tuple[str, str, date | None]]:
    """(GTIN, lot, expiry) of every barcode on every page of a label PDF."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    found = []
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=600 / 72, grayscale=True).to_numpy().squeeze()
            for code in zxingcpp.read_barcodes(np.ascontiguousarray(image),
                                               text_mode=zxingcpp.TextMode.Plain):
                read = parse_scan(code.symbology_identifier + code.text)
                assert read.error is None, read.error
                found.append((code.format.name, read.gtin, read.lot, read.expiry))
    finally:
        pdf.close()
    return found


def test_a_scanned_box_is_confirmed_saved_and_its_labels_printed(qtbot, window, kiosk, tmp_path,
                                                                  monkeypatch):
    record = fake_lp(tmp_path, monkeypatch, delay_s=0.2)
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    before = on_hand(kiosk, SKU)
    scan(qtbot, screen, box("R26X001"))
    loaded(qtbot, screen)
    form = screen.form
    assert (form.lot_field.text(), form.expiry_field.text()) == ("R26X001", f"{EXPIRY:%Y-%m-%d}")
    assert form.vendor_box.currentData() == "Crescent Dental Distributors"  # the preferred one
    assert form.cost_field.text() == "3.50"
    assert form.qty_field.text() == "" and screen.problem() is not None  # no silent default
    # the quantity on the big keypad, another vendor (its cost follows), our own cost
    click(qtbot, form.qty_keypad_button)
    for key in "24":
        click(qtbot, form.keypad.digit_buttons[int(key)])
    click(qtbot, form.keypad.ok_button)
    assert form.qty_field.text() == "24"
    form.vendor_box.setCurrentIndex(form.vendor_box.findData("Alder Ortho Direct"))
    assert form.cost_field.text() == "3.36"
    type_into(qtbot, form.cost_field, "3.2950")
    click(qtbot, form.labels_plus)
    assert form.labels_field.text() == "2"
    assert form.qty_plus.height() >= 48 and screen.save_button.height() >= 48
    click(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: "sent to the printer" in screen.last.text(), timeout=WAIT_MS)
    assert screen.last.text() == (f"Received 24 × {SKU}, lot R26X001. 2 labels sent to the "
                                  "printer.")
    assert screen.form.draft is None and screen.message.property("tone") == "ok"
    stock, lot = lot_of(kiosk, SKU, "R26X001")
    assert stock == before + 24 and lot.quantity_on_hand == 24
    assert lot.expiration_date == EXPIRY and lot.unit_cost == Decimal("3.2950")
    assert lot.status is LotStatus.ACTIVE
    with kiosk.context.store.read() as tx:
        assert tx.vendor_by_id(lot.vendor_id).name == "Alder Ortho Direct"
    [receipt] = receipts(kiosk)
    assert (receipt.quantity_delta, receipt.lot_id, receipt.unit_cost) == (
        24, lot.id, Decimal("3.2950"))
    [pdf] = kiosk.ports.files.folder.glob("labels-*.pdf")
    assert str(pdf) in record.read_text(encoding="utf-8").splitlines()
    codes = decode_labels(pdf)
    assert sorted(c[0] for c in codes) == ["Code128", "Code128", "DataMatrix", "DataMatrix"]
    assert {c[1:] for c in codes} == {(first_gtin(SKU), "R26X001", EXPIRY)}


def test_the_next_scan_saves_the_box_showing_and_never_loses_or_repeats_one(qtbot, window,
                                                                            kiosk, tmp_path,
                                                                            monkeypatch):
    no_lp(tmp_path, monkeypatch)
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    window.on_scanned(box("R26X101"))  # a wedge scan
    loaded(qtbot, screen)
    type_into(qtbot, screen.form.qty_field, "5")
    window.on_scanned(box("R26X102"))  # the next box: no tap in between
    qtbot.waitUntil(lambda: screen.form.draft is not None and screen.form.draft.lot == "R26X102"
                    and not screen.busy, timeout=WAIT_MS)
    assert lot_of(kiosk, SKU, "R26X101")[1].quantity_on_hand == 5
    # no printer here: the sentence names the saved label PDF
    qtbot.waitUntil(lambda: "No printer" in screen.last.text(), timeout=WAIT_MS)
    [pdf] = kiosk.ports.files.folder.glob("labels-*R26X101*.pdf")
    assert screen.last.text() == (f"Received 5 × {SKU}, lot R26X101. No printer answered; "
                                  f"1 label saved to {pdf}.")
    assert screen.last.property("tone") == "warn"
    type_into(qtbot, screen.form.labels_field, "0")  # kept for the next boxes
    # the box showing has no quantity yet: a third scan waits instead of saving it
    window.on_scanned(box("R26X103"))
    assert screen.message.property("tone") == "error"
    assert "not saved yet: The quantity" in screen.message.text()
    assert screen.waiting.text() == "1 scanned box waiting" and screen.queue == [box("R26X103")]
    assert lot_of(kiosk, SKU, "R26X102")[1] is None
    type_into(qtbot, screen.form.qty_field, "7")
    click(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: screen.form.draft is not None and screen.form.draft.lot == "R26X103"
                    and not screen.busy, timeout=WAIT_MS)
    assert screen.waiting.text() == ""
    # discarding the last box saves nothing
    click(qtbot, screen.discard_button)
    assert screen.form.draft is None
    assert [(r.lot_number, r.quantity_delta) for r in receipts(kiosk)] == [
        ("R26X101", 5), ("R26X102", 7)]
    assert lot_of(kiosk, SKU, "R26X103")[1] is None


def test_an_hibcc_box_takes_its_lot_label_and_says_why_it_has_no_gs1_label(qtbot, window,
                                                                        kiosk):
    screen = back_office(qtbot, window, "clinic_manager", "receive")
    screen.on_scanned("+M422BDL6R340R")  # primary only: the lot is on a second symbol
    loaded(qtbot, screen, "BND-L6R-34")
    assert screen.form.lot_field.text() == ""
    secondary = f"+$$3{EXPIRY:%y%m%d}HB77Q" + "R"  # link character = the primary's check
    secondary += mod43_check_char(secondary)
    screen.on_scanned(secondary)
    assert screen.form.lot_field.text() == "HB77Q"
    assert screen.form.expiry_field.text() == f"{EXPIRY:%Y-%m-%d}"
    assert screen.form.vendor_box.currentData() == "Northbay Orthodontic Supply"
    type_into(qtbot, screen.form.qty_field, "12")
    click(qtbot, screen.save_button)
    settled(qtbot, screen)
    qtbot.waitUntil(lambda: screen.last.text() != "", timeout=WAIT_MS)
    _, lot = lot_of(kiosk, "BND-L6R-34", "HB77Q")
    assert lot.quantity_on_hand == 12 and lot.expiration_date == EXPIRY
    assert screen.last.property("tone") == "warn" and "has no GTIN" in screen.last.text()


BAD = [
    ("scan", "(01)00812345679991(10)X1", "is not in the catalog"),
    ("scan", "(01)0081234567101(10)X1", "(01) needs 14 digits"),
    ("scan", "(01)00812345671018(17)281399(10)X1", "not a real date"),
    ("scan", "STAFF-B1001", "not a supply"),
    ("qty", "0", "at least 1"),
    ("qty", "-3", "at least 1"),
    ("qty", "1000000", "more than 100000"),
    ("qty", "12.5", "not a whole number"),
    ("cost", "abc", "is not a number"),
    ("cost", "-1", "cannot be negative"),
    ("expiry", (date.today() - timedelta(days=1)).isoformat(), "already past"),
    ("expiry", "31/12/2030", "type it as YYYY-MM-DD"),
    ("lot", "", "Type the lot number"),
    ("lot", "L" * 21, "longer than 20 characters"),
]


def test_bad_input_is_one_sentence_and_saves_nothing(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    before = on_hand(kiosk, SKU)
    for field, value, sentence in BAD:
        if field == "scan":
            screen.form.clear()
            scan(qtbot, screen, value)
            settled(qtbot, screen)
            assert screen.form.draft is None
        else:
            if screen.form.draft is None:
                scan(qtbot, screen, box("R26X201"))
                loaded(qtbot, screen)
            form = screen.form
            type_into(qtbot, form.lot_field, "R26X201")
            type_into(qtbot, form.expiry_field, f"{EXPIRY:%Y-%m-%d}")
            type_into(qtbot, form.qty_field, "3")
            type_into(qtbot, form.cost_field, "3.50")
            type_into(qtbot, {"qty": form.qty_field, "cost": form.cost_field,
                              "expiry": form.expiry_field, "lot": form.lot_field}[field], value)
            click(qtbot, screen.save_button)
            settled(qtbot, screen)
        text = screen.message.text()
        assert screen.message.property("tone") == "error", (field, value, text)
        assert sentence in text and "\n" not in text, (field, value, text)
    assert receipts(kiosk) == [] and on_hand(kiosk, SKU) == before


def test_a_recalled_lot_and_a_wrong_expiry_for_a_known_lot_are_refused(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    scan(qtbot, screen, box("TX25117", None, "BON-ADH-LC"))
    settled(qtbot, screen)
    assert "recalled" in screen.message.text() and screen.form.draft is None
    scan(qtbot, screen, box("B25E392", date.today() + timedelta(days=3)))  # catalog: +585 d
    settled(qtbot, screen)
    assert "set the box aside" in screen.message.text() and screen.form.draft is None
    assert receipts(kiosk) == []


def test_without_inventory_receive_there_is_no_screen_and_the_service_refuses(qtbot, window,
                                                                              kiosk):
    back_office(qtbot, window, "it_admin", "inventory")  # it_admin may read, not receive
    assert "receive" not in window.back_office.tabs
    assert window.back_office.open("receive") is None
    with pytest.raises(PermissionDenied):
        draft_from_scan(kiosk.context, "B1009", box("R26X301"))
    owner = draft_from_scan(kiosk.context, "B1007", box("R26X301"))
    with pytest.raises(PermissionDenied):
        receive_box(kiosk.context, "B1001", owner, BoxEntry("R26X301", "", "4", "", ""))
    assert receipts(kiosk) == []


def test_boxes_scanned_in_a_burst_are_taken_in_scan_order(qtbot, window, kiosk):
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    type_into(qtbot, screen.form.labels_field, "0")
    window.on_scanned(box("R26X401"))
    loaded(qtbot, screen)
    type_into(qtbot, screen.form.qty_field, "1")
    for lot in ("R26X402", "R26X403", "R26X404"):  # faster than the saves and look-ups
        window.on_scanned(box(lot))
    for lot, quantity in (("R26X402", "2"), ("R26X403", "3")):
        qtbot.waitUntil(lambda lot=lot: screen.form.draft is not None
                        and screen.form.draft.lot == lot and not screen.busy, timeout=WAIT_MS)
        type_into(qtbot, screen.form.qty_field, quantity)
        click(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: screen.form.draft is not None and screen.form.draft.lot == "R26X404"
                    and not screen.busy, timeout=WAIT_MS)
    assert screen.queue == []
    assert [(r.lot_number, r.quantity_delta) for r in receipts(kiosk)] == [
        ("R26X401", 1), ("R26X402", 2), ("R26X403", 3)]


def test_a_box_is_found_by_name_when_its_barcode_is_not_in_the_catalog(qtbot, window, kiosk):
    # issue 13: "search the item by name" had no search on this screen
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    before = on_hand(kiosk, SKU)
    body = "0999999999999"
    scan(qtbot, screen, f"(01){body}{gtin_check_digit(body)}(10)R26N001")
    settled(qtbot, screen)
    assert "search the item by name" in screen.message.text() and screen.form.draft is None
    assert screen.search_button.height() >= 48

    click(qtbot, screen.search_button)
    search = screen.search
    assert search.isVisible() and search.geometry() == screen.rect()
    qtbot.keyClicks(search.query, SKU.lower())
    qtbot.waitUntil(lambda: search.results.count() > 0
                    and search.results.item(0).text().startswith(SKU), timeout=WAIT_MS)
    qtbot.mouseClick(search.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=search.results.visualItemRect(search.results.item(0)).center())
    loaded(qtbot, screen)
    assert not search.isVisible()
    form = screen.form
    assert form.lot_field.text() == ""
    type_into(qtbot, form.lot_field, "R26N001")
    type_into(qtbot, form.expiry_field, f"{EXPIRY:%Y-%m-%d}")
    type_into(qtbot, form.qty_field, "5")
    type_into(qtbot, form.labels_field, "0")
    click(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: screen.form.draft is None and not screen.busy, timeout=WAIT_MS)
    assert screen.message.property("tone") == "ok", screen.message.text()
    stock, lot = lot_of(kiosk, SKU, "R26N001")
    assert stock == before + 5 and lot.expiration_date == EXPIRY


def test_search_by_name_waits_for_the_box_showing(qtbot, window):
    screen = back_office(qtbot, window, "inventory_manager", "receive")
    scan(qtbot, screen, box("R26N002"))
    loaded(qtbot, screen)
    click(qtbot, screen.search_button)
    assert not screen.search.isVisible()
    assert "Save or discard" in screen.message.text()
