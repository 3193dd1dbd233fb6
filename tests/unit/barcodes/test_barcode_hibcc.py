"""HIBCC vectors: published ANSI/HIBC 2.6 examples plus hand-computed ones.

Published examples (ANSI/HIBC 2.6-2016, as reproduced in the zint and BWIPP test suites):
  Figure 1 primary          +A123BJC5D6E71G
  Figure 5 secondary        +$$52001510X3GD   (YYJJJ 20015 = 2020-01-15, lot 10X3, link G)
  2.2.1.1 concatenated      +A99912345/$$52001510X33

Check characters computed here use this file's own table, not the parser's.
"""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.barcodes import HibccCode, ScanKind, parse_scan

# Code 39 / HIBC values: digits 0-9, letters 10-35, then - . space $ / + % = 36..42.
VALUES = {c: i for i, c in enumerate("0123456789")}
VALUES |= {chr(ord("A") + i): 10 + i for i in range(26)}
VALUES |= {"-": 36, ".": 37, " ": 38, "$": 39, "/": 40, "+": 41, "%": 42}
CHARS = {v: c for c, v in VALUES.items()}


def check(data: str) -> str:
    return CHARS[sum(VALUES[c] for c in data) % 43]


def test_hand_computed_check_character_matches_figure_1() -> None:
    # + A 1 2 3 B J C 5 D 6 E 7 1 -> 41+10+1+2+3+11+19+12+5+13+6+14+7+1 = 145; 145 % 43 = 16 -> G
    assert sum(VALUES[c] for c in "+A123BJC5D6E71") == 145
    assert check("+A123BJC5D6E71") == "G"
    assert check("+$$52001510X3G") == "D"
    assert check("+A99912345/$$52001510X3") == "3"


def test_published_primary() -> None:
    result = parse_scan("+A123BJC5D6E71G")
    assert result.ok and result.kind is ScanKind.HIBCC
    assert result.hibcc == HibccCode(labeler="A123", product="BJC5D6E7", uom=1)
    assert result.hibcc.key == "A123BJC5D6E7"
    assert result.hibcc.check_char == "G"
    assert result.to_json()["hibcc"] == {"labeler": "A123", "product": "BJC5D6E7", "uom": 1}
    assert result.lot is None and result.expiry is None


def test_published_secondary() -> None:
    result = parse_scan("+$$52001510X3GD")
    assert result.ok and result.kind is ScanKind.HIBCC
    assert result.hibcc is None and result.hibcc_link == "G"
    assert (result.lot, result.expiry) == ("10X3", date(2020, 1, 15))
    assert result.is_lot_label


def test_published_concatenated() -> None:
    result = parse_scan("+A99912345/$$52001510X33")
    assert result.ok
    assert result.hibcc == HibccCode("A999", "1234", 5)
    assert (result.lot, result.expiry) == ("10X3", date(2020, 1, 15))


@pytest.mark.parametrize(
    ("data", "lot", "expiry", "serial", "quantity"),
    [
        ("+$$0128LOT1", "LOT1", date(2028, 1, 31), None, None),  # MMYY -> month end
        ("+$$1228LOT1", "LOT1", date(2028, 12, 31), None, None),
        ("+$$2022928LOT1", "LOT1", date(2028, 2, 29), None, None),  # MMDDYY
        ("+$$3281130LOT1", "LOT1", date(2028, 11, 30), None, None),  # YYMMDD
        ("+$$428113023LOT1", "LOT1", date(2028, 11, 30), None, None),  # YYMMDDHH
        ("+$$528366LOT1", "LOT1", date(2028, 12, 31), None, None),  # YYJJJ, leap year
        ("+$$62803214LOT1", "LOT1", date(2028, 2, 1), None, None),  # YYJJJHH
        ("+$$7LOT1", "LOT1", None, None, None),  # no date
        ("+$$805LOT1", "LOT1", None, None, 5),  # quantity, no date
        ("+$$8053281130LOT1", "LOT1", date(2028, 11, 30), None, 5),  # quantity then YYMMDD
        ("+$$9001200628LOT1", "LOT1", date(2028, 6, 30), None, 120),  # quantity then MMYY
        ("+$LOT1", "LOT1", None, None, None),
        ("+$+SER9", None, None, "SER9", None),
        ("+$$+3281130SER9", None, date(2028, 11, 30), "SER9", None),
        ("+$$+0628SER9", None, date(2028, 6, 30), "SER9", None),
        ("+28001LOT1", "LOT1", date(2028, 1, 1), None, None),  # old YYJJJ format
        ("+$$3281130", None, date(2028, 11, 30), None, None),  # expiry only
    ],
)
def test_secondary_formats(data: str, lot, expiry, serial, quantity) -> None:
    link = check("+A123BJC5D6E71")  # the primary's check character, G
    symbol = data + link
    result = parse_scan(symbol + check(symbol))
    assert result.ok, result.error
    assert result.hibcc_link == link
    assert (result.lot, result.expiry, result.serial, result.quantity) == (
        lot,
        expiry,
        serial,
        quantity,
    )


