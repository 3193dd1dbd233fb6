"""Rotating log files in the platformdirs log folder, with nothing personal in them.

Each kind of process writes its own file (``kiosk-ui.log``, ``kiosk-sync.log``,
``kiosk-cli.log``), so the kiosk window and the background sync never rotate a file under each
other. Every line goes through ``redact`` on its way out: SQL parameters, credentials in server
addresses, PINs and PIN hashes, and name fields never reach the disk. The code logs ids, chart
numbers and counts, never a person's name; the formatter is the safety net for text that comes
from elsewhere (a driver's exception, a record passed as an argument).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir

from kiosk.adapters.config import APP_NAME
from kiosk.domain.redaction import redact

MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s] %(message)s"
# Libraries that log statement parameters or whole documents at INFO/DEBUG: never below WARNING.
CHATTY = ("sqlalchemy", "pymongo", "urllib3", "asyncio", "PIL", "shiboken6")

_handlers: list[logging.Handler] = []


def log_directory() -> Path:
    """``KIOSK_LOG_DIR`` (the Linux installer's wrapper sets it under its prefix), else the
    platform's user log folder."""
    return Path(os.environ.get("KIOSK_LOG_DIR") or user_log_dir(APP_NAME))


class RedactingFormatter(logging.Formatter):
    """UTC timestamps; records as arguments shown by id; every line passed through ``redact``."""

    converter = staticmethod(time.gmtime)  # what Formatter calls; a builtin never binds self

    def __init__(self) -> None:
        super().__init__(FORMAT, datefmt="%Y-%m-%dT%H:%M:%SZ")

    def format(self, record: logging.LogRecord) -> str:
        if record.args:
            record = logging.makeLogRecord(record.__dict__)  # other handlers keep the original
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_masked(arg) for arg in args)
        return redact(super().format(record))


def _masked(arg: object) -> object:
    """A patient or staff record (anything with a name or PIN field) becomes its type and id."""
    if any(hasattr(arg, field) for field in ("first_name", "last_name", "pin_hash")):
        return f"<{type(arg).__name__} {getattr(arg, 'id', '?')}>"
    return arg


def setup_logging(process: str, *, verbose: bool = False, directory: Path | None = None,
                  echo: bool = False) -> Path:
    """Log this process to ``<directory>/kiosk-<process>.log`` (1 MB x 5 files); kiosk loggers
    at DEBUG when ``verbose`` else INFO, and with ``echo`` to stderr too. Calling it again
    replaces the handlers it added before. Returns the log file's path."""
    folder = directory or log_directory()
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
    path = folder / f"kiosk-{process}.log"
    _private_file(path)
    root = logging.getLogger()
    for old in _handlers:
        root.removeHandler(old)
        old.close()
    _handlers.clear()
    file_handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                       encoding="utf-8", delay=True,
                                       errors="backslashreplace")  # odd bytes never break a line
    file_handler.rotator = _rotate_privately
    _handlers.append(file_handler)
    if echo:
        _handlers.append(logging.StreamHandler())
    for handler in _handlers:
        handler.setFormatter(RedactingFormatter())
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger("kiosk").setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path


def _private_file(path: Path) -> None:
    """Create ``path`` owner-only (the handler then appends to it and keeps its mode), or make
    one an older kiosk left under the shell's umask private."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    if os.name == "posix":
        with contextlib.suppress(PermissionError):  # another user's file: doctor says so
            path.chmod(0o600)


def _rotate_privately(source: str, dest: str) -> None:
    """The handler's rotation (a rename keeps the mode), then the next file created private
    before the handler reopens it."""
    if os.path.exists(source):
        os.replace(source, dest)
    _private_file(Path(source))


def stop_logging() -> None:
    """Detach and close the handlers ``setup_logging`` added (tests; an embedding program)."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
