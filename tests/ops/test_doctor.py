"""`kiosk doctor`: every failure names its fix, and any failure makes the exit code non-zero."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

from mongo_server import free_port
from ops_cli import Cli, rows

from kiosk.adapters.sqlite import migrations
from kiosk.services.demo import DEMO_CLINIC_ID

ORDER = ["config", "config file", "data dir", "database", "queue", "central records", "disk",
         "scanner", "printer", "central server"]


def doctor(cli: Cli) -> tuple[int, dict[str, dict]]:
    result = cli("doctor", "--json")
    report = json.loads(result.out)
    assert report["ok"] is (result.code == 0)
    return result.code, {check["name"]: check for check in report["checks"]}


def only_failure(cli: Cli, name: str) -> dict:
    code, checks = doctor(cli)
    failed = [c for c in checks.values() if not c["ok"]]
    assert code == 1 and [c["name"] for c in failed] == [name], failed
    assert failed[0]["fix"].endswith(".") and failed[0]["fix"][0].isupper()
    return failed[0]


def set_config(cli: Cli, **values: str) -> None:
    lines = cli.config.read_text("utf-8").splitlines()
    keep = [line for line in lines if line.split(" = ")[0] not in values]
    cli.config.write_text("\n".join(keep + [f'{k} = "{v}"' for k, v in values.items()]) + "\n",
                          "utf-8")


def test_a_fresh_kiosk_passes_every_check(cli):
    code, checks = doctor(cli)
    assert code == 0 and list(checks) == ORDER
    assert "owner only" in checks["data dir"]["detail"]
    assert "schema " + migrations.head_revision() in checks["database"]["detail"]
    text = cli("doctor")
    assert text.code == 0 and text.out.count("[ok  ]") == len(ORDER)


def test_a_missing_config_says_run_init(tmp_path, capsys):
    result = Cli(tmp_path / "nowhere.toml", capsys)("doctor")
    assert result.code == 1
    assert "[FAIL] config: No kiosk config at" in result.out
    assert "-> Run `kiosk init` with the clinic's ids." in result.out


def test_a_config_others_can_read_says_chmod(cli):
    cli.config.chmod(0o644)
    failure = only_failure(cli, "config file")
    assert "open to other users (mode 644)" in failure["detail"]
    assert failure["fix"] == f"Run `chmod 600 {cli.config}`."


def test_a_data_folder_others_can_read_says_chmod(cli):
    cli.database.parent.chmod(0o755)
    assert only_failure(cli, "data dir")["fix"] == f"Run `chmod 700 {cli.database.parent}`."
    cli.database.parent.chmod(0o700)
    cli.database.chmod(0o644)
    assert only_failure(cli, "data dir")["fix"] == f"Run `chmod 600 {cli.database}`."


def test_a_damaged_database_says_restore_a_backup(cli):
    with closing(sqlite3.connect(cli.database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(cli.database.read_bytes())
    data[4096 * 2 + 8: 4096 * 2 + 10] = b"\xff\xff"  # a b-tree page's cell pointer
    cli.database.write_bytes(bytes(data))
    failure = only_failure(cli, "database")
    assert "is damaged" in failure["detail"]
    assert "run `kiosk restore FILE` with the newest backup" in failure["fix"]


def test_an_older_schema_is_reported_not_upgraded(cli):
    with closing(sqlite3.connect(cli.database)) as conn, conn:
        conn.execute("DROP INDEX ix_usages_lot_number_usage_date")
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    failure = only_failure(cli, "database")
    assert failure["detail"] == f"schema 0001, this kiosk writes {migrations.head_revision()}"
    assert "it backs the database up and upgrades it" in failure["fix"]
    assert migrations.current_revision(cli.database) == "0001"  # the doctor changed nothing


def test_a_newer_schema_says_install_the_newer_version(cli):
    with closing(sqlite3.connect(cli.database)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    failure = only_failure(cli, "database")
    assert "written by a newer kiosk version" in failure["detail"]
    assert failure["fix"].startswith("Install the newer kiosk version")
    assert rows(cli.database, "SELECT version_num FROM alembic_version") == [("0099",)]


def test_a_scanner_port_that_does_not_open_says_plug_it_in(cli, tmp_path):
    set_config(cli, scanner_port=str(tmp_path / "ttyACM7"))
    failure = only_failure(cli, "scanner")
    assert f"cannot open {tmp_path / 'ttyACM7'}" in failure["detail"]
    assert failure["fix"].startswith("Plug the scanner in, or correct scanner_port")
    set_config(cli, scanner_port="loop://")
    code, checks = doctor(cli)
    assert code == 0 and checks["scanner"]["detail"] == "loop:// opens"


def test_a_printer_named_in_the_config_without_a_spooler_says_install_it(cli):
    set_config(cli, printer="front-desk")
    failure = only_failure(cli, "printer")
    assert failure["detail"] == ("the config names printer front-desk, but there is no print "
                                 "spooler (lp) here")
    assert failure["fix"].startswith("Install the CUPS client")


def test_a_central_server_that_does_not_answer_says_check_the_network(cli):
    set_config(cli, mongo_uri=f"mongodb://kiosk:s3cret@127.0.0.1:{free_port()}/orthoSupply"
                              "?directConnection=true")
    result = cli("doctor")
    assert result.code == 1
    assert "[FAIL] central server:" in result.out
    assert "-> Check the central server is running" in result.out
    assert "s3cret" not in result.out + result.err
    assert DEMO_CLINIC_ID in result.out  # the local checks still ran
