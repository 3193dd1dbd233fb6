"""Every error is one plain sentence that names the problem; kind keeps the symbology."""

from __future__ import annotations

import re

import pytest

from kiosk.domain.barcodes import ScanKind, ScanResult, parse_scan

GS = "\x1d"
GTIN = "09506000134352"
VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")}


def check(data: str) -> str:
    return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"[sum(VALUES[c] for c in data) % 43]


def hibcc(data: str) -> str:
    return data + check(data)


def assert_sentence(result: ScanResult, *needles: str) -> None:
    assert not result.ok
    assert result.error is not None
    assert result.error.endswith(".")
    assert result.error[0].isupper()
    assert not re.search(r"[.!?]\s+[A-Z]", result.error[:-1]), result.error  # one sentence
    for needle in needles:
        assert needle.lower() in result.error.lower(), (needle, result.error)
    assert result.to_json()["error"] == result.error


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\t \r\n", b"", None, GS + GS])
def test_empty(raw) -> None:
    result = parse_scan(raw)
    assert result.error == "The scan was empty."
    assert result.kind is ScanKind.UNKNOWN


@pytest.mark.parametrize(
    "raw", ["abc\x00def", "]d2\x0701" + GTIN, "+A123\x7fBJC", "x\x1by", b"01\x0223", "a\u200bb"]
)
def test_control_and_binary_characters(raw) -> None:
    assert_sentence(parse_scan(raw), "control or binary character")


def test_bytes_that_are_not_utf8() -> None:
    assert_sentence(parse_scan(b"\xff\xfe\x00"), "not text")


@pytest.mark.parametrize("raw", [12, 3.5, object(), ["+A123BJC5D6E71G"], {"a": 1}])
def test_non_text_input(raw) -> None:
    result = parse_scan(raw)
    assert_sentence(result, "not text")
    assert result.kind is ScanKind.UNKNOWN


def test_bytes_input_is_decoded() -> None:
    assert parse_scan(b"+A123BJC5D6E71G\r\n").ok
    assert parse_scan(bytearray(b"4006381333931")).gtin == "04006381333931"


def test_too_long() -> None:
    result = parse_scan("1" * 513)
    assert_sentence(result, "513", "512")
    assert len(result.raw) <= 512
    assert parse_scan("(10)" + "A" * 20 + " " * 1000).ok  # trailing whitespace does not count


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("4006381333932", ScanKind.GTIN),
        ("]d201" + GTIN[:-1] + "5", ScanKind.GS1),
        ("(01)" + GTIN[:-1] + "5", ScanKind.GS1),
        ("https://id.example.com/01/" + GTIN[:-1] + "5", ScanKind.GS1),
    ],
)
def test_wrong_gtin_check_digit_says_which_digit(raw: str, kind: ScanKind) -> None:
    result = parse_scan(raw)
    assert result.kind is kind
    expected = "1" if raw.startswith("4006") else "2"
    assert_sentence(result, "check digit", f"expected {expected}")


@pytest.mark.parametrize(
    ("raw", "kind", "date_text"),
    [
        ("]d201" + GTIN + "17271331", ScanKind.GS1, "271331"),  # month 13
        ("(01)" + GTIN + "(17)270230", ScanKind.GS1, "270230"),  # 30 February
        ("]C110LOT" + GS + "17270001", ScanKind.GS1, "270001"),  # month 00
        ("https://x.example/01/" + GTIN + "?17=271301", ScanKind.GS1, "271301"),
        (hibcc("+$$3271331LOTG"), ScanKind.HIBCC, "271331"),
        (hibcc("+$$1399LOTG"), ScanKind.HIBCC, "1399"),
        (hibcc("+$$528367LOTG"), ScanKind.HIBCC, "28367"),  # day 367
        (hibcc("+$$2023028LOTG"), ScanKind.HIBCC, "023028"),  # MMDDYY 30 Feb
        (hibcc("+$$428113025LOTG"), ScanKind.HIBCC, "28113025"),  # hour 25
        (hibcc("+A99912345/$$7L1/14D20261301"), ScanKind.HIBCC, "20261301"),
    ],
)
def test_impossible_dates(raw: str, kind: ScanKind, date_text: str) -> None:
    result = parse_scan(raw)
    assert result.kind is kind
    assert_sentence(result, "not a real date", date_text)


