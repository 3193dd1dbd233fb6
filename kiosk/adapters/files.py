"""The FileSink port over a folder: printouts and saved reports, named by UTC time.

They name patients, so every file written is its owner's only (0600) and the printouts folder
is 0700, whatever the umask of the shell that started the kiosk.
"""

from __future__ import annotations

import itertools
import os
import re
from datetime import UTC
from pathlib import Path

from kiosk.domain.errors import KioskError
from kiosk.services.ports import Clock

PRINTOUTS = "printouts"


class FolderSink:
    """New files in ``<data_dir>/printouts`` (created when first needed)."""

    def __init__(self, data_dir: Path, clock: Clock) -> None:
        self.folder = data_dir / PRINTOUTS
        self._clock = clock

    def new_file(self, name: str, suffix: str, folder: Path | None = None) -> Path:
        folder = folder or self.folder
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder == self.folder and os.name == "posix":
            folder.chmod(0o700)  # made by an older kiosk under the shell's umask
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        stem = f"{safe}-{self._clock.now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
        path = folder / f"{stem}.{suffix}"
        for n in itertools.count(2):
            if not path.exists():
                return path
            path = folder / f"{stem}-{n}.{suffix}"
        raise AssertionError("unreachable")

    def target(self, path: Path | None, name: str, suffix: str) -> Path:
        path = path.expanduser() if path is not None else None
        if path is None or path.is_dir():
            return self.new_file(name, suffix, path)
        return path

    def write(self, path: Path, data: bytes) -> Path:
        try:  # a new file is created private; one the user chose keeps its permissions
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise KioskError(f"Cannot write {path} ({error.strerror or error}); pick another "
                             "place to save it.") from None
        return path
