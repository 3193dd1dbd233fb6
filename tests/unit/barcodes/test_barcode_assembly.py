"""Two-scan assembly: product scan, then its lot/expiry label, within a window."""

from __future__ import annotations

from datetime import date

from kiosk.domain.barcodes import AssemblyStep, ScanAssembler, ScanResult, assemble, parse_scan
from kiosk.domain.barcodes.assembly import NO_PRODUCT

GS = "\x1d"
GTIN = "09506000134352"
OTHER_GTIN = "04006381333931"

PRODUCT = parse_scan(f"]d201{GTIN}")
PRODUCT_WITH_EXPIRY = parse_scan(f"(01){GTIN}(17)271231")
PRODUCT_WITH_LOT = parse_scan(f"(01){GTIN}(17)271231(10)LOT1")
OTHER_PRODUCT = parse_scan(OTHER_GTIN)
LOT_LABEL = parse_scan("(10)LOT9(17)271231(21)SN5(30)3")
HIBCC_PRIMARY = parse_scan("+A123BJC5D6E71G")
HIBCC_SECONDARY = parse_scan("+$$52001510X3GD")  # link G: belongs to HIBCC_PRIMARY
HIBCC_OTHER_SECONDARY = parse_scan("+$$710X3H8")  # link H: belongs to something else
HIBCC_CONCATENATED = parse_scan("+A99912345/$$52001510X33")


def test_fixtures_parse() -> None:
    scans = [PRODUCT, PRODUCT_WITH_EXPIRY, PRODUCT_WITH_LOT, OTHER_PRODUCT, LOT_LABEL]
    scans += [HIBCC_PRIMARY, HIBCC_SECONDARY, HIBCC_OTHER_SECONDARY, HIBCC_CONCATENATED]
    for scan in scans:
        assert scan.ok, (scan.raw, scan.error)
    assert LOT_LABEL.is_lot_label and HIBCC_SECONDARY.is_lot_label
    assert HIBCC_OTHER_SECONDARY.hibcc_link == "H"


def test_product_with_lot_completes_at_once() -> None:
    step = ScanAssembler().feed(PRODUCT_WITH_LOT, now=0)
    assert step == AssemblyStep(completed=(PRODUCT_WITH_LOT,))


def test_hibcc_concatenated_completes_at_once() -> None:
    step = ScanAssembler().feed(HIBCC_CONCATENATED, now=0)
    assert step == AssemblyStep(completed=(HIBCC_CONCATENATED,))


def test_product_without_lot_is_held_then_merged_with_gs1_lot_label() -> None:
    assembler = ScanAssembler(window_seconds=20)
    assert assembler.feed(PRODUCT, now=100) == AssemblyStep(pending=PRODUCT)
    step = assembler.feed(LOT_LABEL, now=119.5)
    assert step.error is None and step.pending is None
    (merged,) = step.completed
    assert (merged.gtin, merged.lot, merged.expiry) == (GTIN, "LOT9", date(2027, 12, 31))
    assert (merged.serial, merged.quantity) == ("SN5", 3)
    assert assembler.flush() is None


def test_hibcc_primary_merged_with_its_secondary() -> None:
    assembler = ScanAssembler()
    assert assembler.feed(HIBCC_PRIMARY, now=0).pending == HIBCC_PRIMARY
    (merged,) = assembler.feed(HIBCC_SECONDARY, now=5).completed
    assert merged.hibcc == HIBCC_PRIMARY.hibcc
    assert (merged.lot, merged.expiry) == ("10X3", date(2020, 1, 15))


def test_hibcc_primary_takes_a_kiosk_printed_gs1_lot_label() -> None:
    assembler = ScanAssembler()
    assembler.feed(HIBCC_PRIMARY, now=0)
    (merged,) = assembler.feed(parse_scan("(10)K-77"), now=1).completed
    assert merged.hibcc == HIBCC_PRIMARY.hibcc and merged.lot == "K-77"


def test_hibcc_secondary_with_wrong_link_is_an_error_and_keeps_the_held_scan() -> None:
    assembler = ScanAssembler()
    assembler.feed(HIBCC_PRIMARY, now=0)
    step = assembler.feed(HIBCC_OTHER_SECONDARY, now=1)
    assert step.completed == () and step.pending == HIBCC_PRIMARY
    assert step.error is not None and "link character" in step.error and "“H”" in step.error
    assert assembler.flush() == HIBCC_PRIMARY


def test_hibcc_secondary_after_a_gtin_is_an_error() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT, now=0)
    step = assembler.feed(HIBCC_SECONDARY, now=1)
    assert step.error is not None and step.pending == PRODUCT


