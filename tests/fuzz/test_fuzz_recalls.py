"""Hostile recall files (`kiosk recall import FILE --actor … --out-dir …`): the lots are marked
and every contact list written, or the command says why in one sentence and nothing changed."""

from __future__ import annotations

import json

from fuzz_checks import FUZZ, store_fingerprint
from hypothesis import event, given
from hypothesis import strategies as st
from integration_cli import Cli

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
FIELD = st.one_of(st.none(), st.integers(), st.booleans(), TEXT, st.sampled_from([
    "Z-0101-2027", "", " ", "x" * 300, "../../etc/passwd", "a\nb", "$gt", "CON", "NUL.csv"]))
CODE_INFO = st.one_of(FIELD, st.sampled_from([
    "Lot B25E392, UDI 00812345671018", "Lots B25E392 TM2609F; 00812345671490 and 812345671018",
    "B25E392", "BRK-MBT-U1R lot B25E392", "(01)00812345671018(10)B25E392", "[", "(?P<x>"]))
NUMBER = st.sampled_from(["Z-0101-2027", "Z-0102-2027", "x" * 300, "../../etc/passwd", "a\nb",
                         "CON", "Z/0101\\2027", "Ré-1"])
MATCHING = st.sampled_from(["Lot B25E392, UDI 00812345671018", "B25E392 BRK-MBT-U1R",
                            "Lots B25E392 TM2609F; 00812345671490 and 812345671018"])
RESULT = st.fixed_dictionaries(
    {"recall_number": st.one_of(NUMBER, NUMBER, FIELD),
     "code_info": st.one_of(MATCHING, MATCHING, CODE_INFO)},
    optional={"product_description": st.one_of(FIELD, st.just("Metal bracket 00812345671018")),
              "product_code": FIELD, "reason_for_recall": FIELD})
FILES = st.one_of(
    st.fixed_dictionaries({"results": st.lists(RESULT, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"results": st.lists(RESULT, min_size=1, max_size=3)}),
    st.recursive(st.one_of(st.none(), TEXT, st.integers()), lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["results", "x"]), inner,
                                                     max_size=2)), max_leaves=6))


@FUZZ
@given(content=FILES, actor=st.sampled_from(["B1008", "B1008", "B1008", "B1001", "nobody"]))
def test_a_hostile_recall_file_marks_everything_or_changes_nothing(demo_kiosk, tmp_path_factory,
                                                                    capsys, content, actor):
    folder = tmp_path_factory.mktemp("recall")
    path = folder / "recall.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    before = store_fingerprint(demo_kiosk.config.database_path)
    result = Cli(demo_kiosk.config_path, capsys)("recall", "import", str(path), "--actor", actor,
                                                 "--out-dir", str(out))
    assert result.code in (0, 1), result
    event(f"exit {result.code}, {len(list(out.iterdir()))} list(s)")
    if result.code:
        assert result.err.startswith("kiosk: ") and result.err.count("\n") == 1, result.err
        assert store_fingerprint(demo_kiosk.config.database_path) == before, result.err
        assert not list(out.iterdir())
