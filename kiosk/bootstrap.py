"""Composition root: builds adapters from config and hands them to the services."""

from __future__ import annotations

import itertools
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.config import (
    ConfigError,
    KioskConfig,
    default_data_dir,
    load_config,
    resolve_config_path,
    save_config,
)
from kiosk.adapters.health import Check, make_private, run_checks
from kiosk.adapters.logs import setup_logging
from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.catalog_store import ImportConflict, MongoCatalogStore
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.package_data import resources_dir
from kiosk.adapters.serial_scanner import SerialScanner
from kiosk.adapters.sound import SoundPlayer
from kiosk.adapters.sqlite import initialize_store, open_store
from kiosk.adapters.sqlite.backup import (
    DatabaseInfo,
    backup_to,
    default_backup_path,
    restore_from,
)
from kiosk.adapters.sqlite.migrations import head_revision, upgrade_existing
from kiosk.domain.errors import CentralUnavailable, KioskError
from kiosk.domain.model import Lot, LotStatus
from kiosk.services.context import ServiceContext, Settings, SystemClock
from kiosk.services.cost_sheet import cost_sheet
from kiosk.services.demo import DEMO_CLINIC_ID, IMPORT_ORDER, load_demo
from kiosk.services.imports import import_csv
from kiosk.services.kits import Kit, parse_kits
from kiosk.services.labels import lot_label
from kiosk.services.lot_status import set_lot_status
from kiosk.services.ports import Clock, KioskIdentity
from kiosk.services.printing_ports import DocumentRenderer, Printer
from kiosk.services.recalls import AffectedLot, import_recalls, mark_recalls
from kiosk.services.report_export import report_csv
from kiosk.services.reports import Report
from kiosk.services.sync import SyncService

RESOURCES = resources_dir()  # resources/ (kiosk.resources installed): demo, theme, kits…
DEMO_DIR = RESOURCES / "demo"
KITS_FILE = RESOURCES / "kits" / "kits.toml"


@dataclass(frozen=True)
class Kiosk:
    config: KioskConfig
    context: ServiceContext
    config_path: Path | None = None  # the file the config came from (Settings writes it back)


def build(config: KioskConfig, clock: Clock | None = None,
          config_path: Path | None = None) -> Kiosk:
    store = open_store(config.database_path)
    settings = Settings(timezone=config.timezone, expiry_window_days=config.expiry_window_days,
                        max_line_quantity=config.max_line_quantity)
    return Kiosk(config, ServiceContext(store=store, clock=clock or SystemClock(),
                                        settings=settings), config_path)


def open_kiosk(config_path: str | None = None) -> Kiosk:
    """The configured kiosk: --config, else KIOSK_CONFIG, else the platform config file."""
    path = resolve_config_path(config_path)
    return build(load_config(path), config_path=path)


def init_kiosk(config_path: str | None, *, clinic_id: str, workstation_id: str,
               mongo_uri: str = "", data_dir: str | None = None,
               timezone: str = "UTC") -> tuple[Path, KioskIdentity]:
    """Write the config and create the local database with this kiosk's identity."""
    path = resolve_config_path(config_path)
    config = KioskConfig(clinic_id=clinic_id.strip().lower(), workstation_id=workstation_id.strip(),
                         data_dir=str(Path(data_dir or default_data_dir()).resolve()),
                         mongo_uri=mongo_uri, timezone=timezone)
    identity = initialize_store(config.database_path, config.clinic_id, config.workstation_id)
    for private in (Path(config.data_dir), config.database_path):  # it names patients
        make_private(private)
    save_config(config, path)
    return path, identity


def demo_files() -> dict[str, str]:
    return {kind: (DEMO_DIR / f"{kind}.csv").read_text(encoding="utf-8") for kind in IMPORT_ORDER}


def demo_timezone() -> str:
    return tomllib.loads((DEMO_DIR / "clinic.toml").read_text(encoding="utf-8"))["timezone"]


def seed_demo(kiosk: Kiosk) -> dict[str, int]:
    return load_demo(kiosk.context, demo_files())


def open_demo_kiosk(data_dir: Path | None = None) -> Kiosk:
    """A self-contained demo kiosk (its own config and data), seeded on first use."""
    home = data_dir or default_data_dir() / "demo"
    config_path = home / "config.toml"
    if not config_path.exists():
        init_kiosk(str(config_path), clinic_id=DEMO_CLINIC_ID, workstation_id="demo-chair-1",
                   data_dir=str(home), timezone=demo_timezone())
    kiosk = open_kiosk(str(config_path))
    with kiosk.context.store.read() as tx:
        empty = not tx.all_items()
    if empty:
        seed_demo(kiosk)
    return kiosk


def load_kits(path: Path | None = None) -> list[Kit]:
    """The procedure kits offered at the placement screen (none when the file is absent)."""
    path = path or KITS_FILE
    return parse_kits(path.read_text(encoding="utf-8")) if path.exists() else []


