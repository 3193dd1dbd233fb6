"""A misread barcode is reported in plain words; the detail stays in the parser's error."""

from __future__ import annotations

from kiosk.domain.barcodes import parse_scan
from kiosk.domain.barcodes.gtin import gtin_check_digit
from kiosk.domain.barcodes.wording import MISREAD, shown_error


def test_a_wrong_gtin_check_digit_reads_as_scan_it_again():
    body = "0061414100003"
    wrong = (gtin_check_digit(body) + 1) % 10
    scan = parse_scan(f"(01){body}{wrong}")
    assert scan.error is not None and "check digit" in scan.error  # the log's detail
    assert shown_error(scan.error) == MISREAD


def test_a_wrong_hibcc_check_character_reads_as_scan_it_again():
    scan = parse_scan("+M422BDL6R340Q")
    assert scan.error is not None
    assert shown_error(scan.error) == MISREAD


def test_other_errors_are_shown_as_they_are():
    sentence = "The scan was empty."
    assert shown_error(sentence) == sentence
    link = "The HIBCC lot label does not match the product code's check character “R”."
    assert shown_error(link) == link
