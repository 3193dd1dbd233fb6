"""The Linux installer, run for real: a wheel built from this checkout, installed with its
dependencies into a temporary prefix, checked by the installed `kiosk doctor`, reinstalled,
upgraded, and uninstalled down to the kept data."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.adapters.mongo.admin import init_central
from kiosk.services.demo import DEMO_CLINIC_ID

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "installer" / "linux" / "install.sh"
UNINSTALL = ROOT / "installer" / "linux" / "uninstall.sh"
APP = "ortho-supply-kiosk"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [built] = out.glob("ortho_supply_kiosk-*.whl")
    return built


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, str]:
    """A home of its own, to prove that nothing is written outside the prefix."""
    home = tmp_path / "home"
    home.mkdir()
    values = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
              "XDG_DATA_HOME": str(home / ".local/share"),
              "XDG_STATE_HOME": str(home / ".local/state")}
    for name in ("KIOSK_CONFIG", "KIOSK_LOG_DIR", "VIRTUAL_ENV"):
        values.pop(name, None)
    return values


def run(env: dict[str, str], *argv: object, stdin: str = "") -> subprocess.CompletedProcess:
    """In the temporary home, so that nothing is imported from this checkout by accident."""
    return subprocess.run([str(a) for a in argv], input=stdin, capture_output=True, text=True,
                          env=env, cwd=env["HOME"], timeout=300, check=False)


def everything_under(folder: Path, skip: Path | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if skip is None or skip not in p.parents)


def kiosk_identity(database: Path) -> tuple[str, str]:
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT kiosk_id, workstation_id FROM kiosk_identity").fetchone()


def test_install_doctor_reinstall_upgrade_uninstall(tmp_path, wheel, env, central_uri):
    init_central(central_uri)  # IT prepares the clinic's server first
    uri_file = tmp_path / "secret" / "uri.txt"
    uri_file.parent.mkdir()
    uri_file.write_text(central_uri + "\n", "utf-8")
    prefix = tmp_path / "kiosk prefix"  # a space, as in "Program Files"
    common = ("--prefix", prefix, "--wheel", wheel, "--python", sys.executable)

    done = run(env, "bash", INSTALL, *common, "--clinic-id", DEMO_CLINIC_ID, "--workstation-id",
               "chair-3", "--mongo-uri-file", uri_file, "--timezone", "America/Chicago")

    assert done.returncode == 0, done.stdout + done.stderr
    assert central_uri not in done.stdout + done.stderr
    assert "[ok  ] central server" in done.stdout and "[FAIL]" not in done.stdout
    kiosk = prefix / "bin" / "kiosk"
    config = prefix / "etc" / APP / "config.toml"
    database = prefix / "data" / "kiosk.sqlite3"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert f'mongo_uri = "{central_uri}"' in config.read_text("utf-8")
    holders = [p for p in everything_under(prefix, skip=prefix / "app" / "lib")
               if p.is_file() and central_uri.encode() in p.read_bytes()]
    assert holders == [config]  # not in the wrapper, the units, the manifest or the logs
    autostart = (prefix / "etc/xdg/autostart" / f"{APP}.desktop").read_text("utf-8")
    assert f'Exec="{kiosk}" run\n' in autostart and "Terminal=false" in autostart
    unit = prefix / "lib/systemd/user" / f"{APP}-sync.service"
    assert f'ExecStart="{kiosk}" sync\n' in unit.read_text("utf-8")
    wants = unit.parent / "default.target.wants" / unit.name
    assert wants.is_symlink() and wants.resolve() == unit.resolve()

    doctor = run(env, kiosk, "doctor")
    assert doctor.returncode == 0, doctor.stdout
    located = run(env, prefix / "app/bin/python", "-c", "import kiosk; print(kiosk.__file__)")
    assert located.stdout.startswith(str(prefix / "app"))  # the wheel, not this checkout
    assert run(env, kiosk, "demo-seed").returncode == 0  # package data came with the wheel
    label = run(env, kiosk, "label", "--lot", "B25E392", "-o", tmp_path / "label.pdf")
    assert label.returncode == 0, label.stderr
    assert sorted(p.name for p in (prefix / "data/logs").iterdir()) == ["kiosk-cli.log"]
    kiosk_id, _ = kiosk_identity(database)

    # Again, answering the hidden prompt on standard input: same kiosk, new workstation name.
    again = run(env, "bash", INSTALL, *common, "--clinic-id", DEMO_CLINIC_ID,
                "--workstation-id", "chair-4", stdin=central_uri + "\n")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "upgrading the program" in again.stdout and central_uri not in again.stdout
    assert kiosk_identity(database) == (kiosk_id, "chair-4")
    assert f'mongo_uri = "{central_uri}"' in config.read_text("utf-8")

    upgrade = run(env, "bash", INSTALL, *common, "--upgrade")
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    assert "is already at schema" in upgrade.stdout

    home = tmp_path / "home"
    assert [p for p in everything_under(home) if "kiosk" in str(p.relative_to(home))] == []

    removed = run(env, "bash", UNINSTALL, "--prefix", prefix)
    assert removed.returncode == 0, removed.stderr
    assert f"data is kept in {prefix / 'data'}" in removed.stdout
    left = everything_under(prefix)
    assert left and all(p == prefix / "data" or prefix / "data" in p.parents for p in left)
    assert kiosk_identity(database) == (kiosk_id, "chair-4")

    purged = run(env, "bash", UNINSTALL, "--prefix", prefix, "--purge")
    assert purged.returncode == 0, purged.stderr
    assert not prefix.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--workstation-id", "chair-3", "--local-only"],
     "--clinic-id is required when standard input is not a terminal."),
    (["--clinic-id", "not-hex", "--workstation-id", "chair-3", "--local-only"],
     "the clinic id must be 24 hex characters."),
    (["--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3", "--mongo-uri-file",
      "/nonexistent/uri.txt"], "cannot read the server URI file /nonexistent/uri.txt."),
    (["--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3", "--local-only",
      "--python", "python2.4"], "python2.4 is not installed"),
])
def test_bad_options_stop_before_anything_is_installed(tmp_path, wheel, env, args, message):
    prefix = tmp_path / "prefix"
    done = run(env, "bash", INSTALL, "--prefix", prefix, "--wheel", wheel, *args)
    assert done.returncode == 1 and done.stderr.startswith("install.sh: ")
    assert message in done.stderr
    assert not (prefix / "app").exists() and not (prefix / "etc").exists()