def test_another_product_completes_the_held_one() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT, now=0)
    step = assembler.feed(OTHER_PRODUCT, now=1)
    assert step == AssemblyStep(completed=(PRODUCT,), pending=OTHER_PRODUCT)
    step = assembler.feed(PRODUCT_WITH_LOT, now=2)
    assert step == AssemblyStep(completed=(OTHER_PRODUCT, PRODUCT_WITH_LOT))


def test_window_passed_completes_held_scan_and_label_has_no_product() -> None:
    assembler = ScanAssembler(window_seconds=20)
    assembler.feed(PRODUCT, now=0)
    step = assembler.feed(LOT_LABEL, now=20.5)
    assert step.completed == (PRODUCT,)
    assert step.pending is None
    assert step.error == NO_PRODUCT
    assert assembler.flush() is None


def test_window_passed_then_new_product() -> None:
    assembler = ScanAssembler(window_seconds=5)
    assembler.feed(PRODUCT, now=0)
    step = assembler.feed(OTHER_PRODUCT, now=60)
    assert step == AssemblyStep(completed=(PRODUCT,), pending=OTHER_PRODUCT)


def test_lot_label_with_nothing_held() -> None:
    step = ScanAssembler().feed(LOT_LABEL, now=0)
    assert step == AssemblyStep(error="Scan the product barcode before its lot label.")
    assert ScanAssembler().feed(HIBCC_SECONDARY, now=0).error == NO_PRODUCT


def test_conflicting_expiry_is_an_error_naming_both_and_keeps_held_scan() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT_WITH_EXPIRY, now=0)
    step = assembler.feed(parse_scan("(10)LOT9(17)280131"), now=1)
    assert step.completed == () and step.pending == PRODUCT_WITH_EXPIRY
    assert step.error is not None
    assert "2028-01-31" in step.error and "2027-12-31" in step.error
    assert step.error.endswith(".")
    assert assembler.flush() == PRODUCT_WITH_EXPIRY  # never silently overwritten


def test_matching_expiry_merges() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT_WITH_EXPIRY, now=0)
    (merged,) = assembler.feed(parse_scan("(10)LOT9(17)271231"), now=1).completed
    assert (merged.lot, merged.expiry) == ("LOT9", date(2027, 12, 31))


def test_conflicting_serial_is_an_error() -> None:
    held = parse_scan(f"(01){GTIN}(21)SN1")
    assembler = ScanAssembler()
    assembler.feed(held, now=0)
    step = assembler.feed(parse_scan("(10)L1(21)SN2"), now=1)
    assert step.error is not None and "SN1" in step.error and "SN2" in step.error
    assert step.pending == held


def test_conflicting_lot_is_an_error() -> None:
    # A held scan never has a lot through feed(); the merge guards it all the same.
    held = ScanResult(kind=PRODUCT.kind, raw="x", gtin=GTIN, lot="A1")
    assembler = ScanAssembler()
    assembler._held = held  # reach the guard directly
    step = assembler.feed(parse_scan("(10)B2"), now=0)
    assert step.error is not None and "A1" in step.error and "B2" in step.error


def test_error_scan_leaves_the_held_scan_alone() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT, now=0)
    bad = parse_scan("+A123BJC5D6E71H")
    step = assembler.feed(bad, now=1)
    assert step == AssemblyStep(pending=PRODUCT, error=bad.error)
    assert assembler.flush() == PRODUCT


def test_staff_scan_is_not_a_supply() -> None:
    assembler = ScanAssembler()
    assembler.feed(PRODUCT, now=0)
    step = assembler.feed(parse_scan("STAFF-77"), now=1)
    assert step.error is not None and step.pending == PRODUCT


def test_flush_gives_back_the_held_scan_once() -> None:
    assembler = ScanAssembler()
    assert assembler.flush() is None
    assembler.feed(PRODUCT, now=0)
    assert assembler.flush() == PRODUCT
    assert assembler.flush() is None


def test_assemble_for_the_cli() -> None:
    scans = [PRODUCT, LOT_LABEL, HIBCC_PRIMARY, HIBCC_OTHER_SECONDARY, LOT_LABEL, OTHER_PRODUCT]
    products, errors = assemble(scans)
    assert [p.gtin or p.hibcc.key for p in products] == [GTIN, "A123BJC5D6E7", OTHER_GTIN]
    assert products[0].lot == "LOT9" and products[1].lot == "LOT9"
    assert len(errors) == 1 and "link character" in errors[0]
    assert assemble([LOT_LABEL]) == ([], [NO_PRODUCT])
    assert assemble([]) == ([], [])
