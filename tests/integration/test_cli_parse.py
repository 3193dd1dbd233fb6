"""`kiosk parse` through the installed console script, as IT and tests would call it."""

from __future__ import annotations

import json

import pytest


def parse(cli, raw):
    return cli.run_process("parse", raw, "--json")


GOOD = [
    ("]d2010081234567101817280131" "10B25E392\x1d21SN42", "gs1", "00812345671018", "B25E392",
     "2028-01-31", "SN42"),
    ("]C101008123456710181728013110B25E392", "gs1", "00812345671018", "B25E392", "2028-01-31",
     None),
    ("(01)00812345671018(17)280100(10)B25E392", "gs1", "00812345671018", "B25E392", "2028-01-31",
     None),
    ("https://id.example.com/01/00812345671018/10/B25E392?17=280131", "gs1", "00812345671018",
     "B25E392", "2028-01-31", None),
    ("812345671018", "gtin", "00812345671018", None, None, None),
    ("4006381333931", "gtin", "04006381333931", None, None, None),
]


@pytest.mark.parametrize(("raw", "kind", "gtin", "lot", "expiry", "serial"), GOOD)
def test_parse_reports_fields(cli, raw, kind, gtin, lot, expiry, serial):
    result = parse(cli, raw)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) >= {"kind", "gtin", "lot", "expiry", "serial", "quantity", "hibcc", "error"}
    assert (data["kind"], data["gtin"], data["lot"], data["expiry"], data["serial"]) == (
        kind, gtin, lot, expiry, serial)
    assert data["error"] is None


def test_parse_hibcc_forms(cli):
    """The published ANSI/HIBC 2.6 examples: primary, secondary and concatenated."""
    primary = json.loads(parse(cli, "+A123BJC5D6E71G").out)
    assert primary["kind"] == "hibcc" and primary["hibcc"] == {
        "labeler": "A123", "product": "BJC5D6E7", "uom": 1}
    secondary = json.loads(parse(cli, "+$$52001510X3GD").out)
    assert (secondary["kind"], secondary["lot"], secondary["expiry"], secondary["hibcc"]) == (
        "hibcc", "10X3", "2020-01-15", None)  # $$5 = YYJJJ: day 15 of 2020
    joined = json.loads(parse(cli, "+A99912345/$$52001510X33").out)
    assert joined["hibcc"] == {"labeler": "A999", "product": "1234", "uom": 5}
    assert (joined["lot"], joined["expiry"]) == ("10X3", "2020-01-15")


def test_parse_gs1_quantity(cli):
    data = json.loads(parse(cli, "(01)00812345671018(30)12(10)B25E392").out)
    assert (data["quantity"], data["lot"]) == (12, "B25E392")


BAD = [
    ("(01)00812345671019", "check digit"),
    ("(01)00812345671018(17)281345", "date"),
    ("]C10100812345", ""),
    ("", "empty"),
    ("\x00\x01\x02binary", ""),
    ("9" * 5000, ""),
    ("+A123BJC5D6E71X", "check"),
]


@pytest.mark.parametrize(("raw", "words"), BAD)
def test_parse_failures_exit_nonzero_with_one_sentence(cli, raw, words):
    result = cli("parse", raw, "--json")
    assert result.code == 1
    sentence = result.err.strip()
    assert sentence and "\n" not in sentence and sentence.endswith(".")
    assert words.lower() in sentence.lower()
    assert json.loads(result.out)["error"] == sentence


def test_console_script_never_prints_a_traceback(cli):
    result = cli.run_process("deduct", "--patient", "X", "--actor", "Y", "--appliance-type",
                             "BRACKET", "--scan", "\x7f\x1b[2J")
    assert result.code == 1 and "Traceback" not in result.err
    assert cli.run_process("frobnicate").code == 2
