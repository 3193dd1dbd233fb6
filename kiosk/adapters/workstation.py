"""What IT does to a workstation rather than through its kiosk: write the config and the
database, check, back up, restore and upgrade them, start the log files, prepare the server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.config import (
    KioskConfig,
    default_data_dir,
    load_config,
    resolve_config_path,
    save_config,
)
from kiosk.adapters.health import Check, make_private, run_checks
from kiosk.adapters.logs import setup_logging
from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.sqlite import initialize_store, open_store
from kiosk.adapters.sqlite.backup import (
    DatabaseInfo,
    backup_to,
    default_backup_path,
    restore_from,
)
from kiosk.adapters.sqlite.migrations import head_revision, upgrade_existing
from kiosk.domain.errors import ConfigError
from kiosk.domain.ids import new_object_id
from kiosk.services.ports import KioskIdentity


def init_kiosk(config_path: str | None, *, clinic_id: str, workstation_id: str,
               mongo_uri: str | None = None, data_dir: str | None = None,
               timezone: str | None = None) -> tuple[Path, KioskIdentity]:
    """Write the config and create the local database with this kiosk's identity. On a
    kiosk already set up, only what is given changes (``None`` keeps the config's value):
    adding a server must not reset the clinic's time zone, idle timeout or printer."""
    path = resolve_config_path(config_path)
    kept = load_config(path) if path.exists() else KioskConfig(
        clinic_id="", workstation_id="", data_dir=str(Path(default_data_dir()).resolve()))
    config = replace(kept, clinic_id=clinic_id.strip().lower(),
                     workstation_id=workstation_id.strip(),
                     data_dir=str(Path(data_dir).resolve()) if data_dir else kept.data_dir,
                     mongo_uri=kept.mongo_uri if mongo_uri is None else mongo_uri,
                     timezone=timezone or kept.timezone)
    identity = initialize_store(config.database_path, config.clinic_id, config.workstation_id)
    for private in (Path(config.data_dir), config.database_path):  # it names patients
        make_private(private)
    save_config(config, path)
    return path, identity


def doctor_checks(config_path: str | None = None) -> list[Check]:
    return run_checks(resolve_config_path(config_path))


def central_init(config_path: str | None = None) -> list[str]:
    """`kiosk central init`: create the central collections and indexes the configured server
    lacks (idempotent); returns the names of the indexes created."""
    config = load_config(resolve_config_path(config_path))
    if not config.mongo_uri:
        raise ConfigError("This kiosk has no central server configured; run `kiosk init` "
                          "with --mongo-uri first.")
    return init_central(config.mongo_uri)


def start_logging(command: str, verbose: bool = False) -> Path | None:
    """Rotating log files for this process (the UI, the background sync and one-off commands
    each have their own); None when the log folder cannot be written: the kiosk works on."""
    process = {"run": "ui", "sync": "sync"}.get(command, "cli")
    try:
        return setup_logging(process, verbose=verbose, echo=verbose)
    except OSError:
        return None


def backup_kiosk(config_path: str | None, output: str | None) -> DatabaseInfo:
    """`kiosk backup`: an online copy of the database, to ``output`` or under data_dir/backups."""
    config = load_config(resolve_config_path(config_path))
    target = Path(output) if output else default_backup_path(
        Path(config.data_dir), config.workstation_id, datetime.now(UTC))
    info = backup_to(config.database_path, target)
    if not output:
        make_private(target.parent)
    return info


def restore_kiosk(config_path: str | None, source: str,
                  replace_kiosk: bool = False) -> tuple[DatabaseInfo, Path | None, Path]:
    """`kiosk restore`: the checked backup in place of the database; returns what was restored,
    the safety copy of the replaced file, and the database path."""
    config = load_config(resolve_config_path(config_path))
    info, safety = restore_from(config.database_path, Path(source), config.clinic_id,
                                replace_kiosk=replace_kiosk)
    with open_store(config.database_path) as store, store.write() as tx:
        # this workstation is the kiosk now: its next sync takes the kiosk id over from
        # whichever data directory synced as it (the replaced file, a retired workstation)
        tx.keep_kiosk_claim(tx.kiosk_claim().token, takeover=True)
    return info, safety, config.database_path


UNSENT_LIMIT = 1_000_000_000


def replace_kiosk_id(config_path: str | None) -> tuple[str, str, int]:
    """`kiosk init --replace-kiosk`: this data directory (a copy, or one refused because
    another syncs as its kiosk) takes a new kiosk id. The unsent events the server already
    has are acknowledged; the others move to the new id. Returns the old id, the new one
    and how many events moved."""
    config = load_config(resolve_config_path(config_path))
    with open_store(config.database_path) as store:
        with store.read() as tx:
            old = tx.identity().kiosk_id
            unsent = [e.event_id for e in tx.unsynced_events(UNSENT_LIMIT)]
        applied: frozenset[str] = frozenset()
        if config.mongo_uri and unsent:
            central = MongoCentral.from_uri(config.mongo_uri, config.clinic_id, old)
            try:
                applied = central.sequences([], unsent).applied
            finally:
                central.close()
        new = new_object_id()
        with store.write() as tx:
            moved = tx.replace_kiosk_id(new, applied, datetime.now(UTC))
    return old, new, moved


def migrate_kiosk(config_path: str | None) -> tuple[Path, str | None, str, Path | None]:
    """`kiosk migrate`: upgrade the database now (backup first); returns its path, the schema
    it had, the schema it has, and the backup taken (None when it was already current)."""
    path = load_config(resolve_config_path(config_path)).database_path
    before, backup = upgrade_existing(path)
    return path, before, head_revision(), backup
