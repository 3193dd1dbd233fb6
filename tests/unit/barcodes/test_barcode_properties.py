"""Property tests: parse_scan never raises, and valid codes round-trip."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiosk.domain.barcodes import ScanKind, ScanResult, parse_scan

GS = "\x1d"
HIBC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GS1_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!\"%&'()*+,-./:;<=>?_"
PREFIXES = [
    "",
    "]d2",
    "]C1",
    "]Q3",
    "]C0",
    "]d1",
    "]Q1",
    "]E0",
    "]E4",
    "+",
    "*+",
    "+$$",
    "(01)",
    "(10)",
    "https://id.example.com/01/",
    "STAFF-",
    "CHART-",
    "01",
    "10",
    GS,
]
KEYS = ["kind", "gtin", "lot", "expiry", "serial", "quantity", "hibcc", "error", "code"]

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(result: ScanResult) -> None:
    assert isinstance(result, ScanResult)
    assert isinstance(result.kind, ScanKind)
    assert isinstance(result.raw, str)
    data = result.to_json()
    assert list(data) == KEYS
    json.dumps(data)
    if result.error is not None:
        assert result.error.endswith(".") and "\n" not in result.error
    else:
        assert result.kind is not ScanKind.UNKNOWN
    if result.gtin is not None:
        assert len(result.gtin) == 14 and result.gtin.isdigit()


@FAST
@given(st.text(max_size=600))
def test_never_raises_on_text(raw: str) -> None:
    assert_well_formed(parse_scan(raw))


@FAST
@given(st.binary(max_size=600))
def test_never_raises_on_bytes(raw: bytes) -> None:
    assert_well_formed(parse_scan(raw))


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=513, max_size=20_000))
def test_never_raises_on_long_text(raw: str) -> None:
    result = parse_scan(raw)
    assert_well_formed(result)
    if len(raw.strip()) > 512:
        assert not result.ok


@FAST
@given(st.sampled_from(PREFIXES), st.text(alphabet=HIBC + GS1_CHARS + GS, max_size=120))
def test_never_raises_on_barcode_alphabets(prefix: str, body: str) -> None:
    assert_well_formed(parse_scan(prefix + body))
    assert_well_formed(parse_scan(prefix + body.lower()))


@FAST
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.lists(st.text()),
        st.dictionaries(st.text(), st.text()),
    )
)
def test_never_raises_on_other_types(raw: object) -> None:
    result = parse_scan(raw)  # type: ignore[arg-type]
    assert_well_formed(result)


# --- GS1 round trip --------------------------------------------------------------


def gs1_check(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


gtins = st.text(alphabet="0123456789", min_size=13, max_size=13).map(lambda b: b + gs1_check(b))
lots = st.text(alphabet=ALNUM + "abcdefghijklmnopqrstuvwxyz-._", min_size=1, max_size=20)
expiries = st.dates(min_value=date(2000, 1, 1), max_value=date(2049, 12, 31))


def renderings(gtin: str, lot: str, expiry: date) -> list[str]:
    yymmdd = expiry.strftime("%y%m%d")
    element = f"01{gtin}17{yymmdd}10{lot}"
    return [
        f"]d2{element}",
        f"]C1{element}{GS}",
        f"]Q3{element}",
        element,
        f"(01){gtin}(17){yymmdd}(10){lot}",
        f"https://id.example.com/01/{gtin}/10/{quote(lot, safe='')}?17={yymmdd}",
        f"(10){lot}(17){yymmdd}(01){gtin}",
        f"]d2{'10'}{lot}{GS}17{yymmdd}01{gtin}",
    ]


@FAST
@given(gtins, lots, expiries)
def test_gs1_round_trip(gtin: str, lot: str, expiry: date) -> None:
    for raw in renderings(gtin, lot, expiry):
        result = parse_scan(raw)
        assert result.ok, (raw, result.error)
        assert result.kind is ScanKind.GS1
        assert (result.gtin, result.lot, result.expiry) == (gtin, lot, expiry), raw


any_length_gtins = st.sampled_from([8, 12, 13, 14]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n - 1, max_size=n - 1).map(
        lambda b: b + gs1_check(b)
    )
)


@FAST
@given(any_length_gtins, st.sampled_from(["", "\r\n", "\n", "  "]))
def test_gtin_round_trip(digits: str, suffix: str) -> None:
    result = parse_scan(digits + suffix)
    assert result.ok, (digits, result.error)
    assert (result.kind, result.gtin) == (ScanKind.GTIN, digits.zfill(14))
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    result = parse_scan(wrong)
    assert result.kind is ScanKind.GTIN
    assert not result.ok and f"expected {digits[-1]}" in result.error


# --- HIBCC round trip ------------------------------------------------------------


def mod43(data: str) -> str:
    return HIBC[sum(HIBC.index(c) for c in data) % 43]


lics = st.tuples(st.sampled_from(ALNUM[10:]), st.text(alphabet=ALNUM, min_size=3, max_size=3)).map(
    "".join
)
pcns = st.text(alphabet=ALNUM, min_size=1, max_size=18)
uoms = st.integers(min_value=0, max_value=9)
hibc_lots = st.text(alphabet=ALNUM, min_size=1, max_size=18)


@FAST
@given(lics, pcns, uoms, st.booleans())
def test_hibcc_primary_round_trip(lic: str, pcn: str, uom: int, lower: bool) -> None:
    data = f"+{lic}{pcn}{uom}"
    raw = data + mod43(data)
    result = parse_scan(raw.lower() if lower else raw)
    assert result.ok, (raw, result.error)
    assert result.hibcc is not None
    assert (result.hibcc.labeler, result.hibcc.product, result.hibcc.uom) == (lic, pcn, uom)
    assert result.hibcc.check_char == raw[-1]


@FAST
@given(lics, pcns, uoms, st.sampled_from(HIBC))
def test_hibcc_wrong_check_character_is_an_error(lic: str, pcn: str, uom: int, char: str) -> None:
    data = f"+{lic}{pcn}{uom}"
    if char == mod43(data):
        char = HIBC[(HIBC.index(char) + 1) % 43]
    # A wrong check character that is a space is ambiguous: the parser also tries the scan
    # without trailing spaces (scanners pad with them), and "+A000008" + " " then reads as
    # the valid shorter code "+A000008". Only non-space wrong characters are always errors.
    assume(char != " " or mod43(data[:-1]) != data[-1])
    result = parse_scan(data + char)
    assert not result.ok and result.kind is ScanKind.HIBCC


@FAST
@given(lics, pcns, uoms, hibc_lots, expiries)
def test_hibcc_secondary_and_concatenated_round_trip(
    lic: str, pcn: str, uom: int, lot: str, expiry: date
) -> None:
    primary = f"+{lic}{pcn}{uom}"
    link = mod43(primary)
    secondary = f"+$$3{expiry:%y%m%d}{lot}{link}"
    result = parse_scan(secondary + mod43(secondary))
    assert result.ok, (secondary, result.error)
    assert (result.lot, result.expiry, result.hibcc_link) == (lot, expiry, link)
    julian = f"+$$5{expiry:%y}{expiry.timetuple().tm_yday:03d}{lot}"
    concatenated = f"{primary}/{julian[1:]}"
    result = parse_scan(concatenated + mod43(concatenated))
    assert result.ok, (concatenated, result.error)
    assert (result.hibcc.key, result.lot, result.expiry) == (lic + pcn, lot, expiry)
