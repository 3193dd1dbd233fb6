"""The barcode parser and the scan-to-deduction pipeline under hostile scans.

tests/unit/barcodes already shows parse_scan never raises on any text, bytes or object. Here:
real codes of the demo catalog mutated (characters dropped, doubled, swapped, replaced, GS and
prefixes inserted) are parsed without falling back on the catch-all that hides a parser bug,
and any scan or pair of scans given to a placement either records usages or is refused with
one sentence, the store untouched.
"""

from __future__ import annotations

from fuzz_checks import FUZZ, one_sentence, store_fingerprint
from hypothesis import event, given
from hypothesis import strategies as st

from kiosk.domain.barcodes import parse_scan
from kiosk.domain.barcodes.parse import _parse
from kiosk.domain.errors import KioskError
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

GS = "\x1d"
REAL = [
    "(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F",
    "]d20100812345671018" + "10B25E392", "]C101008123456710181729123110B25E392" + GS,
    "0100812345671018", "00812345671018", "812345671018", "https://id.example.com/01/00812345671018/10/B25E392",
    "+A123BJC5D6E71G", "+A123BJC5D6E71/$$3291231B25E392M", "+$$3291231B25E392Y",
    "STAFF-B1001", "CHART-C-10239",
]
INSERTS = [GS, "(", ")", "]d2", "]C1", "]Q3", "+", "$", "$$", "/", "%", "0", "1", "17", "10",
           "21", "30", "\r", "\n", " ", "é", "\u202e", "\ufeff", "9" * 30]


@st.composite
def mutated(draw) -> str:
    code = draw(st.sampled_from(REAL))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(code)))
        action = draw(st.sampled_from(["drop", "double", "swap", "replace", "insert"]))
        if action == "drop":
            code = code[:at] + code[at + 1:]
        elif action == "double":
            code = code[:at] + code[at:at + 1] * 2 + code[at + 1:]
        elif action == "swap" and at + 1 < len(code):
            code = code[:at] + code[at + 1] + code[at] + code[at + 2:]
        elif action == "replace":
            code = code[:at] + draw(st.sampled_from(INSERTS)) + code[at + 1:]
        else:
            code = code[:at] + draw(st.sampled_from(INSERTS)) + code[at:]
    return code


@FUZZ
@given(raw=mutated())
def test_a_mutated_real_code_is_parsed_without_the_catch_all(raw) -> None:
    result = _parse(raw)  # raises only on a parser bug, which parse_scan would mask
    assert result == parse_scan(raw)
    if result.error:
        assert one_sentence(result.error) and result.error.endswith("."), result.error


scans = st.one_of(mutated(), st.sampled_from(REAL), st.text(max_size=60))


@FUZZ
@given(first=scans, second=st.one_of(st.none(), scans),
       kind=st.one_of(st.just("BRACKET"),
                      st.sampled_from(["WIRE", "BAND", "bracket", "$gt", "", "BRACKET\n"])))
def test_a_hostile_scan_is_deducted_or_refused_with_the_store_untouched(demo_kiosk, first,
                                                                        second, kind) -> None:
    database = demo_kiosk.config.database_path
    before = store_fingerprint(database)
    command = PlaceSupplies(patient="C-10239", appliance_type=kind,
                            scans=[first] if second is None else [first, second])
    try:
        usages = deduct_for_appliance(demo_kiosk.context, "B1001", command)
    except KioskError as error:
        event("refused")
        assert one_sentence(str(error)), str(error)
        assert store_fingerprint(database) == before, "a refused scan changed the store"
    else:
        event("recorded")
        assert usages and all(u.quantity == 1 for u in usages)
