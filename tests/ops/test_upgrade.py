"""Upgrades: a database made by the oldest migration, with data in it, keeps every row; a
failed migration leaves the database as it was and says so; an older kiosk refuses a newer
database without touching it."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from alembic import command
from ops_cli import SCAN, Cli, columns_of, rows, snapshot

from kiosk import bootstrap
from kiosk.adapters.config import KioskConfig, save_config
from kiosk.adapters.sqlite import SqliteStore, migrations
from kiosk.adapters.sqlite.engine import create_store_engine, writer
from kiosk.services import corrections, placement
from kiosk.services.context import ServiceContext, Settings, SystemClock
from kiosk.services.demo import DEMO_CLINIC_ID, load_demo
from kiosk.services.placement import PlaceSupplies

OLDEST = "0001"
LOT_QUERY = ("SELECT * FROM usages WHERE lot_number = 'B25E392' "
             "ORDER BY usage_date, kiosk_seq, id")


def migrate_to(path: Path, revision: str, *, down: bool = False) -> None:
    engine = create_store_engine(path, foreign_keys=False, pool_size=1)
    try:
        with writer(engine).connect() as connection:
            config = migrations.alembic_config()
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
            if connection.in_transaction():
                connection.commit()
    finally:
        engine.dispose()


def kiosk_at_oldest_schema(home: Path) -> Cli:
    """A kiosk whose database is at migration 0001 and was used: the demo catalog, placements,
    a void and an adjustment, all queued for sync. Today's code writes today's columns, so the
    rows are written at head and the file then taken down to 0001 by the migrations' own
    downgrades (which drop only what later migrations added)."""
    database = home / "data" / "kiosk.sqlite3"
    database.parent.mkdir(parents=True)
    migrate_to(database, "head")
    store = SqliteStore(database)  # SqliteStore itself never upgrades; open_store does
    try:
        with store.write() as tx:
            tx.claim_identity(DEMO_CLINIC_ID, "chair-1")
        ctx = ServiceContext(store=store, clock=SystemClock(),
                             settings=Settings(timezone="America/Chicago"))
        load_demo(ctx, bootstrap.demo_files())
        for lot, qty in (("B25E392", 2), ("B26A858", 1), ("B25E392", 1)):
            used = placement.deduct_for_appliance(ctx, "B1001", PlaceSupplies(
                patient="C-10239", appliance_type="BRACKET", scans=[SCAN.format(lot)],
                quantity=qty, appliance_id="64b300000000000000000004"))
        corrections.void_usage(ctx, "B1001", used[0].id, "scanned twice")
        corrections.adjust_stock(ctx, "B1007", "ELA-316-45", lot_number="EL260247",
                                 delta=-1, reason="pack torn")
    finally:
        store.close()
    migrate_to(database, OLDEST, down=True)
    config = home / "config.toml"
    save_config(KioskConfig(clinic_id=DEMO_CLINIC_ID, workstation_id="chair-1",
                            data_dir=str(database.parent), timezone="America/Chicago"), config)
    assert migrations.current_revision(database) == OLDEST
    return config


@pytest.fixture
def old_kiosk(tmp_path, capsys) -> Cli:
    return Cli(kiosk_at_oldest_schema(tmp_path / "kiosk"), capsys)


def test_every_row_of_an_oldest_schema_database_survives_the_upgrade(old_kiosk):
    database = old_kiosk.database
    before, old_columns = snapshot(database), columns_of(database)
    assert len(before["usages"]) == 3 and len(before["outbox"]) == 5 and before["patients"]
    assert "TEMP B-TREE" in str(rows(database, "EXPLAIN QUERY PLAN " + LOT_QUERY))

    tracked = old_kiosk.ok("report", "lot-tracking", "B25E392", "--format", "csv")  # on start

    assert migrations.current_revision(database) == migrations.head_revision() != OLDEST
    assert snapshot(database, old_columns) == before
    assert "TEMP B-TREE" not in str(rows(database, "EXPLAIN QUERY PLAN " + LOT_QUERY))
    assert tracked.count("C-10239") == 1  # 2 + 1 placed, the first voided
    [backup] = database.parent.glob("kiosk.backup-*.sqlite3")
    assert migrations.current_revision(backup) == OLDEST
    assert snapshot(backup) == before
    assert "already at schema" in old_kiosk.ok("migrate")


def test_kiosk_migrate_upgrades_now_and_names_the_backup(old_kiosk):
    out = old_kiosk.ok("migrate")
    [backup] = old_kiosk.database.parent.glob("kiosk.backup-*.sqlite3")
    assert f"was at schema {OLDEST} and is now at {migrations.head_revision()}" in out
    assert str(backup) in out


BROKEN = '''
"""A migration that fails after committing part of its work behind Alembic's back."""
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE patients SET first_name = 'overwritten'")
    {commit}
    op.execute("DELETE FROM usage_voids")
    op.execute("DELETE FROM usages")
    raise RuntimeError("injected failure in migration 9001")


def downgrade():
    pass
'''


@pytest.mark.parametrize("commit", ["", 'op.get_bind().exec_driver_sql("COMMIT")'],
                         ids=["rolled-back", "half-committed"])
def test_a_failed_migration_restores_the_database_and_says_so(old_kiosk, tmp_path,
                                                              monkeypatch, commit):
    old_kiosk.ok("migrate")
    database = old_kiosk.database
    before, head = snapshot(database), migrations.head_revision()
    scripts = tmp_path / "scripts"
    shutil.copytree(Path(migrations.__file__).parent / "alembic", scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_broken.py").write_text(
        textwrap.dedent(BROKEN).replace("{head}", head).replace("{commit}", commit), "utf-8")
    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", str(scripts))

    message = old_kiosk.fails("report", "low-stock")

    assert f"from schema {head} to 9001 failed (" in message
    assert "the database was restored from the backup" in message
    assert "nothing was lost" in message
    assert migrations.current_revision(database) == head
    assert snapshot(database) == before
    monkeypatch.undo()  # the real scripts again: the restored kiosk works as before
    assert "C-10239" in old_kiosk.ok("report", "lot-tracking", "B25E392")


def test_an_older_kiosk_refuses_a_newer_database_untouched(old_kiosk):
    old_kiosk.ok("migrate")
    database = old_kiosk.database
    with SqliteStore(database) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    before = database.read_bytes()
    siblings = sorted(p.name for p in database.parent.iterdir())

    message = old_kiosk.fails("deduct", "--actor", "B1001", "--patient", "C-10239",
                              "--appliance-type", "BRACKET", "--scan", SCAN.format("B25E392"))

    assert "was written by a newer kiosk version (schema 0099); upgrade this kiosk" in message
    assert database.read_bytes() == before
    assert sorted(p.name for p in database.parent.iterdir()) == siblings
