"""Files the CLI reads and writes: one sentence when it cannot."""

from __future__ import annotations

from pathlib import Path

from kiosk.app import KioskApp
from kiosk.domain.errors import ValidationError

MAX_INPUT_BYTES = 20_000_000


def read_text(path: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_INPUT_BYTES:
            raise ValidationError(f"{path} is larger than 20 MB.")
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as error:
        raise ValidationError(f"{path} cannot be read ({error.strerror}).") from None


def write_output(kiosk: KioskApp, path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` (a new file is its owner's only: printouts name patients)
    or fail with one sentence."""
    kiosk.ports.files.write(Path(path), data)
