"""Scan sounds through a player program on PATH, without blocking the caller."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.adapters import sound
from kiosk.adapters.sound import SoundPlayer

SOUNDS = bootstrap.RESOURCES / "sounds"


def fake_player(folder: Path, name: str, log_file: Path) -> Path:
    """A tiny program called ``name`` in ``folder`` that appends its argv to ``log_file``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"with open({str(log_file)!r}, 'a', encoding='utf-8') as out:\n"
        "    out.write('\\t'.join(sys.argv) + '\\n')\n",
        encoding="utf-8")
    script.chmod(0o755)
    return script


def played(log_file: Path) -> list[list[str]]:
    if not log_file.exists():
        return []
    return [line.split("\t") for line in log_file.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def only_path(monkeypatch, tmp_path):
    """PATH holds only the given folder (no real player can be found)."""
    def use(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv("PATH", str(folder))
    return use


@pytest.mark.skipif(sys.platform == "win32", reason="Windows plays through winsound")
def test_ok_and_error_play_their_file_through_the_player_on_path(tmp_path, only_path):
    log_file = tmp_path / "played.txt"
    script = fake_player(tmp_path / "bin", "paplay", log_file)
    only_path(tmp_path / "bin")
    player = SoundPlayer()
    assert player.available
    assert player.command == [str(script)]

    player.play(SOUNDS / "ok.wav")
    assert player.wait_idle(10)
    player.play(SOUNDS / "error.wav")
    assert player.wait_idle(10)

    assert played(log_file) == [[str(script), str(SOUNDS / "ok.wav")],
                                [str(script), str(SOUNDS / "error.wav")]]


@pytest.mark.skipif(sys.platform == "win32", reason="Windows plays through winsound")
def test_players_are_tried_in_order_and_aplay_is_quiet(tmp_path, only_path):
    log_file = tmp_path / "played.txt"
    aplay = fake_player(tmp_path / "bin", "aplay", log_file)
    fake_player(tmp_path / "bin", "afplay", tmp_path / "not-used.txt")
    only_path(tmp_path / "bin")
    player = SoundPlayer()
    player.play(SOUNDS / "ok.wav")
    assert player.wait_idle(10)
    assert played(log_file) == [[str(aplay), "-q", str(SOUNDS / "ok.wav")]]
    assert not (tmp_path / "not-used.txt").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows plays through winsound")
def test_play_returns_before_the_player_finishes(tmp_path, only_path):
    slow = tmp_path / "bin" / "paplay"
    slow.parent.mkdir()
    slow.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(1.5)\n", encoding="utf-8")
    slow.chmod(0o755)
    only_path(tmp_path / "bin")
    player = SoundPlayer()
    player.play(SOUNDS / "ok.wav")
    assert not player.wait_idle(0.05)  # still playing, and play() has long returned
    assert player.wait_idle(10)  # then reaped: no zombie, no ResourceWarning


@pytest.mark.skipif(sys.platform == "win32", reason="Windows plays through winsound")
def test_no_player_on_path_is_a_silent_no_op_logged_once(tmp_path, only_path, monkeypatch,
                                                         caplog):
    only_path(tmp_path / "empty")
    monkeypatch.setattr(sound, "_unavailable_logged", False)
    with caplog.at_level(logging.INFO, logger="kiosk.adapters.sound"):
        first, second = SoundPlayer(), SoundPlayer()
    assert not first.available
    assert first.command is None
    first.play(SOUNDS / "ok.wav")
    second.play(SOUNDS / "error.wav")
    assert first.wait_idle(0) and second.wait_idle(0)
    assert [r.getMessage() for r in caplog.records] == [
        "Sounds are off: no paplay, aplay or afplay on PATH."]


def test_windows_uses_winsound_async(monkeypatch):
    calls = []

    class FakeWinsound:
        SND_FILENAME, SND_ASYNC = 0x20000, 0x1

        @staticmethod
        def PlaySound(path, flags):
            calls.append((path, flags))

    monkeypatch.setitem(sys.modules, "winsound", FakeWinsound)
    player = SoundPlayer(platform="win32")
    assert player.available
    player.play(SOUNDS / "ok.wav")
    assert calls == [(str(SOUNDS / "ok.wav"), 0x20000 | 0x1)]
