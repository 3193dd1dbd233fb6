"""Logs: rotating files in the log folder, debug detail with --verbose, and never a patient's
name or a staff PIN, even from a whole scripted day against a central server."""

from __future__ import annotations

import csv
import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from ops_cli import SCAN, Cli

from kiosk import bootstrap
from kiosk.adapters import logs
from kiosk.domain.model import Patient
from kiosk.services.demo import DEMO_CLINIC_ID, IMPORT_ORDER, dated_lots


def demo_rows(kind: str) -> list[dict[str, str]]:
    with (bootstrap.DEMO_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def secrets() -> dict[str, re.Pattern[str]]:
    """Every demo patient's first and last name (whole words) and every staff PIN (a whole
    number, so a PIN's digits inside an id or a timestamp do not count)."""
    words = {p[field] for p in demo_rows("patients") for field in ("first_name", "last_name")}
    found = {name: re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in words}
    found |= {pin: re.compile(rf"(?<![0-9A-Za-z]){pin}(?![0-9A-Za-z])")
              for pin in (s["pin"] for s in demo_rows("staff"))}
    return found


def leaks(folder: Path) -> list[str]:
    patterns = secrets()
    lines = [line for file in sorted(folder.iterdir()) for line in file.read_text("utf-8")
             .splitlines()]
    assert lines, "nothing was logged"
    return [f"{what}: {line}" for line in lines for what, p in patterns.items() if p.search(line)]


def write_demo_csvs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    for kind in IMPORT_ORDER:
        text = (bootstrap.DEMO_DIR / f"{kind}.csv").read_text("utf-8")
        if kind == "lots":
            text = dated_lots(text, datetime.now(UTC).date())
        files[kind] = folder / f"{kind}.csv"
        files[kind].write_text(text, "utf-8")
    return files


def test_a_scripted_day_logs_no_patient_name_or_pin(tmp_path, capsys, central_uri, log_dir):
    uri_file = tmp_path / "uri.txt"
    uri_file.write_text(central_uri + "\n", "utf-8")
    cli = Cli(tmp_path / "config.toml", capsys)
    day = lambda *args: cli("--verbose", *args)  # noqa: E731 - every command at debug level
    assert day("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
               "--data-dir", str(tmp_path / "data"), "--mongo-uri-file", str(uri_file)).code == 0
    assert day("central", "init").code == 0
    for kind, path in write_demo_csvs(tmp_path / "csv").items():
        assert day("import", kind, str(path)).code == 0
    assert json.loads(day("sync", "--once", "--json").out)["pulled"] > 0
    used = day("deduct", "--actor", "B1001", "--json", "--patient", "C-10239",
               "--appliance-type", "BRACKET", "--scan", SCAN.format("B25E392"), "--qty", "2")
    [usage] = json.loads(used.out)["usages"]
    assert day("void", usage["id"], "--actor", "B1001", "--reason", "wrong patient").code == 0
    assert day("adjust", "--item", "ELA-316-45", "--lot", "EL260247", "--qty", "-1",
               "--reason", "pack torn", "--actor", "B1007").code == 0
    # refusals, whose sentences are logged as warnings
    assert day("deduct", "--actor", "B1001", "--patient", "C-99999", "--appliance-type",
               "BRACKET", "--scan", SCAN.format("B25E392")).code == 1
    bad_staff = tmp_path / "staff.csv"
    bad_staff.write_text("staff_id,name,role,badge,pin\n,Test Person,assistant,B9999,12ab\n"
                         ",Other,assistant,B1001,482913\n", "utf-8")
    assert day("import", "staff", str(bad_staff)).code == 1
    for report in ("supply-costs", "usage", "low-stock"):
        assert day("report", report, "--format", "json").code == 0
    assert day("report", "lot-tracking", "B25E392").code == 0
    assert day("cost-sheet", "--patient", "C-10239", "-o", str(tmp_path / "sheet.pdf")).code == 0
    assert day("sync", "--once").code == 0
    assert day("backup").code == 0
    assert day("doctor").code == 0

    assert leaks(log_dir) == []
    text = (log_dir / "kiosk-cli.log").read_text("utf-8")
    assert "DEBUG kiosk.cli" in text and "kiosk deduct started" in text
    assert "WARNING kiosk.cli" in text and "kiosk import failed: Line 2 of the staff file" in text
    assert (log_dir / "kiosk-sync.log").exists()
    assert sorted(p.name for p in log_dir.iterdir()) == ["kiosk-cli.log", "kiosk-sync.log"]


def test_without_verbose_only_info_and_above_is_kept(cli, log_dir):
    cli.ok("report", "low-stock")
    assert cli("restore", str(log_dir / "missing.sqlite3")).code == 1
    text = (log_dir / "kiosk-cli.log").read_text("utf-8")
    assert " DEBUG " not in text and "WARNING kiosk.cli" in text


def test_the_formatter_keeps_names_pins_and_passwords_out(log_dir):
    path = logs.setup_logging("cli", verbose=True)
    log = logging.getLogger("kiosk.ops_test")
    log.info("Placing for %s", Patient("64b200000000000000000001", "C-10231", "Emma", "Kowalski"))
    log.error("(sqlite3.IntegrityError) UNIQUE constraint failed: patients.chart_number\n"
              "[SQL: INSERT INTO patients VALUES (?, ?, ?, ?)]\n"
              "[parameters: ('64b2', 'C-10231', 'Emma', 'Kowalski')]")
    log.warning("Could not reach mongodb://kiosk:s3cret-Pa55@db.clinic.lan:27017/ortho")
    log.info('staff row {"badge": "B1001", "pin": "482913", "firstName": "Emma"}')
    log.info("pin=482913 last_name=Kowalski; PIN 482913 refused")
    try:
        raise ValueError("bad row first_name='Emma' last_name: Kowalski")
    except ValueError:
        log.exception("Import failed")

    text = path.read_text("utf-8")
    for secret in ("Emma", "Kowalski", "482913", "s3cret"):
        assert secret not in text
    for kept in ("<Patient 64b200000000000000000001>", "[parameters: redacted]",
                 "mongodb://***@db.clinic.lan:27017/ortho", '"badge": "B1001"',
                 "UNIQUE constraint failed: patients.chart_number",
                 "Traceback", "ValueError"):
        assert kept in text
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO kiosk.ops_test \[", text)


def test_log_files_rotate(log_dir, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging("sync")
    log = logging.getLogger("kiosk.ops_test")
    for n in range(400):
        log.info("line %d of a long day at the chair", n)
    files = sorted(p.name for p in log_dir.iterdir())
    assert files == ["kiosk-sync.log", *(f"kiosk-sync.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2_100 for p in log_dir.iterdir())
    assert "line 399 " in path.read_text("utf-8")


def test_a_message_with_undecodable_bytes_is_logged_escaped(log_dir, capsys):
    path = logs.setup_logging("cli")
    logging.getLogger("kiosk.ops_test").warning("scan %s refused", "ab\udcff")  # surrogate
    assert "scan ab\\udcff refused" in path.read_text("utf-8")
    assert "Logging error" not in capsys.readouterr().err
