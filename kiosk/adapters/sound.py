"""Short WAV sounds (scan ok / error) played without blocking the caller.

- Windows: the standard library's ``winsound.PlaySound(path, SND_FILENAME | SND_ASYNC)``.
- Elsewhere: the first of ``paplay``, ``aplay``, ``afplay`` found on PATH, started with
  ``subprocess.Popen`` from a small daemon thread that also waits for it (so the caller never
  waits, and no finished player is left as a zombie).
- Neither: a silent no-op, logged once per process.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ()),
    ("aplay", ("-q",)),
    ("afplay", ()),
)
_unavailable_logged = False


def _log_unavailable(reason: str) -> None:
    global _unavailable_logged  # noqa: PLW0603 (say it once per process)
    if not _unavailable_logged:
        _unavailable_logged = True
        log.info("Sounds are off: %s.", reason)


def find_player(path: str | None = None) -> list[str] | None:
    """The command (without the file) of the first player on ``path`` (default: PATH)."""
    for name, options in PLAYERS:
        found = shutil.which(name, path=path)
        if found:
            return [found, *options]
    return None


class SoundPlayer:
    """``play(path)`` returns at once; the sound plays in the background, or not at all when
    this machine has no way to play it. Safe to call from any thread."""

    def __init__(self, command: list[str] | None = None, *,
                 platform: str = sys.platform) -> None:
        self._windows = platform == "win32" and command is None
        self.command = None if self._windows else (command or find_player())
        self._lock = threading.Lock()
        self._playing: set[threading.Thread] = set()
        if not self.available:
            _log_unavailable("no paplay, aplay or afplay on PATH")

    @property
    def available(self) -> bool:
        return self._windows or self.command is not None

    def play(self, path: str | Path) -> None:
        if self._windows:
            self._play_windows(str(path))
        elif self.command is not None:
            worker = threading.Thread(target=self._run, args=([*self.command, str(path)],),
                                      name="sound", daemon=True)
            with self._lock:
                self._playing.add(worker)
            worker.start()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait for the sounds started so far to finish (tests, shutdown); True when idle."""
        with self._lock:
            workers = list(self._playing)
        for worker in workers:
            worker.join(timeout)
        with self._lock:
            return not self._playing

    def _run(self, argv: list[str]) -> None:
        try:
            process = subprocess.Popen(  # noqa: S603 - a fixed player found on PATH
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            process.wait()  # reaps it: no zombie, no ResourceWarning
        except OSError as error:
            log.warning("Could not play %s: %s", argv[-1], error)
        finally:
            with self._lock:
                self._playing.discard(threading.current_thread())

    @staticmethod
    def _play_windows(path: str) -> None:
        import winsound  # noqa: PLC0415 - Windows only

        try:
            # typeshed has winsound on Windows only; unused-ignore keeps Windows runs quiet
            winsound.PlaySound(path, winsound.SND_FILENAME | winsound.SND_ASYNC)  # type: ignore[attr-defined, unused-ignore]
        except RuntimeError as error:  # no sound device
            _log_unavailable(str(error))
