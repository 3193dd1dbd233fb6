"""Issue 13 at the chair: the right patient, visibly; immediate feedback; readable records;
kits that say what was not scanned."""

from __future__ import annotations

from decimal import Decimal

from ui_helpers import (
    WAIT_MS,
    click,
    confirm,
    first_gtin,
    gs1,
    pick,
    record_row,
    rows,
    scan,
    scan_line,
    signed_in,
    usable_lot,
)

from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.domain.barcodes.wording import MISREAD
from kiosk.services.ports import UsageFilter
from kiosk.ui.placement.cart_table import money
from kiosk.ui.placement.patient_banner import NO_PATIENT
from kiosk.ui.placement.patient_panel import ROLE

MATEO, LIAM = "C-10239", "C-10268"
QUICK_MS = 2_500  # well inside the 8 s lot-label window: "at once"


def name_of(chart: str) -> str:
    row = next(r for r in rows("patients") if r["chart_number"] == chart)
    return f"{row['first_name']} {row['last_name']}"


def record_of(chart: str, kind: str) -> str:
    return next(r["appliance_id"] for r in rows("appliances")
                if r["chart_number"] == chart and r["type"] == kind)


def item_name(sku: str) -> str:
    return next(r["name"] for r in rows("items") if r["sku"] == sku)


def usages_for(kiosk, chart: str):
    with kiosk.context.store.read() as tx:
        return tx.usages(UsageFilter(patient_id=tx.patient_by_chart(chart).id))


def bracket_scan() -> str:
    return gs1("BRK-MBT-U1R", usable_lot("BRK-MBT-U1R")["lot_number"])


# item 2: the right patient, visibly ------------------------------------------------------------
def test_sign_out_clears_the_patient(qtbot, window):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    click(qtbot, screen.sign_out_button)
    screen = signed_in(qtbot, window)
    assert screen.patients.current_patient() is None
    assert screen.patient_banner.text() == NO_PATIENT