@pytest.mark.parametrize(
    ("raw", "kind", "needle"),
    [
        ("]d201095060001", ScanKind.GS1, "cut short"),
        ("(01)" + GTIN + "(17)2712", ScanKind.GS1, "cut short"),
        ("]C1" + "01" + GTIN + "17", ScanKind.GS1, "cut short"),
        ("(01)(10)ABC", ScanKind.GS1, "cut short"),
        ("]C1", ScanKind.GS1, "no data"),
        ("40063813339", ScanKind.GTIN, "cut short"),
        ("+", ScanKind.HIBCC, "cut short"),
        (hibcc("+A12"), ScanKind.HIBCC, "cut short"),
        (hibcc("+$$3271G"), ScanKind.HIBCC, "cut short"),
        (hibcc("+$$8G"), ScanKind.HIBCC, "quantity"),
        (hibcc("+A99912345/"), ScanKind.HIBCC, "cut short"),
    ],
)
def test_truncated(raw: str, kind: ScanKind, needle: str) -> None:
    result = parse_scan(raw)
    assert result.kind is kind
    assert_sentence(result, needle)


@pytest.mark.parametrize(
    "raw", ["+A123BJC5D6E71H", "+A123BJC5D6E71", "+$$52001510X3GE", "+A99912345/$$52001510X34"]
)
def test_wrong_hibcc_check_character(raw: str) -> None:
    result = parse_scan(raw)
    assert result.kind is ScanKind.HIBCC
    expected = check(raw[:-1])
    assert_sentence(result, "check character", f"“{expected}”")


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("+A123BJC5D6E71G#", "“#”"),
        (hibcc("+A12$BJC1"), "letters and digits"),
        (hibcc("+A123BJCX"), "unit-of-measure"),
        (hibcc("+$$XLOTG"), "format (X)"),
        (hibcc("+/EO523201"), "not a supplier product"),
        (hibcc("+$G"), "carries no lot"),
        (hibcc("+H123ABCDEFGHI12345678901"), "longer than 18"),
        (hibcc("+$" + "L" * 19 + "G"), "lot number"),
        (hibcc("+A99912345/$$7L1/X9"), "we do not recognise"),
        (hibcc("+A99912345/$$3281130L1/14D20281201"), "two different expiry dates"),
    ],
)
def test_malformed_hibcc(raw: str, needle: str) -> None:
    result = parse_scan(raw)
    assert result.kind is ScanKind.HIBCC
    assert_sentence(result, needle)


@pytest.mark.parametrize(
    ("raw", "kind", "needle"),
    [
        ("STAFF-", ScanKind.STAFF, "empty"),
        ("STAFF-" + "a" * 33, ScanKind.STAFF, "32"),
        ("CHART-12 34", ScanKind.PATIENT, "only contain"),
        ("CHART-ab/c", ScanKind.PATIENT, "only contain"),
    ],
)
def test_bad_kiosk_codes(raw: str, kind: ScanKind, needle: str) -> None:
    result = parse_scan(raw)
    assert result.kind is kind
    assert_sentence(result, needle)


UNKNOWN = "This barcode is not a supply, staff or patient code we recognise."


@pytest.mark.parametrize(
    "raw", ["hello", "12345", "]", "]Z", "]X9abc", "]C0hello", "BADGE-12", "éèà", "-._"]
)
def test_unknown_formats(raw: str) -> None:
    result = parse_scan(raw)
    assert result.kind is ScanKind.UNKNOWN
    assert result.error == UNKNOWN


def test_other_gs1_problems() -> None:
    assert_sentence(parse_scan("https://example.com/about"), "not a GS1 Digital Link")
    assert parse_scan("https://example.com/about").kind is ScanKind.UNKNOWN
    assert_sentence(parse_scan("(10)A(10)B"), "two different values", "A", "B")
    assert_sentence(
        parse_scan("]d200123456789012345675"), "no product number, lot or expiry"
    )  # SSCC only
    assert_sentence(parse_scan("(01" + GTIN), "(AI)value")
    assert_sentence(parse_scan("]C10512345"), "unknown application identifier")
