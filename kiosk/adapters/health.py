"""Local health checks for `kiosk doctor`: each failure names its fix.

Config (readable, owner-only), data folder (present, writable, owner-only), database (full
integrity check, schema version, identity, queue), free disk, scanner port, printer, and the
central server. A check never changes anything: a database that needs an upgrade is reported,
not upgraded.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from kiosk.adapters.checks import Check
from kiosk.adapters.config import KioskConfig, load_config
from kiosk.adapters.device_checks import check_printer, check_scanner
from kiosk.adapters.sqlite import open_store
from kiosk.adapters.sqlite.backup import BACKUP_FOLDER
from kiosk.adapters.sqlite.migrations import head_revision, inspect_file, known_revisions
from kiosk.domain.errors import KioskError
from kiosk.services.context import ServiceContext, SystemClock
from kiosk.services.sync_pull import skipped_records

# Check lives in the leaf kiosk.adapters.checks (the device and central checks build on it
# too); it is re-exported here for bootstrap.
__all__ = ["MIN_FREE_BYTES", "Check", "make_private", "run_checks"]

MIN_FREE_BYTES = 200 * 1024 * 1024


def run_checks(config_path: Path) -> list[Check]:
    """Every local check; later checks are skipped when the config cannot be read."""
    try:
        config = load_config(config_path)
    except KioskError as error:
        return [Check("config", False, str(error), "Run `kiosk init` with the clinic's ids.")]
    checks = [Check("config", True, f"{config_path} (clinic {config.clinic_id}, "
                                    f"workstation {config.workstation_id})"),
              _owner_only("config file", config_path, "600")]
    for probe in (_data_dir, _database):
        checks.append(_safely(probe, config))
    if checks[-1].ok:  # the queue opens the store, which would upgrade an older file
        checks.append(_safely(_queue, config))
        checks.append(_safely(_skipped_central_records, config))
    for probe in (_disk, _scanner, _printer):
        checks.append(_safely(probe, config))
    return checks + _central(config)


def make_private(path: Path) -> None:
    """Owner-only access (POSIX; on Windows the per-user profile folders already are). A file
    this user does not own is left as it is: `kiosk doctor` reports it with the fix."""
    if os.name == "posix":
        try:
            path.chmod(0o700 if path.is_dir() else 0o600)
        except PermissionError:
            return


def _owner_only(name: str, path: Path, mode: str) -> Check:
    if os.name != "posix":
        return Check(name, True, f"{path} (permissions are the profile's ACL)")
    bits = stat.S_IMODE(path.stat().st_mode)
    if bits & 0o077:
        return Check(name, False, f"{path} is open to other users (mode {bits:o})",
                     f"Run `chmod {mode} {path}`.")
    return Check(name, True, f"{path} is readable by its owner only")


def _safely(probe: Callable[[KioskConfig], Check], config: KioskConfig) -> Check:
    try:
        return probe(config)
    except KioskError as error:
        return Check(probe.__name__.strip("_"), False, str(error), "Ask IT to restore a backup.")
    except OSError as error:
        return Check(probe.__name__.strip("_"), False, f"{error.strerror}: {error.filename}",
                     "Check the disk and the folder's permissions.")


def _data_dir(config: KioskConfig) -> Check:
    folder = Path(config.data_dir)
    if not folder.is_dir():
        return Check("data dir", False, f"{folder} does not exist", "Run `kiosk init` again.")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Check("data dir", False, f"{folder} is not writable by this user",
                     "Give the kiosk user write access to the data folder.")
    private = _owner_only("data dir", folder, "700")
    if private.ok and config.database_path.exists():
        private = _owner_only("data dir", config.database_path, "600")
    return private if not private.ok else Check("data dir", True, f"{folder} (owner only)")


def _database(config: KioskConfig) -> Check:
    path = config.database_path
    backups = Path(config.data_dir) / BACKUP_FOLDER
    try:
        state = inspect_file(path, full_check=True)
    except KioskError as error:
        return Check("database", False, str(error),
                     f"Close the kiosk and run `kiosk restore FILE` with the newest backup "
                     f"(in {backups} or your own); the damaged file is kept beside it.")
    if not state.exists or not state.tables:
        return Check("database", False, f"no kiosk database at {path}",
                     f"Run `kiosk init` to set this kiosk up, or `kiosk restore FILE` with the "
                     f"newest backup (in {backups} or your own).")
    head = head_revision()
    if state.revision is not None and state.revision not in known_revisions():
        return Check("database", False, f"schema {state.revision} was written by a newer kiosk "
                     f"version (this one knows up to {head})",
                     "Install the newer kiosk version again; older versions never open it.")
    if state.revision != head:
        return Check("database", False, f"schema {state.revision}, this kiosk writes {head}",
                     "Start the kiosk (or run any kiosk command) once: it backs the database "
                     "up and upgrades it.")
    return Check("database", True, f"{path} passes its integrity check (schema {head})")


def _queue(config: KioskConfig) -> Check:
    store = open_store(config.database_path)
    try:
        with store.read() as tx:
            identity = tx.identity()
            counts = tx.outbox_counts()
    finally:
        store.close()
    if identity.clinic_id != config.clinic_id:
        return Check("identity", False, f"the database belongs to clinic {identity.clinic_id}",
                     "Point data_dir at this clinic's database or run `kiosk init` anew.")
    detail = (f"kiosk {identity.kiosk_id}: {counts.pending} event(s) waiting, "
              f"{counts.quarantined} quarantined")
    if counts.quarantined:
        return Check("queue", False, detail,
                     "Run `kiosk queue` to see each quarantined event with its reason (also "
                     "Back office > Settings > Queue); fix the cause (usually a central "
                     "record), then `kiosk queue retry ID` sends it again.")
    return Check("queue", True, detail)


def _skipped_central_records(config: KioskConfig) -> Check:
    """Central documents the last pulls could not read: this kiosk's catalog lacks them."""
    store = open_store(config.database_path)
    try:
        skipped = skipped_records(ServiceContext(store=store, clock=SystemClock()))
    finally:
        store.close()
    if not skipped:
        return Check("central records", True, "every pulled central record could be read")
    more = f" (and {len(skipped) - 3} more)" if len(skipped) > 3 else ""
    return Check("central records", False,
                 f"{len(skipped)} central record(s) were skipped: "
                 f"{'; '.join(r.sentence for r in skipped[:3])}{more}",
                 "Correct them on the central server (money as Decimal128 or decimal text); "
                 "the next sync takes them and clears this.")


def _disk(config: KioskConfig) -> Check:
    free = shutil.disk_usage(config.data_dir).free
    detail = f"{free // (1024 * 1024)} MB free"
    if free < MIN_FREE_BYTES:
        return Check("disk", False, detail, "Free at least 200 MB on the kiosk's disk.")
    return Check("disk", True, detail)


def _scanner(config: KioskConfig) -> Check:
    return check_scanner(config.scanner_port)


def _printer(config: KioskConfig) -> Check:
    return check_printer(config.printer)


def _central(config: KioskConfig) -> list[Check]:
    if not config.mongo_uri:
        return [Check("central server", True, "not configured: this kiosk works locally only")]
    # Imported here: a local-only kiosk's checks need no pymongo.
    from kiosk.adapters.mongo.health import check_central  # noqa: PLC0415

    return check_central(config.mongo_uri, config.clinic_id)
