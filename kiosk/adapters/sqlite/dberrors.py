"""Turn sqlite3/SQLAlchemy failures into one-sentence kiosk errors (original chained)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import PendingRollbackError, SQLAlchemyError

from kiosk.domain.errors import KioskError, NotFound, StoreUnavailable, ValidationError


def damaged(path: Path, detail: str) -> StoreUnavailable:
    lines = [line.strip() for line in detail.splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    detail = "; ".join(lines[:2]).rstrip(".")[:200] or "unknown damage"
    return StoreUnavailable(
        f"The kiosk database at {path} is damaged ({detail}); restore a backup with IT."
    )


# (SQLite error-name prefixes, message fragments, sentence after "Could not <action>: ").
_OPERATIONAL: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        ("SQLITE_BUSY", "SQLITE_LOCKED"),
        ("locked",),
        "the kiosk database is busy in another program or window; try again in a moment",
    ),
    (
        ("SQLITE_FULL",),
        ("disk is full",),
        "the disk holding the kiosk database at {path} is full; free some space",
    ),
    (
        ("SQLITE_READONLY",),
        ("readonly",),
        "the kiosk database at {path} is read-only; check the file's permissions with IT",
    ),
    (
        ("SQLITE_CANTOPEN",),
        ("unable to open",),
        "the kiosk database at {path} cannot be opened; check the path and its permissions",
    ),
    (
        ("SQLITE_IOERR",),
        ("disk i/o error",),
        "the disk holding the kiosk database at {path} reported an I/O error; check it with IT",
    ),
)


def translate(exc: BaseException, path: Path, action: str) -> KioskError:
    """The kiosk error for ``exc``, raised while trying to ``action`` (a verb phrase)."""
    if isinstance(exc, PendingRollbackError):
        return StoreUnavailable(
            f"Could not {action}: an earlier error ended this database transaction, "
            "so none of it was saved."
        )
    orig: BaseException = getattr(exc, "orig", None) or exc
    name, text = str(getattr(orig, "sqlite_errorname", "") or ""), str(orig)
    special = _special(orig, name, text, path, action)
    if special is not None:
        return special
    for names, fragments, sentence in _OPERATIONAL:
        if name.startswith(names) or any(f in text.lower() for f in fragments):
            return StoreUnavailable(f"Could not {action}: {sentence.format(path=path)}.")
    return StoreUnavailable(f"Could not {action}: the kiosk database failed ({_first_line(text)}).")


def _special(
    orig: BaseException, name: str, text: str, path: Path, action: str
) -> KioskError | None:
    if isinstance(orig, (TypeError, ValueError)):  # refused by a column type (e.g. naive time)
        return ValidationError(f"Could not {action}: {_first_line(text)}.")
    if isinstance(orig, sqlite3.IntegrityError) or name.startswith("SQLITE_CONSTRAINT"):
        return _constraint(action, name, text)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return damaged(path, text)
    return None


def _constraint(action: str, name: str, text: str) -> KioskError:
    if name == "SQLITE_CONSTRAINT_FOREIGNKEY" or "FOREIGN KEY" in text:
        return NotFound(f"Could not {action}: it refers to a record this kiosk does not have.")
    match = re.search(r"UNIQUE constraint failed: (.+)", text)
    if match or name in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        what = _columns(match.group(1)) if match else "identifier"
        return ValidationError(f"Could not {action}: another record already has this {what}.")
    return ValidationError(
        f"Could not {action}: a value is missing or not allowed ({_first_line(text)})."
    )


def _columns(spec: str) -> str:
    cols = [part.strip().split(".")[-1].replace("_", " ") for part in spec.split(",")]
    return " and ".join(cols)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["unknown error"])[0].rstrip(".")


@contextmanager
def translated(path: Path, action: str) -> Iterator[None]:
    """Re-raise database failures inside the block as kiosk errors."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise translate(exc, path, action) from exc
