"""Random and hostile config files: load_config returns a config or refuses with one sentence
(ConfigError or ValidationError), and the CLI run on such a file exits 1 with that sentence,
never a traceback."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, date, datetime, time

from fuzz_checks import FUZZ, one_sentence
from hypothesis import given
from hypothesis import strategies as st

from kiosk.adapters.config import KioskConfig, load_config
from kiosk.cli import main
from kiosk.domain.errors import KioskError

KNOWN = [f.name for f in fields(KioskConfig)]
GOOD = {"clinic_id": "64b000000000000000000001", "workstation_id": "chair-1",
        "data_dir": "data", "timezone": "America/Chicago"}
NAMES = st.one_of(st.sampled_from([*KNOWN, "unknown", "Clinic_ID", "", "$where", "a.b"]),
                  st.text(max_size=12))
STRINGS = st.one_of(
    st.sampled_from(["", " ", "UTC", "Mars/Olympus", "../../etc/passwd", "America",
                     "America/", "x" * 5000, "64B000000000000000000001", "64b0", "chair\n1",
                     "\u202e", "/dev/ttyUSB0", "loop://", "COM3", "mongodb://u:p@h/db",
                     "printer name", "$gt", "0"]),
    st.text(max_size=40))
SCALARS = st.one_of(STRINGS, st.integers(-(2**63), 2**63 - 1), st.booleans(),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.dates(), st.datetimes(timezones=st.just(UTC)), st.times())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b", "$ne"]), inner,
                                                 max_size=2)), max_leaves=5)


def toml_key(name: str) -> str:
    return json.dumps(name)  # a TOML basic string is a JSON string


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


@st.composite
def config_texts(draw) -> str:
    settings = dict(GOOD) if draw(st.booleans()) else {}
    settings |= draw(st.dictionaries(NAMES, VALUES, max_size=4))
    text = "\n".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in settings.items()) + "\n"
    if draw(st.integers(0, 5)) == 0:  # damage it
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["=", "[", "\"", "\n[x]\n", "\x00", "]]"])) + \
            text[at:]
    return text


def check_refusal(error: KioskError) -> None:
    message = str(error)
    assert one_sentence(message) and message.endswith("."), message


@FUZZ
@given(text=config_texts())
def test_a_hostile_config_loads_or_is_refused_with_one_sentence(tmp_path, text) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        config = load_config(path)
    except KioskError as error:
        check_refusal(error)
    else:
        assert isinstance(config, KioskConfig)


@FUZZ
@given(data=st.binary(max_size=300))
def test_a_config_of_random_bytes_is_refused_with_one_sentence(tmp_path, data) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    try:
        load_config(path)
    except KioskError as error:
        check_refusal(error)


@FUZZ
@given(text=config_texts(), command=st.sampled_from([["report", "low-stock"], ["doctor"],
                                                     ["sync", "--once"], ["audit"]]))
def test_the_cli_on_a_hostile_config_exits_plainly(tmp_path, monkeypatch, capsys, text,
                                                    command) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = main(["--config", str(path), *command])
    out, err = capsys.readouterr()
    assert code in (0, 1), (code, err)
    assert "Traceback" not in err + out
    if code:  # doctor lists its failed checks on stdout; the others say why on stderr
        assert (out if command == ["doctor"] else err).strip(), "a failure without a word"
