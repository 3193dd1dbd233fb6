"""Composition root: builds the adapters from a config and returns the application object.

Everything else lives in ``kiosk.app`` (the handlers) and the services; the workstation
operations IT runs before there is a kiosk (init, doctor, backup, restore, migrate, logs,
central init) are the adapters' own and are handed out from here unchanged.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kiosk.adapters.config import (
    ConfigError,
    KioskConfig,
    config_value,
    config_values,
    default_data_dir,
    load_config,
    resolve_config_path,
    set_config_value,
)
from kiosk.adapters.config_writer import TomlSettingsWriter
from kiosk.adapters.files import FolderSink
from kiosk.adapters.http_post import UrllibPoster
from kiosk.adapters.mongo.clinic_ledger import MongoClinicLedger
from kiosk.adapters.mongo.connectors import MongoCatalog, MongoConnector
from kiosk.adapters.mongo.follow_ups import MongoRecallFollowUps
from kiosk.adapters.mongo.probe import MongoConnectionProbe
from kiosk.adapters.mongo.recall_watch import ClinicRecallWatchLog, MongoRecallWatchLog
from kiosk.adapters.mongo.webhooks import MongoChangeFeed, MongoWebhookStore
from kiosk.adapters.openfda import OpenFdaFeed
from kiosk.adapters.printing import SpoolerPrinter, list_printers
from kiosk.adapters.serial_scanner import SerialScanner
from kiosk.adapters.sound import SoundPlayer
from kiosk.adapters.sqlite import SqliteRecallFollowUps, SqliteStore, open_store
from kiosk.adapters.sqlite.recall_watch_log import SqliteRecallWatchLog
from kiosk.adapters.workstation import (
    backup_kiosk,
    central_init,
    doctor_checks,
    init_kiosk,
    migrate_kiosk,
    replace_kiosk_id,
    restore_kiosk,
    start_logging,
)
from kiosk.app import AppPorts, KioskApp
from kiosk.paths import RESOURCES
from kiosk.services.context import ServiceContext, Settings, SystemClock
from kiosk.services.demo import DEMO_CLINIC_ID, IMPORT_ORDER
from kiosk.services.kits import Kit, parse_kits
from kiosk.services.ports import Clock
from kiosk.services.printing_ports import DocumentRenderer
from kiosk.services.recall_watch_ports import RecallWatchLog
from kiosk.services.webhook_ports import WebhookPorts

DEMO_DIR = RESOURCES / "demo"
KITS_FILE = RESOURCES / "kits" / "kits.toml"

__all__ = [
    "DEMO_DIR", "RESOURCES", "ConfigError", "KioskApp", "backup_kiosk", "build", "central_init",
    "config_value", "config_values", "doctor_checks", "init_kiosk", "migrate_kiosk",
    "open_demo_kiosk", "open_kiosk", "replace_kiosk_id", "resolve_config_path", "restore_kiosk",
    "set_config_value", "start_logging",
]


def build(config: KioskConfig, clock: Clock | None = None,
          config_path: Path | None = None) -> KioskApp:
    """The application object over ``config``: the SQLite store, and the central server's
    ports only when the config names one."""
    clock = clock or SystemClock()
    settings = Settings(timezone=config.timezone, expiry_window_days=config.expiry_window_days,
                        max_line_quantity=config.max_line_quantity)
    uri = config.mongo_uri
    ledger = MongoClinicLedger(uri, config.clinic_id) if uri else None
    store = open_store(config.database_path)
    context = ServiceContext(store=store, clock=clock, settings=settings, ledger=ledger)
    ports = AppPorts(
        files=FolderSink(Path(config.data_dir), clock),
        renderer=document_renderer,
        printer=SpoolerPrinter(),
        printers=list_printers,
        connection_probe=MongoConnectionProbe(),
        scanner=SerialScanner,
        sound=SoundPlayer,
        kits=load_kits,
        demo_files=demo_files,
        central_catalog=MongoCatalog(uri, config.clinic_id, clock) if uri else None,
        central=MongoConnector(uri, config.clinic_id) if uri else None,
        settings_file=TomlSettingsWriter(config_path) if config_path else None,
        recall_feed=OpenFdaFeed(config.openfda_base_url, config.openfda_api_key),
        recall_watch_log=recall_watch_log(config, store),
        # a recall's follow-ups are the clinic's: central with a server, else this kiosk's
        follow_ups=(MongoRecallFollowUps(uri, config.clinic_id) if uri
                    else SqliteRecallFollowUps(store)),
        webhooks=(lambda: webhook_ports(uri, config.clinic_id)) if uri else None,
    )
    return KioskApp(config, context, ports, clinic_name(config), config_path)


def webhook_ports(uri: str, clinic_id: str) -> WebhookPorts:
    """The clinic's webhooks, its change stream and the HTTP POST (connected on first use)."""
    return WebhookPorts(MongoWebhookStore(uri, clinic_id), MongoChangeFeed(uri, clinic_id),
                        UrllibPoster())


