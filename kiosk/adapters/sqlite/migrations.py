"""Schema versions of the kiosk database: Alembic run from code (no alembic.ini).

``upgrade_to_head`` takes an online backup first whenever it is about to change a database
that already holds tables, and refuses files it must not touch (damaged, foreign, or written by
a newer kiosk) without writing to them. A migration that fails is rolled back with its
transaction; the backup is then copied back as well, so even a migration that committed part of
its work leaves the file exactly as it was, and the error says so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from kiosk.adapters.sqlite.dberrors import damaged, translate, translated
from kiosk.adapters.sqlite.engine import create_store_engine, writer
from kiosk.domain.errors import StoreUnavailable

SCRIPT_LOCATION = "kiosk.adapters.sqlite:alembic"
VERSION_TABLE = "alembic_version"

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema revision this code writes."""
    head = _script().get_current_head()
    assert head is not None, "the kiosk has no migrations"
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in _script().walk_revisions()}


@dataclass(frozen=True)
class FileState:
    exists: bool
    tables: frozenset[str] = frozenset()
    revision: str | None = None

    @property
    def is_versioned(self) -> bool:
        return VERSION_TABLE in self.tables


def inspect_file(path: Path, *, quick_check: bool = False, full_check: bool = False) -> FileState:
    """What the file at ``path`` holds, read with plain sqlite3 and without writing to it.

    ``quick_check`` runs SQLite's quick check; ``full_check`` the slower integrity check, which
    also compares every index with its table (for `kiosk doctor` and `kiosk restore`)."""
    if not path.exists():
        return FileState(exists=False)
    if not path.is_file():
        raise StoreUnavailable(f"The kiosk database path {path} is not a file; check the setting.")
    try:
        # mode=rw: never create the file; the connection writes nothing unless asked to.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)) as conn:
            if quick_check or full_check:
                pragma = "integrity_check" if full_check else "quick_check"
                verdict = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
                if verdict != ["ok"]:
                    raise damaged(path, "\n".join(verdict))
            tables = frozenset(
                str(name)
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            )
            revision = None
            if VERSION_TABLE in tables:
                rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
                revision = ",".join(sorted(str(r[0]) for r in rows)) or None
    except sqlite3.Error as exc:
        raise translate(exc, path, "read the kiosk database") from exc
    return FileState(exists=True, tables=tables, revision=revision)


def refuse_unusable(path: Path, state: FileState) -> None:
    """Raise for a file this code must not upgrade or use."""
    if state.tables and not state.is_versioned:
        raise StoreUnavailable(
            f"The file at {path} is not a kiosk database (it has tables but no schema version); "
            "choose another path or restore a backup with IT."
        )
    if state.revision is not None and state.revision not in known_revisions():
        raise StoreUnavailable(
            f"The kiosk database at {path} was written by a newer kiosk version "
            f"(schema {state.revision}); upgrade this kiosk."
        )


def current_revision(path: Path | str) -> str | None:
    """The schema revision of the file, or None when it is missing or unversioned."""
    return inspect_file(Path(path)).revision


def backup_database(path: Path) -> Path:
    """Copy the database with SQLite's online backup API to ``<stem>.backup-<UTC>.sqlite3``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{stamp}.sqlite3")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.backup-{stamp}-{n}.sqlite3")
        n += 1
    try:
        # created owner-only before SQLite opens it: the copy names patients like the original
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        copy_database(path, target)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise translate(exc, path, "back up the kiosk database before upgrading it") from exc
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise StoreUnavailable(f"Could not write the backup {target} before upgrading the kiosk "
                               f"database ({exc.strerror or exc}); check the folder and the free "
                               "space.") from exc
    return target


def copy_database(source: Path, target: Path) -> None:
    """Page-by-page copy with SQLite's online backup API: consistent even while another
    connection writes, and safe over a target in WAL mode (it goes through target's pager)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def upgrade_to_head(path: Path | str) -> Path | None:
    """Bring the file to the head revision; return the backup taken first, if any."""
    path = Path(path)
    state = inspect_file(path)
    refuse_unusable(path, state)
    head = head_revision()
    if state.revision == head:
        return None
    backup = backup_database(path) if state.tables else None
    try:
        _upgrade(path)
    except Exception as error:  # a migration may raise anything; the file must survive it
        if backup is None:
            raise
        raise _restore_after_failed_upgrade(path, backup, state.revision, error) from error
    if backup is not None:
        log.info("Upgraded the kiosk database from schema %s to %s; the copy taken before is "
                 "%s", state.revision or "none", head, backup)
    return backup


def _restore_after_failed_upgrade(path: Path, backup: Path, revision: str | None,
                                  error: Exception) -> StoreUnavailable:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")[:200]
    failed = (f"Upgrading the kiosk database at {path} from schema {revision or 'none'} to "
              f"{head_revision()} failed ({reason})")
    try:
        copy_database(backup, path)
        restored = inspect_file(path, quick_check=True).revision == revision
    except (sqlite3.Error, StoreUnavailable):
        restored = False
    if not restored:
        log.error("%s, and copying the backup %s back failed too", failed, backup)
        return StoreUnavailable(f"{failed}, and putting the backup back failed too; copy {backup} "
                                f"over {path} with the kiosk closed, then call IT.")
    log.error("%s; the database was restored from %s", failed, backup)
    return StoreUnavailable(f"{failed}; the database was restored from the backup {backup} and "
                            "nothing was lost: keep using the previous kiosk version and call IT.")


def _upgrade(path: Path) -> None:
    # Foreign keys off: batch migrations rebuild tables; env.py checks the keys before commit.
    engine = create_store_engine(path, foreign_keys=False, pool_size=1)
    try:
        with translated(path, "upgrade the kiosk database"), writer(engine).connect() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if connection.in_transaction():
                connection.commit()
    finally:
        engine.dispose()


def upgrade_existing(path: Path) -> tuple[str | None, Path | None]:
    """`kiosk migrate`: check an existing database and bring it to the head revision now, as
    the kiosk would on start; returns the revision it had and the backup taken (if any)."""
    if not path.is_file():
        raise StoreUnavailable(f"There is no kiosk database at {path}; run `kiosk init` first.")
    state = inspect_file(path, quick_check=True)
    refuse_unusable(path, state)
    return state.revision, upgrade_to_head(path)
