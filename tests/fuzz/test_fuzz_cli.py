"""Random command lines, run in-process through `kiosk.cli.main` on a configured demo kiosk:
every run ends with exit code 0, 1 or 2, a failure says why on stderr, and nothing ever
prints a traceback or exits 70 (the code kept for the kiosk's own bugs)."""

from __future__ import annotations

import json
import subprocess

import pytest
from fuzz_checks import FUZZ, store_fingerprint
from hypothesis import event, given
from hypothesis import strategies as st
from integration_cli import KIOSK_EXE

from kiosk.cli import main

# each command (never `run`: it opens the UI) with the options it knows
COMMANDS = {
    "init": ["--clinic-id", "--workstation-id", "--mongo-uri", "--data-dir", "--timezone"],
    "demo-seed": [],
    "import": [],
    "parse": ["--json"],
    "deduct": ["--patient", "--actor", "--appliance-type", "--appliance-id", "--scan", "--qty",
               "--mark-placed", "--override-reason", "--notes", "--json"],
    "bulk-deduct": ["--actor", "--json"],
    "void": ["--actor", "--reason"],
    "adjust": ["--item", "--lot", "--qty", "--reason", "--actor"],
    "receive": ["--scan", "--qty", "--actor", "--unit-cost", "--vendor"],
    "report": ["--actor", "--from", "--to", "--type", "--provider", "--patient", "--format",
               "-o"],
    "sync": ["--once", "--json"],
    "audit": ["--json"],
    "central": [],
    "doctor": ["--json"],
    "label": ["--lot", "--item", "--copies", "--size", "--start", "--format", "--actor", "-o"],
    "cost-sheet": ["--patient", "--treatment-plan", "--actor", "--copies", "-o"],
    "recall": ["--actor", "--out-dir"],
    "fleet": ["--actor", "--json"],
}
# paths stay relative (the test runs in a scratch folder) or harmless: an init or a recall
# given "/" would write there
WORDS = [
    "", "-", "--", "-x", "--help", "--bogus", "$gt", '{"$ne": null}', "'; DROP TABLE usage;--",
    "0", "-1", "1.5", "1e309", "NaN", "²", "9" * 40, "x" * 300, "sub/", "/dev/null",
    "out.pdf", "out.csv", "missing.csv", "items", "lots", "staff", "usage", "supply-costs",
    "low-stock", "lot-tracking", "init", "import", "json", "csv", "pdf", "zpl", "table", "2x1",
    "avery5160", "C-10239", "C-10231", "B1001", "B1008", "BRACKET", "WIRE", "bracket",
    "BRK-MBT-U1R", "B25E392", "(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F",
    "+A123BJC5D6E71G", "64b300000000000000000004", "64b000000000000000000001", "UTC",
    "Mars/Olympus", "2026-02-30", "2026-11-01", "mongodb://", "mongodb://127.0.0.1:1/x",
]
# what each command needs to get past the argument parser: positionals, then options
REQUIRED = {
    "init": ["--clinic-id", "--workstation-id"], "import": ["@kind", "@file"],
    "parse": ["@word"], "deduct": ["--patient", "--actor", "--appliance-type", "--scan"],
    "bulk-deduct": ["@file", "--actor"], "void": ["@word", "--actor", "--reason"],
    "adjust": ["--item", "--qty", "--reason", "--actor"], "receive": ["--scan", "--qty", "--actor"],
    "report": ["@report"], "label": ["--lot", "-o"], "cost-sheet": ["--patient", "-o"],
    "recall": ["@import", "@file", "--actor"], "central": ["@init"],
}
FILES = {
    "items.csv": "sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity\n"
                 "FZ-1,Fuzz bracket,BRACKET,,,EACH,1,2\n",
    "bad.csv": "sku,name\n$gt,\"unterminated\n",
    "bulk.json": '{"deductions": [{"patient": "C-10239", "applianceType": "BRACKET", '
                 '"scan": "(01)00812345671018(10)B25E392", "quantity": "²"}]}',
    "list.json": "[1, 2, {\"$where\": \"1\"}]",
    "recall.csv": "recall_number,sku,lot_number\nR-1,BRK-MBT-U1R,B25E392\n",
}
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)  # a real argv holds neither NUL nor (decoded) lone surrogates
words = st.one_of(st.sampled_from(WORDS),
                  TEXT.map(lambda t: "./" + t if t.startswith(("/", "~")) else t))