def doctor_checks(config_path: str | None = None) -> list[Check]:
    return run_checks(resolve_config_path(config_path))


@contextmanager
def import_target(kiosk: Kiosk) -> Iterator[ServiceContext]:
    """Where `kiosk import` writes: the clinic's catalog on the central server when the config
    has a mongo_uri (one MongoDB transaction per file), else the local store as before.

    Use as ``with import_target(kiosk) as ctx: import_csv(ctx, kind, text)``; the central
    connection is closed when the block ends (the local store stays the kiosk's).
    """
    if not kiosk.config.mongo_uri:
        yield kiosk.context
        return
    store = MongoCatalogStore.from_uri(kiosk.config.mongo_uri, kiosk.config.clinic_id,
                                       clock=kiosk.context.clock)
    with store:
        yield replace(kiosk.context, store=store)


IMPORT_ATTEMPTS = 4


def import_file(kiosk: Kiosk, kind: str, text: str,
                sleep: Callable[[float], None] = time.sleep) -> int:
    """`kiosk import KIND FILE`: one all-or-nothing import into ``import_target``; returns the
    rows imported. A central import aborted because a kiosk's sync wrote the same documents at
    the same moment is run again (a few times, backing off); every other error is final."""
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            with import_target(kiosk) as ctx:
                return import_csv(ctx, kind, text)
        except KioskError as error:
            if attempt == IMPORT_ATTEMPTS or not _caused_by(error, ImportConflict):
                raise
            sleep(0.25 * 2 ** attempt)
    raise AssertionError("unreachable")


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__
    return False


def central_init(config_path: str | None = None) -> list[str]:
    """`kiosk central init`: create the central collections and indexes the configured server
    lacks (idempotent); returns the names of the indexes created."""
    return init_central(_central_uri(load_config(resolve_config_path(config_path))))


@contextmanager
def central_for(kiosk: Kiosk) -> Iterator[MongoCentral]:
    """This kiosk's view of its clinic on the central server; the client closes afterwards."""
    uri = _central_uri(kiosk.config)
    with kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    central = MongoCentral.from_uri(uri, kiosk.config.clinic_id, kiosk_id)
    try:
        yield central
    finally:
        central.close()


def _central_uri(config: KioskConfig) -> str:
    if not config.mongo_uri:
        raise ConfigError("This kiosk has no central server configured; run `kiosk init` "
                          "with --mongo-uri first.")
    return config.mongo_uri


def sync_service(kiosk: Kiosk) -> tuple[SyncService, Callable[[], None]] | None:
    """The kiosk's sync service and a function that closes its central client; None for a
    local-only kiosk (no mongo_uri). Reads the local store: call it off the GUI thread."""
    if not kiosk.config.mongo_uri:
        return None
    with kiosk.context.store.read() as tx:
        kiosk_id = tx.identity().kiosk_id
    central = MongoCentral.from_uri(kiosk.config.mongo_uri, kiosk.config.clinic_id, kiosk_id)
    return SyncService(kiosk.context, central), central.close


def serial_scanner(port: str, on_scan: Callable[[str], None],
                   on_state: Callable[[str, str], None]) -> SerialScanner:
    """A serial scanner on ``port`` (a device path or pyserial URL such as ``loop://``), not
    yet started: call ``start()`` and, at shutdown, ``stop()``. Its callbacks run on the
    scanner's reader thread."""
    return SerialScanner(port, on_scan, on_state)


def sound_player() -> SoundPlayer:
    """Plays a WAV without blocking the caller (winsound, else paplay/aplay/afplay on PATH);
    a silent no-op where neither exists."""
    return SoundPlayer()


def document_renderer() -> DocumentRenderer:
    """The DocumentRenderer port (reportlab + zxing-cpp); loaded only when a PDF is made."""
    from kiosk.adapters.pdf import PdfRenderer  # noqa: PLC0415 - reportlab loads on demand

    return PdfRenderer()


def system_printer() -> Printer:
    """The Printer port: the OS spooler (lp)."""
    from kiosk.adapters.printing import SpoolerPrinter  # noqa: PLC0415

    return SpoolerPrinter()


def print_in_background(path: str, printer: str | None, copies: int = 1) -> Future[str]:
    """Queue a print job on the printing thread; returns a Future of the spooler's reply."""
    from kiosk.adapters.printing import print_in_background as submit  # noqa: PLC0415

    return submit(system_printer(), path, printer, copies)


def clinic_name(kiosk: Kiosk) -> str:
    """The name printed on documents: the demo clinic's name, else the clinic id."""
    if kiosk.config.clinic_id == DEMO_CLINIC_ID:
        return tomllib.loads((DEMO_DIR / "clinic.toml").read_text(encoding="utf-8"))["name"]
    return f"Clinic {kiosk.config.clinic_id}"


