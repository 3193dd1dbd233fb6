"""`kiosk init --mongo-uri-file`: the server URI (with its password) from a file or standard
input, never from the command line, and never printed."""

from __future__ import annotations

import io
import stat

from ops_cli import Cli

from kiosk.services.demo import DEMO_CLINIC_ID

URI = "mongodb://kiosk:s3cret-Pa55@127.0.0.1:1/orthoSupply?directConnection=true"


def init(cli: Cli, tmp_path, *extra: str):
    return cli("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
               "--data-dir", str(tmp_path / "data"), *extra)


def test_the_uri_comes_from_a_file_or_stdin_and_is_never_shown(tmp_path, capsys, monkeypatch):
    cli = Cli(tmp_path / "config.toml", capsys)
    uri_file = tmp_path / "uri.txt"
    uri_file.write_text(f"\n  {URI}  \n", "utf-8")
    done = init(cli, tmp_path, "--mongo-uri-file", str(uri_file))
    assert done.code == 0 and "s3cret" not in done.out + done.err
    assert f'mongo_uri = "{URI}"' in cli.config.read_text("utf-8")
    assert stat.S_IMODE(cli.config.stat().st_mode) == 0o600

    monkeypatch.setattr("sys.stdin", io.StringIO(URI.replace("127.0.0.1:1", "db:2") + "\n"))
    done = init(cli, tmp_path, "--mongo-uri-file", "-")
    assert done.code == 0 and "@db:2/" in cli.config.read_text("utf-8")


def test_a_bad_uri_file_is_one_sentence_and_changes_nothing(tmp_path, capsys):
    cli = Cli(tmp_path / "config.toml", capsys)
    two_lines = tmp_path / "two.txt"
    two_lines.write_text(f"{URI}\n{URI}\n", "utf-8")
    common = ("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
              "--data-dir", str(tmp_path / "data"), "--mongo-uri-file")
    assert "should hold the URI alone, on one line" in cli.fails(*common, str(two_lines))
    assert "cannot be read (No such file or directory)" in cli.fails(
        *common, str(tmp_path / "missing.txt"))
    assert not cli.config.exists() and not (tmp_path / "data").exists()
