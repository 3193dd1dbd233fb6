"""Damaged files and odd input reach the user as one sentence, and nothing is lost."""

from __future__ import annotations

import os

from integration_cli import Cli

from kiosk.adapters.config import load_config
from kiosk.bootstrap import open_kiosk
from kiosk.services.demo import DEMO_CLINIC_ID


def test_corrupt_database_is_reported_and_left_untouched(cli):
    database = load_config(cli.config).database_path
    database.write_bytes(os.urandom(8192))
    before = database.read_bytes()
    result = cli.run_process("report", "low-stock")
    assert result.code == 1 and "Traceback" not in result.err
    assert "damaged" in result.err or "not a database" in result.err
    assert result.err.strip().count("\n") == 0
    assert database.read_bytes() == before
    doctor = cli.run_process("doctor")
    assert doctor.code == 1 and "[FAIL] database" in doctor.out


def test_corrupt_or_hostile_config_is_one_sentence(cli):
    cli.config.write_text('clinic_id = "64b000000000000000000001"\nworkstation_id = [', "utf-8")
    result = cli("report", "low-stock")
    assert result.code == 1 and "is not valid TOML" in result.err
    cli.config.write_text('clinic_id = "{\\"$gt\\": \\"\\"}"\nworkstation_id = "x"\n'
                          'data_dir = "/tmp"\n', "utf-8")
    result = cli("report", "low-stock")
    assert result.code == 1 and "not a 24-character hex id" in result.err
    cli.config.write_text('clinic_id = "64b000000000000000000001"\nworkstation_id = "x"\n'
                          'data_dir = "/tmp"\nidle_timeout_s = 2\n', "utf-8")
    result = cli("report", "low-stock")
    assert result.code == 1 and "idle_timeout_s must be between 15 and 3600" in result.err


def test_init_twice_keeps_the_kiosk_identity_and_refuses_another_clinic(cli, tmp_path):
    data = str(load_config(cli.config).data_dir)
    first = cli.ok("init", "--clinic-id", "64b000000000000000000001", "--workstation-id",
                   "chair-3", "--data-dir", data)
    again = cli.ok("init", "--clinic-id", "64b000000000000000000001", "--workstation-id",
                   "chair-3", "--data-dir", data)
    assert first.split()[1] == again.split()[1]  # same kiosk id
    other = cli("init", "--clinic-id", "64b0000000000000000000ff", "--workstation-id", "chair-3",
                "--data-dir", data)
    assert other.code == 1 and "clinic" in other.err


def test_init_again_to_add_a_server_changes_only_what_it_is_given(cli):
    """What the CLI tells IT to do to add a central server (`kiosk init … --mongo-uri`) kept
    the clinic's time zone, idle timeout and printer only by luck of the defaults: it reset
    them. Only the options given change."""
    cli.ok("config", "set", "idle_timeout_s", "300")
    cli.ok("config", "set", "printer", "Front-desk")
    before = load_config(cli.config)
    cli.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
           "--mongo-uri", "mongodb://central.example:27017/kiosk")
    after = load_config(cli.config)
    assert after.mongo_uri == "mongodb://central.example:27017/kiosk"
    assert (after.timezone, after.idle_timeout_s, after.printer, after.data_dir) == (
        "America/Chicago", 300, "Front-desk", before.data_dir)
    cli.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
           "--timezone", "America/Denver")
    again = load_config(cli.config)
    assert (again.timezone, again.mongo_uri, again.printer) == (
        "America/Denver", "mongodb://central.example:27017/kiosk", "Front-desk")


def test_notes_with_dollar_operators_are_stored_verbatim(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    out = cli.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
                 "BRACKET", "--scan", "(01)00812345671018(10)B25E392", "--notes",
                 '{"$set": {"quantity": 0}}', "--json")
    usage_id = out.split('"id": "')[1].split('"')[0]
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        assert tx.usage(usage_id).notes == '{"$set": {"quantity": 0}}'


def test_a_missing_database_is_not_silently_recreated(cli):
    """A deleted data directory must not look like an empty clinic: only init and restore
    create a database; every other command names them."""
    database = load_config(cli.config).database_path
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    for command in (("report", "low-stock"), ("audit",), ("sync", "--once")):
        result = cli(*command)
        assert result.code == 1, command
        assert "no kiosk database at" in result.err and "kiosk init" in result.err, result.err
        assert "restore" in result.err
        assert not database.exists(), command
    doctor = cli("doctor")
    assert doctor.code == 1 and "no kiosk database at" in doctor.out
    assert not database.exists()


def test_an_empty_database_file_is_not_taken_for_a_new_kiosk(cli):
    database = load_config(cli.config).database_path
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    database.write_bytes(b"")
    result = cli("report", "low-stock")
    assert result.code == 1 and "no kiosk database at" in result.err
    assert database.read_bytes() == b""


def test_init_creates_the_database_readable_by_its_owner_only(tmp_path, capsys):
    runner = Cli(tmp_path / "config.toml", capsys)
    runner.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-9",
              "--data-dir", str(tmp_path / "data"))
    database = load_config(runner.config).database_path
    assert database.stat().st_mode & 0o777 == 0o600