PRINTOUTS = "printouts"


def save_cost_sheet(kiosk: Kiosk, actor: str | None, patient_ref: str) -> Path:
    """Render the patient's cost sheet (all treatment plans) to
    ``<data_dir>/printouts/cost-sheet-<chart>-<UTC stamp>.pdf``; returns the path. Reads the
    store and writes a file: call it on the writer executor, never on the GUI thread."""
    sheet = cost_sheet(kiosk.context, actor, patient_ref)
    data = document_renderer().cost_sheet(sheet, clinic_name(kiosk))
    return write_printout(kiosk, f"cost-sheet-{sheet.patient.chart_number}", "pdf", data)


LABEL_SIZE = "2x1"  # the thermal lot label printed when stock is received


def save_lot_labels(kiosk: Kiosk, actor: str, sku: str, lot_number: str, copies: int) -> Path:
    """Render ``copies`` labels of one lot to ``<data_dir>/printouts/labels-<sku>-<lot>-<UTC
    stamp>.pdf``; returns the path. Reads the store and writes a file: writer thread only."""
    label = lot_label(kiosk.context, actor, lot_number, sku)
    data = document_renderer().labels([label] * copies, LABEL_SIZE)
    return write_printout(kiosk, f"labels-{label.sku}-{label.lot}", "pdf", data)


def printout_path(kiosk: Kiosk, name: str, suffix: str, folder: Path | None = None) -> Path:
    """A new file ``<name>-<UTC stamp>.<suffix>`` in ``folder`` (default
    ``<data_dir>/printouts``, created if missing), numbered -2, -3… if the stamp is taken."""
    folder = folder or Path(kiosk.config.data_dir) / PRINTOUTS
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    stem = f"{safe}-{kiosk.context.now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
    path = folder / f"{stem}.{suffix}"
    for n in itertools.count(2):
        if not path.exists():
            return path
        path = folder / f"{stem}-{n}.{suffix}"
    raise AssertionError("unreachable")


def write_printout(kiosk: Kiosk, name: str, suffix: str, data: bytes) -> Path:
    path = printout_path(kiosk, name, suffix)
    path.write_bytes(data)
    return path


def change_lot_status(kiosk: Kiosk, actor: str, sku: str, lot_number: str,  # noqa: PLR0917
                      status: LotStatus | str, reason: str) -> Lot:
    """Quarantine, release or recall a lot: on the central catalog first when this kiosk has
    a mongo_uri (a status changed only here would be undone by the next pull), then locally.
    Talks to the store and the network: call it on the writer thread, never the GUI thread."""
    if kiosk.config.mongo_uri:
        try:
            with import_target(kiosk) as central:
                set_lot_status(central, actor, sku, lot_number, status, reason)
        except CentralUnavailable:
            raise CentralUnavailable(f"The central server cannot be reached, so lot "
                                     f"{lot_number} was not changed; try again when it is "
                                     "back.") from None
    return set_lot_status(kiosk.context, actor, sku, lot_number, status, reason)


def import_recall_file(kiosk: Kiosk, actor: str, text: str) -> list[AffectedLot]:
    """`kiosk recall import` and the recall workbench: mark the lots an openFDA recall file
    names RECALLED, on the central catalog first when this kiosk has a mongo_uri (every kiosk
    pulls the recall from there, and a pull of a lot still ACTIVE centrally would otherwise
    undo a recall marked only here), then locally; returns the affected lots with the patients
    who received them. Call it on the writer thread, never the GUI thread."""
    if kiosk.config.mongo_uri:
        with import_target(kiosk) as central:
            mark_recalls(central, actor, text)
    return import_recalls(kiosk.context, actor, text)


REPORT_FORMATS = ("pdf", "csv")


def save_report(kiosk: Kiosk, report: Report, fmt: str, path: str | Path | None = None,
                extra: tuple[Report, ...] = ()) -> Path:
    """Write ``report`` as a PDF (its own layout, then the ``extra`` tables) or as CSV to
    ``path`` (a file, or a folder to put it in), by default to
    ``<data_dir>/printouts/<title>-<UTC stamp>.<fmt>``; returns the path written. Renders and
    writes a file: call it on the writer thread, never on the GUI thread."""
    if fmt not in REPORT_FORMATS:
        raise KioskError(f"A report is saved as {' or '.join(REPORT_FORMATS)}, not {fmt!r}.")
    target = Path(path).expanduser() if path else Path(kiosk.config.data_dir) / PRINTOUTS
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", report.title.lower()).strip("-") or "report"
    if target.is_dir() or not path:
        target = printout_path(kiosk, slug, fmt, target)
    if fmt == "pdf":
        data = document_renderer().report(report, clinic_name(kiosk), extra)
    else:
        data = report_csv(report).encode("utf-8")
    try:
        target.write_bytes(data)
    except OSError as error:
        raise KioskError(f"Cannot write {target} ({error.strerror or error}); pick another "
                         "place to save it.") from None
    return target