def test_concatenated_with_supplemental_fields() -> None:
    data = "+A99912345/$$3281130LOT7/S77DEFG45/16D20111212/Q40"
    result = parse_scan(data + check(data))
    assert result.ok, result.error
    assert result.hibcc == HibccCode("A999", "1234", 5)
    assert (result.lot, result.expiry, result.serial, result.quantity) == (
        "LOT7",
        date(2028, 11, 30),
        "77DEFG45",
        40,
    )
    data = "+E308T800206X0/$$7230513/14D20260413"
    result = parse_scan(data + check(data))
    assert (result.lot, result.expiry) == ("230513", date(2026, 4, 13))


def test_prefixes_stars_case_and_trailing_newline() -> None:
    for raw in (
        "]C0+A123BJC5D6E71G",
        "]A0+A123BJC5D6E71G",
        "]d1+A123BJC5D6E71G",
        "]Q1+A123BJC5D6E71G",
        "*+A123BJC5D6E71G*",
        "+a123bjc5d6e71g",
        "+A123BJC5D6E71G\r\n",
    ):
        result = parse_scan(raw)
        assert result.ok, (raw, result.error)
        assert result.hibcc == HibccCode("A123", "BJC5D6E7", 1)


def test_space_check_character_survives_whitespace_stripping() -> None:
    primary = "+A123BJCMD6E79"
    link = check(primary)
    assert link == "+"
    secondary = "+$$52001510X3" + link
    assert check(secondary) == " "
    result = parse_scan(secondary + " \r\n")
    assert result.ok, result.error
    assert result.lot == "10X3" and result.hibcc_link == "+"


def test_primary_and_secondary_read_together_are_joined() -> None:
    result = parse_scan("+A123BJC5D6E71G+$$52001510X3GD")
    assert result.ok, result.error
    assert result.hibcc == HibccCode("A123", "BJC5D6E7", 1)
    assert (result.lot, result.expiry) == ("10X3", date(2020, 1, 15))
    wrong_link = "+$$52001510X3+"
    result = parse_scan("+A123BJC5D6E71G" + wrong_link + check(wrong_link))
    assert not result.ok and "link character" in result.error


def test_product_number_of_18_characters() -> None:
    data = "+H123ABCDEFGHI1234567890"
    result = parse_scan(data + check(data))
    assert result.ok, result.error
    assert result.hibcc == HibccCode("H123", "ABCDEFGHI123456789", 0)


def test_space_link_and_space_check_character_together() -> None:
    primary = "+AKNZKNZ3"
    assert check(primary) == " "
    secondary = "+$$3400128KNZ" + " "
    assert check(secondary) == " "
    result = parse_scan(secondary + " " + "\r\n")
    assert result.ok, result.error
    assert (result.lot, result.expiry, result.hibcc_link) == ("KNZ", date(2040, 1, 28), " ")


def test_trailing_space_check_character_is_preferred_to_a_shorter_reading() -> None:
    # With link "J" (value 19) and check " " (38), "+...IYJ" alone also checks out
    # (check "J" over "+...IY"): the space the scanner sent must win.
    secondary = "+$$3411209IY" + "J"
    assert check(secondary) == " " and check(secondary[:-1]) == "J"
    result = parse_scan(secondary + " \r\n")
    assert (result.lot, result.hibcc_link) == ("IY", "J")
    assert parse_scan(secondary).lot == "I"  # without the space it is a different symbol