def recall_watch_log(config: KioskConfig, store: SqliteStore) -> RecallWatchLog:
    """This kiosk's recall watch log, mirrored on the central server when there is one."""
    local = SqliteRecallWatchLog(store)
    if not config.mongo_uri:
        return local
    return ClinicRecallWatchLog(local, MongoRecallWatchLog(config.mongo_uri, config.clinic_id))


def open_kiosk(config_path: str | None = None) -> KioskApp:
    """The configured kiosk: --config, else KIOSK_CONFIG, else the platform config file."""
    path = resolve_config_path(config_path)
    return build(load_config(path), config_path=path)


def open_demo_kiosk(data_dir: Path | None = None, config_path: Path | None = None) -> KioskApp:
    """A self-contained demo kiosk (its own config and data), seeded on first use: in
    ``data_dir``, or beside ``config_path`` (`kiosk --config FILE run --demo`), else in the
    platform's data folder."""
    if config_path is not None:
        home = data_dir or config_path.resolve().parent
    else:
        home = data_dir or default_data_dir() / "demo"
        config_path = home / "config.toml"
    if not config_path.exists() or not load_config(config_path).database_path.exists():
        # the demo is its own: a first run, or a deleted demo database, sets it up again
        init_kiosk(str(config_path), clinic_id=DEMO_CLINIC_ID, workstation_id="demo-chair-1",
                   data_dir=str(home), timezone=demo_timezone())
    kiosk = open_kiosk(str(config_path))
    with kiosk.context.store.read() as tx:
        empty = not tx.all_items()
    if empty:
        kiosk.seed_demo()
    return kiosk


def demo_files() -> dict[str, str]:
    return {kind: (DEMO_DIR / f"{kind}.csv").read_text(encoding="utf-8") for kind in IMPORT_ORDER}


def demo_timezone() -> str:
    return str(tomllib.loads((DEMO_DIR / "clinic.toml").read_text(encoding="utf-8"))["timezone"])


def clinic_name(config: KioskConfig) -> str:
    """The name printed on documents: the demo clinic's name, else the clinic id."""
    if config.clinic_id == DEMO_CLINIC_ID:
        return str(tomllib.loads((DEMO_DIR / "clinic.toml").read_text(encoding="utf-8"))["name"])
    return f"Clinic {config.clinic_id}"


def load_kits(path: Path | None = None) -> list[Kit]:
    """The procedure kits offered at the placement screen (none when the file is absent)."""
    path = path or KITS_FILE
    return parse_kits(path.read_text(encoding="utf-8")) if path.exists() else []


def document_renderer() -> DocumentRenderer:
    from kiosk.adapters.pdf import PdfRenderer  # noqa: PLC0415 - reportlab loads on demand

    return PdfRenderer()
