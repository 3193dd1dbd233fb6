"""Known-good GTIN and GS1 vectors in every rendering the kiosk accepts."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.barcodes import ScanKind, gtin14, is_valid_gtin, parse_scan

GS = "\x1d"
# GS1's own example GTIN (GS1 Digital Link standard, General Specifications).
GTIN = "09506000134352"


def check_digit(body: str) -> int:
    """GS1 mod-10, written out independently: weight 3 on the rightmost body digit."""
    weights = [3, 1] * 10
    total = sum(int(d) * w for d, w in zip(reversed(body), weights, strict=False))
    return (10 - total % 10) % 10


@pytest.mark.parametrize(
    "value",
    [
        "036000291452",  # UPC-A, the Wikipedia UPC example
        "4006381333931",  # EAN-13
        "96385074",  # EAN-8, the Wikipedia EAN-8 example
        "09506000134352",  # GTIN-14
        "10614141999993",  # GTIN-14 with packaging indicator 1
    ],
)
def test_published_gtins_are_valid_and_pad_to_14(value: str) -> None:
    assert check_digit(value[:-1]) == int(value[-1])
    assert is_valid_gtin(value)
    assert gtin14(value) == value.zfill(14)
    result = parse_scan(value)
    assert result.ok, result.error
    assert result.kind is ScanKind.GTIN
    assert result.gtin == value.zfill(14)
    assert result.to_json()["gtin"] == value.zfill(14)


@pytest.mark.parametrize(
    "value", ["", "1234567", "03600029145", "036000291453", "12345678901234x", "abcdefgh"]
)
def test_is_valid_gtin_rejects(value: str) -> None:
    assert not is_valid_gtin(value)


def test_gtin14_rejects_other_lengths() -> None:
    with pytest.raises(ValueError):
        gtin14("12345")


def test_ean_symbology_identifiers() -> None:
    assert parse_scan("]E04006381333931").gtin == "04006381333931"
    assert parse_scan("]E496385074").gtin == "00000096385074"
    # UPC-E 01234565 expands to UPC-A 012345000065.
    assert parse_scan("]E001234565").gtin == "00012345000065"
    # EAN-13 with a 2-digit add-on: the add-on is not part of the GTIN.
    assert parse_scan("]E3400638133393112").gtin == "04006381333931"


EXPECTED = {"gtin": GTIN, "lot": "LOT42", "expiry": date(2027, 12, 31), "serial": "SN1"}


@pytest.mark.parametrize(
    "raw",
    [
        f"]d201{GTIN}1727123110LOT42{GS}21SN1",
        f"]C101{GTIN}1727123110LOT42{GS}21SN1",
        f"]Q301{GTIN}1727123110LOT42{GS}21SN1",
        f"01{GTIN}1727123110LOT42{GS}21SN1",
        f"]C1{GS}01{GTIN}1727123110LOT42{GS}21SN1{GS}",
        f"(01){GTIN}(17)271231(10)LOT42(21)SN1",
        f"(01) {GTIN} (17) 271231 (10) LOT42 (21) SN1",
        f"https://id.example.com/01/{GTIN}/10/LOT42/21/SN1?17=271231",
        f"]Q3https://id.example.com/01/{GTIN}/10/LOT42/21/SN1?17=271231",
        f"]Q1HTTPS://id.example.com/01/{GTIN}/10/LOT42/21/SN1?17=271231",
        f"  ]d201{GTIN}1727123110LOT42{GS}21SN1\r\n",
    ],
)
def test_gs1_renderings(raw: str) -> None:
    result = parse_scan(raw)
    assert result.ok, result.error
    assert result.kind is ScanKind.GS1
    assert (result.gtin, result.lot, result.expiry, result.serial) == tuple(EXPECTED.values())
    assert result.has_product and not result.is_lot_label


def test_gs1_day_00_means_last_day_of_month() -> None:
    result = parse_scan(f"(01){GTIN}(17)280200(10)A1")
    assert result.expiry == date(2028, 2, 29)
    assert result.to_json()["expiry"] == "2028-02-29"


def test_gs1_quantities() -> None:
    assert parse_scan(f"]C101{GTIN}30{'12'}{GS}10L1").quantity == 12
    assert parse_scan(f"(01){GTIN}(37)250(10)L1").quantity == 250


def test_gs1_lot_label_without_gtin() -> None:
    for raw in (f"]C110LOT42{GS}17270600", "(10)LOT42(17)270600", "(17)270600(10)LOT42", "10LOT42"):
        result = parse_scan(raw)
        assert result.ok, (raw, result.error)
        assert result.kind is ScanKind.GS1
        assert result.gtin is None and result.lot == "LOT42"
        assert result.is_lot_label
    assert parse_scan("(17)270600").expiry == date(2027, 6, 30)


def test_gs1_digital_link_with_a_gtin_13_is_padded_to_14() -> None:
    # the lot is a key qualifier, so it goes in the path (issue 16; was "?10=ABC")
    result = parse_scan("https://example.com/01/4006381333931/10/ABC")
    assert result.gtin == "04006381333931"
    assert result.lot == "ABC"


def test_to_json_has_exactly_the_contract_keys() -> None:
    data = parse_scan(f"(01){GTIN}(17)271231(10)LOT42").to_json()
    assert list(data) == [
        "kind",
        "gtin",
        "lot",
        "expiry",
        "serial",
        "quantity",
        "hibcc",
        "error",
        "code",
    ]
    assert data == {
        "kind": "gs1",
        "gtin": GTIN,
        "lot": "LOT42",
        "expiry": "2027-12-31",
        "serial": None,
        "quantity": None,
        "hibcc": None,
        "error": None,
        "code": None,
    }


@pytest.mark.parametrize(
    ("raw", "code", "kind"),
    [
        ("STAFF-jd_01", "jd_01", ScanKind.STAFF),
        ("staff-A.B-9", "A.B-9", ScanKind.STAFF),
        ("CHART-12345", "12345", ScanKind.PATIENT),
        ("CHART-" + "x" * 32, "x" * 32, ScanKind.PATIENT),
        ("]C0CHART-77\r\n", "77", ScanKind.PATIENT),
    ],
)
def test_kiosk_codes(raw: str, code: str, kind: ScanKind) -> None:
    result = parse_scan(raw)
    assert result.ok, result.error
    assert (result.kind, result.code) == (kind, code)
    assert result.to_json()["code"] == code
    assert not result.has_product
