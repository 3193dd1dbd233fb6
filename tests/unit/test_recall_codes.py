"""The code_info reader (issue 16): lots, ranges, expiries, UDIs and catalog numbers as real
FDA recall records print them (the first three texts are from openFDA records Z-0876-2013,
Z-0481-2014 and Z-1509-2015; the rest are the shapes the issue lists)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.services.recall_codes import read_code_info


def test_a_single_lot():
    info = read_code_info("Lot R131360")
    assert info.lots == {"R131360"} and info.names_lots and not info.gtins


def test_lot_ranges_expand_when_both_ends_share_prefix_and_width():
    info = read_code_info("R&D Lot Numbers:4519 - 4522, 4524 - 4527, 4558 - 4612, 4618 - 4624")
    assert {"4519", "4520", "4522", "4524", "4527", "4558", "4600", "4612", "4624"} <= info.lots
    assert not {"4523", "4528", "4613", "4617"} & info.lots
    assert len(info.lots) == 4 + 4 + 55 + 7


@pytest.mark.parametrize(("text", "lots"), [
    ("Lot Numbers: AB-0099 - AB-0101", {"AB-0099", "AB-0100", "AB-0101"}),
    ("Lots 099 - 1001", {"099", "1001"}),  # widths differ: the two ends only
    ("LOT# 12A-3 and 12A-4", {"12A-3", "12A-4"}),
    ("lots b24k805 and B99", {"B24K805", "B99"}),
])
def test_lot_lists(text, lots):
    assert read_code_info(text).lots == lots


def test_product_numbers_without_lots_read_as_a_product_level_recall():
    info = read_code_info("Product No. 91672, 91673, 91674, 91688, and 91689")
    assert info.refs == {"91672", "91673", "91674", "91688", "91689"}
    assert not info.lots and not info.names_lots


@pytest.mark.parametrize("text", ["REF #224-017", "Catalog No. 224-017", "Model 224-017"])
def test_catalog_and_ref_numbers(text):
    assert read_code_info(text).refs == {"224-017"}


def test_the_expiry_printed_beside_each_lot_is_kept():
    info = read_code_info("Lot Numbers: 1234567 Exp. 03/31/2025; 1234568 Exp. 04/30/2025")
    assert info.expiries == {"1234567": date(2025, 3, 31), "1234568": date(2025, 4, 30)}


@pytest.mark.parametrize("text", [
    "UDI code: (01)00812345671018(10)LOT42(17)270131",
    "UDI code: (01) 00812345671018 (10) LOT42 (17) 270131",
])
def test_a_gs1_udi_pairs_its_lot_with_its_gtin(text):
    info = read_code_info(text)
    assert info.gtins == {"00812345671018"} and info.udi_lots == {"00812345671018": {"LOT42"}}
    assert info.expiries == {"LOT42": date(2027, 1, 31)}


@pytest.mark.parametrize("text", ["(01) 00812345671018", "UDI/DI 812345671018",
                                  "GTIN 0812345671018"])
def test_a_device_identifier_alone(text):
    info = read_code_info(text)
    assert info.gtins == {"00812345671018"} and not info.names_lots


def test_udi_di_with_lot_and_a_compact_expiry():
    info = read_code_info("UDI/DI 00812345671018, Lot number AB12, Exp. 20270131")
    assert info.gtins == {"00812345671018"} and info.lots == {"AB12"}
    assert info.expiries == {"AB12": date(2027, 1, 31)}  # and 20270131 is no GTIN-8


def test_a_digit_run_with_a_wrong_check_digit_is_no_gtin():
    assert not read_code_info("UDI 00812345671019").gtins


@pytest.mark.parametrize(("text", "lots"), [
    ("Lot 224-017", {"224-017"}),  # a hyphenated lot number is not split
    ("Lots 4519-4521", {"4519-4521", "4519", "4520", "4521"}),  # a range, or one lot
])
def test_a_hyphen_without_spaces(text, lots):
    assert read_code_info(text).lots == lots


@pytest.mark.parametrize("text", [
    "Product No. 90885, all lots",
    "REF 224-017. All lot numbers distributed after June 2013.",
    "Catalog # 91522; all lots manufactured since 2014",
])
def test_all_lots_is_a_product_level_recall_and_its_words_are_no_lot_numbers(text):
    """Prose after "lots" ("distributed", "after", "manufactured") is no lot number, and
    "all lots" of a named product recalls every lot of it, not none."""
    info = read_code_info(text)
    assert info.refs and not info.lots and not info.names_lots


def test_words_of_prose_after_lots_are_no_lot_numbers_but_the_lots_beside_them_are():
    info = read_code_info("Lots manufactured in 2014: B24K805 and B24K806")
    assert info.lots == {"B24K805", "B24K806"} and info.names_lots