@st.composite
def well_formed_lines(draw) -> list[str]:
    """A command with what it requires (random values) and some of its other options."""
    command = draw(st.sampled_from(sorted(REQUIRED)))
    tokens = [command]
    for need in REQUIRED[command]:
        if need == "@kind":
            tokens.append(draw(st.sampled_from(["items", "lots", "staff", "offers"])))
        elif need == "@file":
            tokens.append(draw(st.one_of(st.sampled_from(sorted(FILES)), words)))
        elif need == "@report":
            tokens.append(draw(st.sampled_from(["usage", "supply-costs", "low-stock",
                                                "lot-tracking"])))
        elif need in ("@import", "@init"):
            tokens.append(need[1:])
        elif need == "@word":
            tokens.append(draw(words))
        else:
            tokens += [need, draw(words)]
    for option in draw(st.lists(st.sampled_from(COMMANDS[command] or ["--json"]), max_size=3)):
        tokens += [option] if option in ("--json", "--once", "--mark-placed") else [
            option, draw(words)]
    return tokens


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    tokens = [command]
    for _ in range(draw(st.integers(0, 8))):
        choice = draw(st.integers(0, 3))
        if choice and COMMANDS[command]:
            tokens.append(draw(st.sampled_from(COMMANDS[command])))
        if choice != 1:
            tokens.append(draw(words))
    return tokens


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse: --help (0) and usage errors (2)
        code = exit_.code if isinstance(exit_.code, int) else 1
    return code, capsys.readouterr().err


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Relative output paths land in a scratch folder, next to a few input files."""
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@FUZZ
@given(argv=st.one_of(command_lines(), well_formed_lines()))
def test_random_command_lines_fail_plainly(demo_kiosk, workdir, capsys, argv) -> None:
    if argv[0] == "init":  # never overwrite the shared kiosk's config
        config = str(workdir / "new" / "config.toml")
    else:
        config = str(demo_kiosk.config_path)
    code, err = run_cli(["--config", config, *argv], capsys)
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, err
    if code:
        assert err.strip(), f"{argv} failed ({code}) without a word on stderr"


@FUZZ
@given(argv=st.lists(words, max_size=6))
def test_random_words_before_any_command_fail_plainly(demo_kiosk, workdir, capsys,
                                                      argv) -> None:
    if not argv or argv[0] in ("run", "--windowed", "--demo") or not argv[0]:
        argv = ["parse", *argv]  # a bare `kiosk` or `kiosk run` opens the UI
    code, err = run_cli(["--config", str(demo_kiosk.config_path), *argv], capsys)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err


UNDECODABLE = [  # bytes a shell can pass that are not UTF-8 (Python sees lone surrogates)
    [b"parse", b"\xff\xfe"],
    [b"import", b"items", b"\xff.csv"],
    [b"deduct", b"--patient", b"C-\xff", b"--actor", b"B1001", b"--appliance-type", b"BRACKET",
     b"--scan", b"(01)00812345671018(10)B\xff"],
    [b"report", b"usage", b"--from", b"2026-\xff"],
]


@pytest.mark.parametrize("argv", UNDECODABLE, ids=lambda a: a[0].decode())
def test_undecodable_arguments_fail_plainly_in_a_real_process(demo_kiosk, workdir, argv):
    done = subprocess.run([KIOSK_EXE.encode(), b"--config", str(demo_kiosk.config_path).encode(),
                           *argv], capture_output=True, timeout=120, check=False)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (1, 2), err
    assert err.strip() and "Traceback" not in err


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
                         st.floats(allow_nan=False), st.sampled_from(WORDS), TEXT)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)
DEDUCTION = st.fixed_dictionaries(
    {"patient": st.sampled_from(["C-10239", "C-10231", "$gt", ""]),
     "applianceType": st.sampled_from(["BRACKET", "WIRE", "$ne", "bracket"]),
     "scan": st.sampled_from(["(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F",
                              "junk", ""])},
    optional={"quantity": JSON_SCALARS, "applianceId": JSON_SCALARS, "markPlaced": JSON,
              "notes": JSON_SCALARS})


@FUZZ
@given(content=st.one_of(JSON, st.fixed_dictionaries(
    {"deductions": st.lists(st.one_of(DEDUCTION, JSON), max_size=4)})))
def test_a_hostile_bulk_file_deducts_all_or_nothing(demo_kiosk, workdir, capsys, content):
    path = workdir / "bulk.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    before = store_fingerprint(demo_kiosk.config.database_path)
    code, err = run_cli(["--config", str(demo_kiosk.config_path), "bulk-deduct", str(path),
                         "--actor", "B1001"], capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code:
        assert err.startswith("kiosk: ") and err.count("\n") == 1, err
        assert store_fingerprint(demo_kiosk.config.database_path) == before