# The Settings screen (issue 6) ------------------------------------------------------------


def _settings_writer(kiosk: Kiosk):
    from kiosk.adapters.config_writer import TomlSettingsWriter  # noqa: PLC0415

    if kiosk.config_path is None:
        raise ConfigError("This kiosk was not opened from a config file, so its settings "
                          "cannot be saved here; use `kiosk init` instead.")
    return TomlSettingsWriter(kiosk.config_path)


def current_settings(kiosk: Kiosk):
    """The Settings screen's keys as the config file has them now (the file, not the
    kiosk's start-up copy: an earlier save may have changed it). Reads a file: call it off
    the GUI thread."""
    from kiosk.adapters.config_writer import settings_of  # noqa: PLC0415

    if kiosk.config_path is None:
        return settings_of(kiosk.config)
    return _settings_writer(kiosk).current()


def save_settings(kiosk: Kiosk, actor: str, settings):
    """Save the Settings screen's keys to the kiosk's config file (admin:configure, checked by
    the service); returns a ``SettingsSaved``. Writes a file: call it off the GUI thread."""
    from kiosk.services.settings import save_settings as save  # noqa: PLC0415

    return save(kiosk.context, actor, _settings_writer(kiosk), settings)


def outbox_view(kiosk: Kiosk, actor: str):
    """The queue IT sees: pending and quarantined counts and events with their reasons
    (admin:configure). Reads the store: call it on the writer thread."""
    from kiosk.services.settings import queue_view  # noqa: PLC0415

    return queue_view(kiosk.context, actor)


def list_printers() -> list[str]:
    """The printers the OS spooler knows ([] without one). Runs lpstat: off the GUI thread."""
    from kiosk.adapters.printing import list_printers as spooler_printers  # noqa: PLC0415

    return spooler_printers()


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    sentence: str  # never holds the URI's user or password


def test_connection(uri: str, clinic_id: str) -> ConnectionTest:
    """Try ``uri`` as this kiosk's central server: one sentence that tells a server that is
    down, a wrong password and a wrong database apart. Talks to the network for a few
    seconds at most: call it off the GUI thread."""
    from kiosk.adapters.mongo.client import redact  # noqa: PLC0415
    from kiosk.adapters.mongo.health import check_central, server_address  # noqa: PLC0415
    from kiosk.services.settings import split_uri  # noqa: PLC0415

    if not uri.strip():
        return ConnectionTest(False, "Type the central server's address first.")
    checks = check_central(uri, clinic_id)
    failed = next((check for check in checks if not check.ok), None)
    if failed is None:
        schema = next((c.detail for c in checks if c.name == "central schema"), "")
        text = f"Connected to {server_address(uri)}: {schema}."
    elif failed.detail[:1].isupper():
        text = failed.detail if failed.detail.endswith(".") else f"{failed.detail}."
    else:
        text = f"The {failed.name} check failed: {failed.detail}. {failed.fix}".strip()
    password = split_uri(uri)[2]
    text = redact(text)  # the checks show addresses without credentials; this is a backstop
    if len(password) >= 4:  # a shorter one would blank out ordinary words
        text = text.replace(password, "***")
    return ConnectionTest(failed is None, text)


def save_test_page(kiosk: Kiosk, printer: str) -> Path:
    """Render a printer test page (one 4×2 in label naming this workstation and the printer)
    to ``<data_dir>/printouts/test-page-<UTC stamp>.pdf``; returns the path. Renders and writes
    a file: call it off the GUI thread."""
    from kiosk.services.labels import LabelData  # noqa: PLC0415

    now = kiosk.context.now().astimezone(UTC)
    label = LabelData(item_name=f"Printer test · {kiosk.config.workstation_id}",
                      sku="TEST-PAGE", gtin="00000000000000", lot="TEST",
                      expiry=None, vendor=printer or "default printer", received=now.date())
    data = document_renderer().labels([label], size="4x2")
    folder = Path(kiosk.config.data_dir) / PRINTOUTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"test-page-{now:%Y%m%dT%H%M%S%fZ}.pdf"
    path.write_bytes(data)
    return path


# Operations for IT (issue 7): log files, database backup and restore.

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
    return info, safety, config.database_path


def migrate_kiosk(config_path: str | None) -> tuple[Path, str | None, str, Path | None]:
    """`kiosk migrate`: upgrade the database now (backup first); returns its path, the schema
    it had, the schema it has, and the backup taken (None when it was already current)."""
    path = load_config(resolve_config_path(config_path)).database_path
    before, backup = upgrade_existing(path)
    return path, before, head_revision(), backup
