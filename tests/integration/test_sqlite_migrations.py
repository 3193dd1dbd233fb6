"""Opening, checking, backing up and upgrading kiosk database files on disk."""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.adapters.sqlite import open_store
from kiosk.adapters.sqlite.engine import create_store_engine, writer
from kiosk.adapters.sqlite.migrations import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from kiosk.adapters.sqlite.orm import Base
from kiosk.domain.errors import StoreUnavailable
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import Vendor

ONE_SENTENCE = re.compile(r"[A-Z][^\n]*\.")


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.backup-*.sqlite3"))


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def downgrade_to_base(path: Path) -> None:
    engine = create_store_engine(path, foreign_keys=False)
    try:
        with writer(engine).connect() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def assert_refused_untouched(path: Path, fragment: str) -> None:
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreUnavailable) as caught:
        open_store(path, create=True)
    message = str(caught.value)
    assert fragment in message
    assert ONE_SENTENCE.fullmatch(message), message
    assert str(path) in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_a_new_file_is_created_at_head_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "kiosk.sqlite3"
    assert current_revision(path) is None
    with open_store(path, create=True):
        pass
    assert head_revision() == "0010_recall_alert_identity"
    assert current_revision(path) == head_revision()
    assert backups(path.parent) == []


def test_the_migration_builds_exactly_the_orm_schema(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with open_store(path, create=True) as store, store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_reopening_a_current_file_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    vendor = Vendor(new_object_id(), "Ortho Depot")
    with open_store(path, create=True) as store, store.write() as tx:
        tx.save_vendor(vendor)
    assert upgrade_to_head(path) is None
    with open_store(path, create=True) as store, store.read() as tx:
        assert tx.vendor_by_id(vendor.id) == vendor
    assert backups(tmp_path) == []
    assert query(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_an_older_file_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    # With one migration the only older revision is base: a file that had the schema removed
    # by a downgrade. A marker row shows that the backup is the pre-upgrade file.
    path = tmp_path / "kiosk.sqlite3"
    with open_store(path, create=True):
        pass
    downgrade_to_base(path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE site_notes (note TEXT)")
        conn.execute("INSERT INTO site_notes VALUES ('before upgrade')")
    assert current_revision(path) is None

    with open_store(path, create=True):
        pass

    [backup] = backups(tmp_path)
    assert re.fullmatch(r"kiosk\.backup-\d{8}T\d{6}Z\.sqlite3", backup.name)
    assert query(backup, "PRAGMA quick_check") == [("ok",)]
    assert query(backup, "SELECT note FROM site_notes") == [("before upgrade",)]
    assert query(backup, "SELECT count(*) FROM alembic_version") == [(0,)]
    assert current_revision(path) == head_revision()
    assert query(path, "SELECT count(*) FROM outbox") == [(0,)]
    assert upgrade_to_head(path) is None  # and a second start takes no second backup
    assert len(backups(tmp_path)) == 1


def test_upgrade_to_head_reports_the_backup_it_took(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    assert upgrade_to_head(path) is None  # a brand-new file has nothing to back up
    downgrade_to_base(path)
    backup = upgrade_to_head(path)
    assert backup is not None and backup.parent == tmp_path and backup.exists()
    assert current_revision(path) == head_revision()


def test_random_bytes_are_refused_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"not sqlite " + os.urandom(8192))
    assert_refused_untouched(path, "is damaged (file is not a database); restore a backup")


def test_a_damaged_page_is_found_by_the_quick_check(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA page_size = 1024")
        conn.execute("CREATE TABLE t (a TEXT)")
        conn.execute("CREATE INDEX t_a ON t (a)")
        conn.executemany("INSERT INTO t VALUES (?)", [(str(i) * 50,) for i in range(300)])
    data = bytearray(path.read_bytes())
    data[3 * 1024 + 8 : 3 * 1024 + 10] = b"\x00\x03"  # a cell pointer of a b-tree page
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, "is damaged (")


def test_a_file_from_a_newer_kiosk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with open_store(path, create=True):
        pass
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    assert_refused_untouched(path, "was written by a newer kiosk version")
    with pytest.raises(StoreUnavailable, match="upgrade this kiosk"):
        upgrade_to_head(path)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    assert_refused_untouched(path, "is not a kiosk database")


def test_unusable_paths_are_sentences(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk.sqlite3"
    folder.mkdir()
    with pytest.raises(StoreUnavailable, match="is not a file") as caught:
        open_store(folder, create=True)
    assert ONE_SENTENCE.fullmatch(str(caught.value))
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StoreUnavailable, match="cannot be created") as caught:
        open_store(blocker / "data" / "kiosk.sqlite3", create=True)
    assert ONE_SENTENCE.fullmatch(str(caught.value))
    assert isinstance(caught.value.__cause__, OSError)
