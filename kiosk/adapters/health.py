"""Local health checks for `kiosk doctor`: each failure names its fix."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.adapters.config import KioskConfig, load_config
from kiosk.adapters.sqlite import open_store
from kiosk.adapters.sqlite.migrations import head_revision, inspect_file
from kiosk.domain.errors import KioskError

MIN_FREE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(config_path: Path) -> list[Check]:
    """Every local check; later checks are skipped when the config cannot be read."""
    try:
        config = load_config(config_path)
    except KioskError as error:
        return [Check("config", False, str(error), "Run `kiosk init` with the clinic's ids.")]
    checks = [Check("config", True, f"{config_path} (clinic {config.clinic_id}, "
                                    f"workstation {config.workstation_id})")]
    for probe in (_data_dir, _database, _queue, _disk):
        checks.append(_safely(probe, config))
    return checks + _central(config)


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
    return Check("data dir", True, str(folder))


def _database(config: KioskConfig) -> Check:
    path = config.database_path
    state = inspect_file(path, quick_check=True)
    if not state.exists:
        return Check("database", False, f"{path} is missing", "Run `kiosk init` again.")
    head = head_revision()
    if state.revision != head:
        return Check("database", False, f"schema {state.revision}, this kiosk expects {head}",
                     "Start the kiosk once to upgrade it, or restore a matching backup.")
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
    return Check("queue", True, f"kiosk {identity.kiosk_id}: {counts.pending} event(s) waiting, "
                                f"{counts.quarantined} quarantined")


def _disk(config: KioskConfig) -> Check:
    free = shutil.disk_usage(config.data_dir).free
    detail = f"{free // (1024 * 1024)} MB free"
    if free < MIN_FREE_BYTES:
        return Check("disk", False, detail, "Free at least 200 MB on the kiosk's disk.")
    return Check("disk", True, detail)


def _central(config: KioskConfig) -> list[Check]:
    if not config.mongo_uri:
        return [Check("central server", True, "not configured: this kiosk works locally only")]
    # Imported here: the central checks build on Check, and a local-only kiosk needs no pymongo.
    from kiosk.adapters.mongo.health import check_central  # noqa: PLC0415

    return check_central(config.mongo_uri, config.clinic_id)