def test_the_banner_names_patient_chart_and_record_and_confirm_names_them(qtbot, window):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, record_of(MATEO, "BRACKET"))
    banner = screen.patient_banner.text()
    assert name_of(MATEO) in banner and MATEO in banner and "Brackets · placed" in banner
    scan_line(qtbot, screen, bracket_scan(), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    assert screen.confirm_button.text() == f"Confirm 2 items for {name_of(MATEO)}"


def test_another_chart_with_a_full_cart_asks_and_keep_keeps(qtbot, window):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    scan_line(qtbot, screen, bracket_scan(), 1)
    scan(qtbot, screen, f"CHART-{LIAM}")
    prompt = screen.move_prompt
    qtbot.waitUntil(prompt.isVisible, timeout=WAIT_MS)
    assert prompt.question.text().startswith(f"Move 1 item to {name_of(LIAM)}?")
    assert prompt.keep_button.text() == "Keep Mateo"
    click(qtbot, prompt.keep_button)
    assert not prompt.isVisible()
    assert screen.patients.current_patient().chart_number == MATEO
    assert len(screen.cart) == 1 and name_of(MATEO) in screen.confirm_button.text()


def test_another_patient_picked_in_the_list_asks_and_move_moves(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    scan_line(qtbot, screen, bracket_scan(), 1)
    panel = screen.patients
    liam_row = next(i for i in range(panel.patient_list.count())
                    if panel.patient_list.item(i).text().startswith(LIAM))
    panel.patient_list.setCurrentRow(liam_row)
    assert screen.move_prompt.isVisible()
    assert screen.patient_banner.text().startswith(name_of(MATEO)), "nothing moved yet"
    click(qtbot, screen.move_prompt.move_button)
    assert screen.patients.current_patient().chart_number == LIAM
    assert screen.patient_banner.text().startswith(name_of(LIAM))
    confirm(qtbot, screen)
    assert len(usages_for(kiosk, LIAM)) == 1 and usages_for(kiosk, MATEO) == []


# item 6: immediate feedback --------------------------------------------------------------------
def test_a_gtin_only_scan_shows_its_line_at_once_then_takes_the_lot(qtbot, window):
    screen = signed_in(qtbot, window)
    lot = usable_lot("BRK-MBT-U1R")
    scan(qtbot, screen, f"(01){first_gtin('BRK-MBT-U1R')}")
    table = screen.cart_table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=QUICK_MS)
    assert "waiting for lot label" in table.item(0, 0).text()
    assert table.scanned_rows == 0, "a pending line is not a line yet"
    scan(qtbot, screen, f"(10){lot['lot_number']}")
    qtbot.waitUntil(lambda: table.scanned_rows == 1, timeout=QUICK_MS)
    assert table.rowCount() == 1
    assert table.item(0, 1).text() == lot["lot_number"]


def test_an_unknown_gtin_says_not_in_catalog_at_once(qtbot, window):
    screen = signed_in(qtbot, window)
    scan(qtbot, screen, "(01)00000000000017")
    qtbot.waitUntil(screen.catalog_button.isVisible, timeout=QUICK_MS)
    assert "not in the catalog" in screen.message.text()
    assert screen.cart_table.rowCount() == 0


def test_confirm_with_a_pending_line_asks_once(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    scan_line(qtbot, screen, bracket_scan(), 1)
    scan(qtbot, screen, f"(01){first_gtin('WIR-NTI-016-U')}")
    qtbot.waitUntil(lambda: screen.cart_table.rowCount() == 2, timeout=QUICK_MS)
    question = screen.confirm_question
    click(qtbot, screen.confirm_button)
    assert question.isVisible()
    assert "waiting for its lot label" in question.question.text()
    click(qtbot, question.back_button)
    assert not question.isVisible() and usages_for(kiosk, MATEO) == []
    assert screen.cart_table.rowCount() == 2

    click(qtbot, screen.confirm_button)
    click(qtbot, question.record_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") == "ok", timeout=WAIT_MS)
    assert len(usages_for(kiosk, MATEO)) == 2
    assert screen.message.text().startswith(f"Recorded 2 items for {name_of(MATEO)} · $")


def test_success_names_patient_count_and_total(qtbot, window):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    scan_line(qtbot, screen, bracket_scan(), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    total = screen.cart.total
    assert total > Decimal(0)
    confirm(qtbot, screen)
    assert screen.message.text() == f"Recorded 2 items for {name_of(MATEO)} · {money(total)}"


def test_a_scan_while_an_overlay_is_up_is_refused_with_the_error_sound(qtbot, window):
    screen = signed_in(qtbot, window)
    scan_line(qtbot, screen, bracket_scan(), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.qty_button)
    assert screen.keypad.isVisible()
    with qtbot.waitSignal(screen.said, timeout=WAIT_MS) as said:
        scan(qtbot, screen, bracket_scan())
    assert said.args == ["error"]
    assert "close" in screen.keypad.error.text().lower()
    assert screen.cart.lines[0].quantity == 1, "the scan did not land behind the overlay"


def test_a_misread_barcode_says_scan_it_again(qtbot, window):
    screen = signed_in(qtbot, window)
    body = first_gtin("BRK-MBT-U1R")[:-1]
    scan(qtbot, screen, f"(01){body}{(gtin_check_digit(body) + 1) % 10}(10)X")
    qtbot.waitUntil(lambda: screen.message.property("tone") == "error", timeout=WAIT_MS)
    assert screen.message.text() == MISREAD


def test_the_message_is_refreshed_for_a_new_patient_and_an_emptied_cart(qtbot, window):
    screen = signed_in(qtbot, window)
    scan(qtbot, screen, "(01)00000000000017")
    qtbot.waitUntil(screen.catalog_button.isVisible, timeout=WAIT_MS)
    pick(qtbot, screen, MATEO, None)
    assert "not in the catalog" not in screen.message.text()
    assert not screen.catalog_button.isVisible()
    scan_line(qtbot, screen, bracket_scan(), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.remove_button)
    assert "Added" not in screen.message.text() and "empty" in screen.message.text()


def test_the_quantity_keypad_starts_from_the_current_quantity(qtbot, window):
    screen = signed_in(qtbot, window)
    scan_line(qtbot, screen, bracket_scan(), 1)
    screen.cart_table.selectRow(0)
    click(qtbot, screen.plus_button)
    click(qtbot, screen.qty_button)
    assert screen.keypad.display.text() == "2"
    click(qtbot, screen.keypad.digit_buttons[5])
    assert screen.keypad.display.text() == "5", "the first key replaces the shown quantity"


# item 7: readable records ----------------------------------------------------------------------
def test_records_read_as_words_and_removed_ones_are_not_offered(qtbot, window):
    screen = signed_in(qtbot, window)
    removed = record_row("REMOVED")
    pick(qtbot, screen, removed["chart_number"], None)
    records = screen.patients.record_list
    texts = [records.item(i).text() for i in range(records.count())]
    data = [records.item(i).data(ROLE) for i in range(records.count())]
    assert all(r is None or r.status.value != "REMOVED" for r in data)
    assert removed["appliance_id"] not in [r.id for r in data if r is not None]
    assert not any("…" in t or removed["appliance_id"][-6:] in t for t in texts)
    assert any(" · ordered" in t for t in texts), texts


# item 9: kits ----------------------------------------------------------------------------------
def open_kit(qtbot, screen, name: str):
    picker = screen.kit_picker
    qtbot.waitUntil(lambda: len(picker.kit_buttons) >= 3, timeout=WAIT_MS)
    click(qtbot, screen.kit_button)
    number = next(i for i, kit in enumerate(picker.kits) if kit.name == name)
    click(qtbot, picker.kit_buttons[number])
    return picker.kits[number]


def test_kit_lines_show_names_and_confirm_asks_about_the_unscanned(qtbot, window, kiosk):
    screen = signed_in(qtbot, window)
    pick(qtbot, screen, MATEO, None)
    open_kit(qtbot, screen, "Upper bond-up")
    table = screen.cart_table
    qtbot.waitUntil(lambda: any(item_name("BRK-MBT-U1L") in table.item(r, 0).text()
                                for r in range(table.rowCount())), timeout=WAIT_MS)
    scan_line(qtbot, screen, bracket_scan(), 1)
    click(qtbot, screen.confirm_button)
    question = screen.confirm_question
    assert question.isVisible()
    assert item_name("BRK-MBT-U1L") in question.question.text()
    assert usages_for(kiosk, MATEO) == []
    click(qtbot, question.record_button)
    qtbot.waitUntil(lambda: screen.message.property("tone") == "ok", timeout=WAIT_MS)
    assert len(usages_for(kiosk, MATEO)) == 1
    assert "Not used from the kit" in screen.message.text()
