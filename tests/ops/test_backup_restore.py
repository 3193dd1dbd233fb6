"""`kiosk backup` and `kiosk restore`: online copies, checked before they are trusted."""

from __future__ import annotations

import json
import os
import stat

import pytest
from ops_cli import Cli, rows

from kiosk.adapters.sqlite import open_store
from kiosk.adapters.sqlite.backup import describe
from kiosk.domain.errors import StoreUnavailable
from kiosk.services.demo import DEMO_CLINIC_ID

OTHER_CLINIC = "64b0000000000000000000ff"


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli.ok("demo-seed")
    cli.deduct()
    return cli


def usage_count(cli: Cli) -> int:
    return rows(cli.database, "SELECT count(*) FROM usages")[0][0]


def test_backup_then_restore_round_trip_keeps_a_safety_copy(seeded, tmp_path):
    backup = tmp_path / "saved" / "chair-3.sqlite3"
    info = json.loads(seeded.ok("backup", "-o", str(backup), "--json"))
    assert (info["usages"], info["unsynced"], info["revision"]) == (
        1, 1, "0010_recall_alert_identity")
    seeded.deduct(qty="2")  # recorded after the backup
    assert usage_count(seeded) == 2

    out = seeded.ok("restore", str(backup))

    assert usage_count(seeded) == 1
    [safety] = seeded.database.parent.glob("kiosk.before-restore-*.sqlite3")
    assert f"kept at {safety}" in out
    assert rows(safety, "SELECT count(*) FROM usages") == [(2,)]
    assert stat.S_IMODE(safety.stat().st_mode) == 0o600
    seeded.deduct()  # the restored kiosk goes on with its own identity and sequence
    assert rows(seeded.database, "SELECT max(kiosk_seq) FROM usages") == \
        rows(seeded.database, "SELECT last_seq FROM kiosk_identity")


def test_default_backup_is_one_private_self_contained_file(seeded):
    out = seeded.ok("backup")
    [backup] = (seeded.database.parent / "backups").iterdir()
    assert str(backup) in out and backup.suffix == ".sqlite3"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert rows(backup, "PRAGMA journal_mode") == [("delete",)]  # no -wal file to forget
    assert describe(backup).usages == 1
    assert "already exists" in seeded.fails("backup", "-o", str(backup))


def test_backup_is_consistent_while_a_write_is_in_progress(seeded, tmp_path):
    store = open_store(seeded.database, create=True)
    try:
        with store.write() as tx:  # an uncommitted change, as if the kiosk were mid-save
            tx.set_sync_cursor("mid-save", "not committed")
            seeded.ok("backup", "-o", str(tmp_path / "online.sqlite3"))
    finally:
        store.close()
    assert rows(tmp_path / "online.sqlite3", "SELECT name FROM sync_cursors") == []
    assert rows(seeded.database, "SELECT name FROM sync_cursors") == [("mid-save",)]


def test_restore_puts_a_damaged_database_right(seeded, tmp_path):
    backup = tmp_path / "good.sqlite3"
    seeded.ok("backup", "-o", str(backup))
    garbage = b"not a database " + os.urandom(4096)
    seeded.database.write_bytes(garbage)
    assert "damaged" in seeded.fails("report", "low-stock")

    seeded.ok("restore", str(backup))

    assert usage_count(seeded) == 1
    [safety] = seeded.database.parent.glob("kiosk.before-restore-*.sqlite3")
    assert safety.read_bytes() == garbage  # kept as it was, for whoever investigates
    assert '"ok": true' in seeded.ok("doctor", "--json")


def refused(cli: Cli, *args: str) -> str:
    before = cli.database.read_bytes()
    message = cli.fails("restore", *args)
    assert cli.database.read_bytes() == before
    assert not list(cli.database.parent.glob("kiosk.before-restore-*"))
    return message


def test_restore_refuses_damaged_foreign_and_newer_files(seeded, tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    assert "damaged" in refused(seeded, str(damaged))
    assert "There is no database file" in refused(seeded, str(tmp_path / "missing.sqlite3"))

    newer = tmp_path / "newer.sqlite3"
    seeded.ok("backup", "-o", str(newer))
    with open_store(newer, create=True) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    assert "written by a newer kiosk version" in refused(seeded, str(newer))


def other_kiosk_backup(tmp_path, capsys, clinic: str) -> str:
    home = tmp_path / f"other-{clinic}"
    other = Cli(home / "config.toml", capsys)
    other.ok("init", "--clinic-id", clinic, "--workstation-id", "chair-9",
             "--data-dir", str(home / "data"))
    target = tmp_path / f"other-{clinic[-2:]}.sqlite3"
    other.ok("backup", "-o", str(target))
    return str(target)


def test_restore_checks_whose_backup_it_is(seeded, tmp_path, capsys):
    foreign = other_kiosk_backup(tmp_path, capsys, OTHER_CLINIC)
    assert f"belongs to clinic {OTHER_CLINIC}" in refused(seeded, foreign)

    sibling = other_kiosk_backup(tmp_path, capsys, DEMO_CLINIC_ID)
    assert "--replace-kiosk" in refused(seeded, sibling)
    out = seeded.ok("restore", sibling, "--replace-kiosk")
    assert "workstation chair-9" in out
    assert rows(seeded.database, "SELECT workstation_id FROM kiosk_identity") == [("chair-9",)]


def test_backup_of_a_kiosk_without_a_database_is_a_sentence(cli, tmp_path):
    cli.database.unlink()
    assert "run `kiosk init` first" in cli.fails("backup", "-o", str(tmp_path / "x.sqlite3"))
    with pytest.raises(StoreUnavailable, match="not a kiosk database"):
        foreign = tmp_path / "recipes.sqlite3"
        with open_store(foreign, create=True) as store, store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM alembic_version")
        describe(foreign)
