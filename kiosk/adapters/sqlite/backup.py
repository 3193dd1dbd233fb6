"""Whole-database copies for IT: `kiosk backup` and `kiosk restore`.

A backup is taken with SQLite's online backup API, so it is consistent while the kiosk keeps
recording, and it is checked (integrity, schema, identity) before it gets its final name. A
restore checks the file it is given the same way first, and keeps the database it replaces as
a safety copy beside it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.sqlite.dberrors import translate
from kiosk.adapters.sqlite.migrations import (
    copy_database,
    inspect_file,
    refuse_unusable,
    upgrade_to_head,
)
from kiosk.domain.errors import StoreUnavailable, ValidationError

BACKUP_FOLDER = "backups"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatabaseInfo:
    """Whose database a file is, and what it holds that the central server may not have."""

    path: Path
    revision: str
    clinic_id: str
    kiosk_id: str
    workstation_id: str
    usages: int
    unsynced: int

    def summary(self) -> str:
        return (f"kiosk {self.kiosk_id}, workstation {self.workstation_id}, schema "
                f"{self.revision}, {self.usages} usage(s), {self.unsynced} event(s) not yet synced")


def describe(path: Path) -> DatabaseInfo:
    """Check ``path`` fully (integrity, schema version, identity) without writing to it."""
    if not path.is_file():
        raise ValidationError(f"There is no database file at {path}.")
    state = inspect_file(path, full_check=True)
    refuse_unusable(path, state)
    if state.revision is None or "kiosk_identity" not in state.tables:
        raise StoreUnavailable(f"The file at {path} is not a kiosk database (no schema version "
                               "or kiosk identity); choose another file.")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            identity = conn.execute(
                "SELECT clinic_id, kiosk_id, workstation_id FROM kiosk_identity").fetchone()
            usages = conn.execute("SELECT count(*) FROM usages").fetchone()[0]
            unsynced = conn.execute(
                "SELECT count(*) FROM outbox WHERE state = 'PENDING'").fetchone()[0]
    except sqlite3.Error as exc:
        raise translate(exc, path, "read the kiosk database") from exc
    if identity is None:
        raise StoreUnavailable(f"The kiosk database at {path} has no kiosk identity (it was never "
                               "set up with `kiosk init`); choose another file.")
    clinic_id, kiosk_id, workstation_id = map(str, identity)
    return DatabaseInfo(path, state.revision, clinic_id, kiosk_id, workstation_id, int(usages),
                        int(unsynced))


def default_backup_path(data_dir: Path, workstation_id: str, now: datetime) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in workstation_id)
    return data_dir / BACKUP_FOLDER / f"kiosk-{safe}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def backup_to(database: Path, target: Path) -> DatabaseInfo:
    """Copy the live database to ``target`` (readable by its owner only) and check the copy."""
    if not database.is_file():
        raise StoreUnavailable(f"There is no kiosk database at {database} to back up; run "
                               "`kiosk init` first.")
    if target.exists():
        raise ValidationError(f"The file {target} already exists; choose another name.")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        copy_database(database, partial)
        with closing(sqlite3.connect(partial)) as copy:  # one self-contained file, no -wal
            copy.execute("PRAGMA journal_mode=DELETE")
        info = describe(partial)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise translate(exc, database, f"back up the kiosk database to {target}") from exc
    except OSError as exc:
        raise StoreUnavailable(f"Could not write the backup {target} ({exc.strerror}); check "
                               "the folder and the free space.") from exc
    finally:
        partial.unlink(missing_ok=True)
    log.info("Backed up the kiosk database to %s (%s)", target, info.summary())
    return DatabaseInfo(target, info.revision, info.clinic_id, info.kiosk_id,
                        info.workstation_id, info.usages, info.unsynced)


def restore_from(database: Path, source: Path, clinic_id: str, *,
                 replace_kiosk: bool = False) -> tuple[DatabaseInfo, Path | None]:
    """Put the backup ``source`` in place of ``database``; returns what was restored and the
    safety copy of the file it replaced (None when there was none). Run with the kiosk closed."""
    info = describe(source)
    if info.clinic_id != clinic_id:
        raise ValidationError(f"The backup {source} belongs to clinic {info.clinic_id}, not to "
                              f"this kiosk's clinic {clinic_id}; nothing was restored.")
    current = _current_identity(database)
    if current is not None and current != info.kiosk_id and not replace_kiosk:
        raise ValidationError(
            f"The backup {source} is of kiosk {info.kiosk_id} ({info.workstation_id}), but this "
            f"database is kiosk {current}; nothing was restored (add --replace-kiosk only when "
            "this workstation takes over from a retired one).")
    healthy = _is_healthy(database)
    safety = _safety_copy(database, healthy) if database.exists() else None
    try:
        _put_in_place(source, database, healthy)
        upgrade_to_head(database)
    except (sqlite3.Error, OSError) as exc:
        where = f"; the previous database is kept at {safety}" if safety else ""
        raise StoreUnavailable(f"Could not restore {source} into {database} ({exc}){where}.") \
            from exc
    if os.name == "posix":
        database.chmod(0o600)
    log.info("Restored %s into %s (%s); the replaced database is kept at %s",
             source, database, info.summary(), safety)
    return info, safety


def _current_identity(database: Path) -> str | None:
    """The kiosk id of the database being replaced; None when missing or unreadable (damaged
    files are what restores are for)."""
    if not database.exists():
        return None
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as c:
            row = c.execute("SELECT kiosk_id FROM kiosk_identity").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _is_healthy(database: Path) -> bool:
    if _current_identity(database) is None:
        return False
    try:
        inspect_file(database, quick_check=True)
    except StoreUnavailable:
        return False
    return True


def _safety_copy(database: Path, healthy: bool) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = database.with_name(f"{database.stem}.before-restore-{stamp}.sqlite3")
    n = 1
    while target.exists():
        target = database.with_name(f"{database.stem}.before-restore-{stamp}-{n}.sqlite3")
        n += 1
    if healthy:
        copy_database(database, target)
    else:  # damaged: keep its bytes, WAL included, exactly as they are, for whoever looks
        for suffix in ("", "-wal"):
            if Path(f"{database}{suffix}").exists():
                shutil.copyfile(f"{database}{suffix}", f"{target}{suffix}")
    if os.name == "posix":
        target.chmod(0o600)
    return target


def _put_in_place(source: Path, database: Path, healthy: bool) -> None:
    """Through the database's own pager when it is healthy (other readers stay consistent),
    else by replacing the file and dropping its stale WAL and shared-memory files."""
    if healthy:
        copy_database(source, database)
        return
    fresh = database.with_name(database.name + ".restoring")
    fresh.unlink(missing_ok=True)
    copy_database(source, fresh)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, database)
