"""Everything the kiosk writes that names patients is its owner's only (issue 14, item 11):
pre-migration backups, log files (rotated ones too) and printouts are 0600, the folders the
kiosk makes for them 0700, whatever the umask of the shell that started it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from test_sqlite_migrations import downgrade_to_base

from kiosk.adapters.logs import MAX_BYTES, setup_logging
from kiosk.bootstrap import open_kiosk

LOT = "B25E392"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """The umask a shell usually has: without care, new files are 0644."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def clinic(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def database(cli) -> Path:
    return next((cli.config.parent / "data").glob("kiosk.sqlite3"))


def test_the_backup_taken_before_a_migration_is_private(cli):
    downgrade_to_base(database(cli))
    cli.ok("migrate")
    [backup] = (cli.config.parent / "data").glob("*.backup-*.sqlite3")
    assert mode(backup) == 0o600


def test_log_files_and_their_rotations_are_private(tmp_path):
    folder = tmp_path / "logs"
    path = setup_logging("cli", directory=folder)
    log = logging.getLogger("kiosk.test_private_files")
    log.info("first line")
    assert mode(folder) == 0o700 and mode(path) == 0o600
    for _ in range(MAX_BYTES // 10_000 + 2):  # past one file: the handler rotates
        log.info("x" * 10_000)
    rotated = sorted(folder.glob("kiosk-cli.log.*"))
    assert rotated and all(mode(p) == 0o600 for p in [path, *rotated])


def test_a_log_file_left_open_by_an_older_kiosk_is_made_private(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    old = folder / "kiosk-cli.log"
    old.write_text("an older line\n", encoding="utf-8")
    old.chmod(0o644)
    setup_logging("cli", directory=folder)
    assert mode(old) == 0o600


def test_printouts_written_by_the_cli_are_private(clinic, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    clinic.ok("cost-sheet", "--patient", "C-10239", "-o", str(out / "sheet.pdf"))
    clinic.ok("label", "--lot", LOT, "-o", str(out / "labels.pdf"))
    clinic.ok("report", "low-stock", "--format", "csv", "-o", str(out / "low.csv"))
    clinic.ok("report", "low-stock", "--format", "pdf", "-o", str(out / "low.pdf"))
    clinic.ok("report", "usage", "--format", "json", "-o", str(out / "usage.json"))
    written = sorted(out.iterdir())
    assert len(written) == 5 and {p.name: mode(p) for p in written} == {
        p.name: 0o600 for p in written}


def test_printouts_saved_in_the_data_folder_are_private(clinic):
    kiosk = open_kiosk(str(clinic.config))
    try:
        sheet = kiosk.printouts.cost_sheet(None, "C-10239").path
    finally:
        kiosk.context.store.close()
    assert mode(sheet) == 0o600 and mode(sheet.parent) == 0o700
