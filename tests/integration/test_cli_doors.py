"""Every door gives one sentence (issue 14, item 10): hostile files and settings that used to end
in exit 70 ("Unexpected error") now exit 1 with one plain sentence on stderr, never a traceback,
and change nothing."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from bson import Decimal128, ObjectId
from integration_cli import Result
from mongo_server import free_port
from test_cli_central import kiosk_cli

from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import SCHEMA_INFO
from kiosk.domain.errors import ValidationError
from kiosk.services.demo import DEMO_CLINIC_ID

SCAN = "(01)00812345671018(10)B25E392"
DEEP = 100_000
HUGE = "9" * 5000
CLINIC = ObjectId(DEMO_CLINIC_ID)
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def one_sentence(result: Result) -> str:
    """The failure's sentence, after asserting it is exactly one line and no crash."""
    assert result.code not in (0, 70), (result.code, result.err)
    assert "Traceback" not in result.err and "Unexpected error" not in result.err, result.err
    assert result.err.startswith("kiosk: ") and result.err.count("\n") == 1, result.err
    return result.err


@pytest.fixture
def seeded(cli, tmp_path):
    cli.ok("demo-seed")
    return cli


def store_fingerprint(cli) -> str:
    """A hash of every row of the kiosk database's tables."""
    digest = hashlib.sha256()
    path = next((cli.config.parent / "data").glob("*.sqlite3"))
    with closing(sqlite3.connect(path)) as conn:
        for (table,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


BULK = {
    "deeply nested": '{"deductions": ' + "[" * DEEP + "]" * DEEP + "}",
    "deeply nested objects": '{"deductions": [' + '{"a":' * DEEP + "1" + "}" * DEEP + "]}",
    "a 5,000-digit quantity": json.dumps({"deductions": [
        {"patient": "C-10239", "applianceType": "BRACKET", "scan": SCAN, "quantity": 1}]}
    ).replace('"quantity": 1', f'"quantity": {HUGE}'),
    "a 5,000-digit number anywhere": '{"deductions": [], "x": ' + HUGE + "}",
    "a 5,000-digit fraction": json.dumps({"deductions": [
        {"patient": "C-10239", "applianceType": "BRACKET", "scan": SCAN, "quantity": 1}]}
    ).replace('"quantity": 1', f'"quantity": 1.{HUGE}'),
}


@pytest.mark.parametrize("text", BULK.values(), ids=BULK.keys())
def test_a_hostile_bulk_file_is_one_sentence(seeded, tmp_path, text):
    path = tmp_path / "bulk.json"
    path.write_text(text, encoding="utf-8")
    before = store_fingerprint(seeded)
    sentence = one_sentence(seeded("bulk-deduct", str(path), "--actor", "B1001"))
    assert "nothing was deducted" in sentence.lower()
    assert store_fingerprint(seeded) == before


RECALLS = {
    "deeply nested": '{"results": ' + "[" * DEEP + "]" * DEEP + "}",
    "deeply nested objects": '{"results": [' + '{"a":' * DEEP + "1" + "}" * DEEP + "]}",
    "a 5,000-digit recall number": '{"results": [{"recall_number": ' + HUGE
                                   + ', "code_info": "Lot B25E392"}]}',
}


@pytest.mark.parametrize("text", RECALLS.values(), ids=RECALLS.keys())
def test_a_hostile_recall_file_is_one_sentence(seeded, tmp_path, text):
    path = tmp_path / "recall.json"
    path.write_text(text, encoding="utf-8")
    before = store_fingerprint(seeded)
    sentence = one_sentence(seeded("recall", "import", str(path), "--actor", "B1007",
                                   "--out-dir", str(tmp_path)))
    assert "recall file" in sentence
    assert store_fingerprint(seeded) == before


CONFIGS = {
    "deeply nested array": "x = " + "[" * DEEP + "]" * DEEP,
    "deeply nested table": "x = " + "{a = " * DEEP + "1" + "}" * DEEP,
    "a 5,000-digit integer": f"idle_timeout_s = {HUGE}",
    "a 5,000-digit unknown setting": f"x = {HUGE}",
}


def hostile_config(cli, extra: str) -> None:
    text = cli.config.read_text(encoding="utf-8")
    cli.config.write_text(text + "\n" + extra + "\n", encoding="utf-8")


@pytest.mark.parametrize("extra", CONFIGS.values(), ids=CONFIGS.keys())
def test_a_hostile_config_file_is_one_sentence(cli, extra):
    hostile_config(cli, extra)
    sentence = one_sentence(cli("report", "low-stock"))
    assert str(cli.config) in sentence


@pytest.mark.parametrize("extra", CONFIGS.values(), ids=CONFIGS.keys())
def test_doctor_reports_a_hostile_config_file_as_a_failed_check(cli, extra):
    hostile_config(cli, extra)
    result = cli("doctor")
    assert result.code == 1 and "Traceback" not in result.out + result.err, result
    [failed] = [line for line in result.out.splitlines() if line.startswith("[FAIL]")]
    assert "config" in failed and str(cli.config) in failed


def with_ca_file(cli, tmp_path, ca: str):
    text = cli.config.read_text(encoding="utf-8")
    uri = (f"mongodb://127.0.0.1:{free_port()}/orthoSupply?tls=true&tlsCAFile={ca}"
           "&serverSelectionTimeoutMS=300")
    cli.config.write_text(text.replace('mongo_uri = ""', f'mongo_uri = "{uri}"'), "utf-8")
    assert uri in cli.config.read_text(encoding="utf-8")


@pytest.fixture(params=["missing", "not a certificate"])
def bad_ca(request, cli, tmp_path):
    ca = tmp_path / "ca.pem"
    if request.param == "not a certificate":
        ca.write_text("this is not a certificate\n", encoding="utf-8")
    with_ca_file(cli, tmp_path, str(ca))
    return cli


def test_doctor_reports_an_unusable_tls_ca_file_as_a_failed_check(bad_ca):
    result = bad_ca("doctor")
    assert result.code == 1 and "Traceback" not in result.out + result.err, result
    [failed] = [line for line in result.out.splitlines() if line.startswith("[FAIL]")]
    assert failed.startswith("[FAIL] central server:") and "tlsCAFile" in failed, failed
    assert "ca.pem" in failed and "-> " in failed


@pytest.mark.parametrize("command", [
    ["sync", "--once"], ["central", "init"], ["audit"],
    ["import", "items", str(DEMO / "items.csv")]])
def test_an_unusable_tls_ca_file_is_one_sentence(bad_ca, command):
    sentence = one_sentence(bad_ca(*command))
    assert "tlsCAFile" in sentence and "ca.pem" in sentence


def test_a_report_with_an_unusable_tls_ca_file_answers_or_says_why(bad_ca):
    bad_ca.ok("demo-seed")
    result = bad_ca("report", "usage", "--actor", "B1007", "--format", "json")
    if result.code:
        assert "tlsCAFile" in one_sentence(result)
    else:
        assert json.loads(result.out)["scope"] == "this-kiosk"


@pytest.fixture
def central_kiosk(tmp_path, capsys, central_uri, demo_csvs, db):
    """A kiosk that has pulled the demo clinic from its central server once."""
    cli = kiosk_cli(tmp_path, capsys, central_uri)
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    assert cli("sync", "--once").code == 0
    return cli


def bracket(db) -> dict:
    return db.InventoryItem.find_one({"clinicId": CLINIC, "sku": "BRK-MBT-U1R"})


def bump(db, changes: dict) -> None:
    db.InventoryItem.update_one({"_id": bracket(db)["_id"]},
                                {"$set": {**changes, "rev": next_rev(db, CLINIC)}})


@pytest.mark.parametrize("changes", [
    {"unitCost": "abc"}, {"vendors.0.unitCost": "abc"}], ids=["unitCost", "vendor unitCost"])
def test_a_text_price_from_central_is_one_sentence_and_skipped(central_kiosk, db, changes):
    bump(db, changes)
    sentence = one_sentence(central_kiosk("sync", "--once"))
    assert "skipped" in sentence and str(bracket(db)["_id"]) in sentence
    assert "abc" not in central_kiosk.ok("report", "low-stock", "--format", "json")
    doctor = central_kiosk("doctor")
    assert doctor.code == 1 and "Traceback" not in doctor.out + doctor.err
    assert any(line.startswith("[FAIL] central records") for line in doctor.out.splitlines())


@pytest.mark.parametrize("rev", [math.inf, -math.inf, math.nan, Decimal128("1E+30"),
                                 Decimal128("Infinity"), Decimal128("NaN"), "abc"],
                         ids=str)
def test_an_unreadable_rev_from_central_never_ends_in_exit_70(central_kiosk, db, rev):
    db.InventoryItem.update_one({"_id": bracket(db)["_id"]}, {"$set": {"rev": rev}})
    result = central_kiosk("sync", "--once")
    if result.code:
        one_sentence(result)
    assert "Traceback" not in result.out
    doctor = central_kiosk("doctor")
    assert doctor.code in (0, 1) and "Traceback" not in doctor.out + doctor.err, doctor


@pytest.mark.parametrize("version", ["abc", None, math.nan, Decimal128("1"), [1]], ids=str)
def test_an_unreadable_central_schema_version_is_one_sentence(central_kiosk, db, version):
    db[SCHEMA_INFO].update_one({"_id": "schema"}, {"$set": {"version": version}})
    sentence = one_sentence(central_kiosk("sync", "--once"))
    assert "schema" in sentence
    doctor = central_kiosk("doctor")
    assert doctor.code == 1 and "Traceback" not in doctor.out + doctor.err, doctor
    [failed] = [line for line in doctor.out.splitlines() if line.startswith("[FAIL]")]
    assert failed.startswith("[FAIL] central schema:") and "-> " in failed, failed


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_report_to_a_folder_that_does_not_exist_is_one_sentence(seeded, tmp_path, fmt):
    target = tmp_path / "no such folder" / f"report.{fmt}"
    sentence = one_sentence(seeded("report", "low-stock", "--format", fmt, "-o", str(target)))
    assert "Cannot write" in sentence and str(target) in sentence


@pytest.mark.parametrize("copies", ["0", "-1", "21", "1000000000", "abc", "1e3"])
def test_print_copies_are_bounded_with_one_sentence(seeded, tmp_path, copies):
    out = tmp_path / "sheet.pdf"
    sentence = one_sentence(seeded("cost-sheet", "--patient", "C-10239", "--copies", copies,
                                   "-o", str(out), "--print"))
    assert "--copies" in sentence and "1 to 20" in sentence
    assert not out.exists()


def test_the_application_refuses_an_unbounded_print_job(demo, tmp_path):
    path = tmp_path / "page.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    for copies in (0, 21, 10**9):
        with pytest.raises(ValidationError, match="1 to 20"):
            demo.print_file(path, None, copies)
