"""The application object: the ports and one handler per use case.

``bootstrap`` builds one ``KioskApp``; the UI and the CLI receive it and call the same
handlers. Nothing here imports an adapter: every outside thing is a port. Handlers that talk
to the store, the network or the disk say so; call them off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.domain.errors import ConfigError
from kiosk.domain.follow_up import FollowUpKey, FollowUpStatus, FollowUpStep
from kiosk.domain.model import Staff, Usage
from kiosk.domain.webhooks import RetryPolicy
from kiosk.services import chairside
from kiosk.services import sign_in as signing
from kiosk.services.app_ports import (
    CentralCatalog,
    CentralConnector,
    ConnectionProbe,
    FileSink,
    ScanCallback,
    ScannerDevice,
    ScannerFactory,
    SoundDevice,
    StateCallback,
)
from kiosk.services.catalog_writes import CatalogWrites
from kiosk.services.config import KioskConfig
from kiosk.services.context import ServiceContext
from kiosk.services.demo import load_demo
from kiosk.services.fleet import Fleet, fleet
from kiosk.services.follow_up_ports import RecallFollowUps
from kiosk.services.kits import Kit
from kiosk.services.lookup import find_actor
from kiosk.services.placement import Placement
from kiosk.services.printing_ports import DocumentRenderer, Printer, print_copies
from kiosk.services.printouts import Printouts
from kiosk.services.recall_follow_up import (
    AffectedPatient,
    RecallFollowUpList,
    find_follow_up,
    follow_up_list,
    record_step,
)
from kiosk.services.recall_watch import (
    DailyRecallWatch,
    WatchReport,
    acknowledge,
    alerts_for,
    run_watch,
)
from kiosk.services.recall_watch_ports import (
    RecallAlert,
    RecallFeed,
    RecallWatchLog,
)
from kiosk.services.recalls import AffectedLot, RecallOutcome
from kiosk.services.settings import (
    ConnectionTest,
    KioskSettings,
    QueueView,
    SettingsSaved,
    SettingsWriter,
    queue_view,
    save_settings,
    test_connection,
)
from kiosk.services.sync import SyncService
from kiosk.services.sync_ports import CentralStore
from kiosk.services.sync_push import push_chairside
from kiosk.services.webhook_ports import Webhook, WebhookPorts, WebhookStatus
from kiosk.services.webhooks import (
    WebhookDispatcher,
    add_webhook,
    remove_webhook,
    webhook_statuses,
)


@dataclass(frozen=True)
class AppPorts:
    """What the application needs from outside, beyond the store and the clock."""

    files: FileSink
    renderer: Callable[[], DocumentRenderer]  # loaded only when a document is made
    printer: Printer
    printers: Callable[[], list[str]]  # the printers the OS knows
    connection_probe: ConnectionProbe
    scanner: ScannerFactory
    sound: Callable[[], SoundDevice]
    kits: Callable[[], list[Kit]]
    demo_files: Callable[[], Mapping[str, str]]
    central_catalog: CentralCatalog | None = None  # None for a local-only kiosk
    central: CentralConnector | None = None
    settings_file: SettingsWriter | None = None  # None when not opened from a config file
    recall_feed: RecallFeed | None = None  # openFDA, for the recall watch
    recall_watch_log: RecallWatchLog | None = None  # seen recalls, runs and alerts
    follow_ups: RecallFollowUps | None = None  # where recall follow-ups are kept
    webhooks: Callable[[], WebhookPorts] | None = None  # the clinic's webhooks (central)


@dataclass
class KioskApp:
    config: KioskConfig
    context: ServiceContext
    ports: AppPorts
    clinic_name: str
    config_path: Path | None = None  # the file the config came from (Settings writes it back)
    printouts: Printouts = field(init=False)
    catalog: CatalogWrites = field(init=False)

    def __post_init__(self) -> None:
        self.printouts = Printouts(self.context, self.ports.files, self.ports.renderer,
                                   self.clinic_name, self.config.workstation_id)
        self.catalog = CatalogWrites(self.context, self.ports.central_catalog)

    # chairside -------------------------------------------------------------------------------

    def sign_in(self, badge: str, pin: str) -> Staff:
        """The staff member whose badge and PIN match; a wrong PIN counts towards the
        person's lockout (``SignInRefused``). Reads and writes the store."""
        return signing.sign_in(self.context, badge, pin)

    def unlock_sign_in(self, manager_badge: str, manager_pin: str, locked_badge: str) -> str:
        """A manager (``staff:unlock``) lifts the wrong-PIN lock of ``locked_badge``'s
        person; returns that person's name. Reads and writes the store."""
        return signing.unlock(self.context, manager_badge, manager_pin, locked_badge)

    def place(self, staff: Staff, commands: Sequence[Placement]) -> list[Usage]:
        return chairside.place(self.context, staff, commands)

    def load_kits(self) -> list[Kit]:
        """The procedure kits offered at the placement screen (none when there is no file)."""
        return self.ports.kits()

    def seed_demo(self) -> dict[str, int]:
        return load_demo(self.context, self.ports.demo_files())

    # recalls ----------------------------------------------------------------------------------

    def import_recall_file(self, actor: str, text: str) -> list[AffectedLot]:
        """``recall import``: mark the file's lots (central first) and raise an alert for
        each recall that marked lots, as the watch does. Store and network."""
        return self.import_recall_outcome(actor, text).affected

    def import_recall_outcome(self, actor: str, text: str) -> RecallOutcome:
        """``import_recall_file`` with the file's recalls and its name-only matches to
        review (never marked). Store and network."""
        outcome = self.catalog.import_recall_outcome(actor, text)
        if self.ports.recall_watch_log is not None and (outcome.affected or outcome.review):
            with self.context.store.read() as tx:
                by = find_actor(tx, actor).id
            self.ports.recall_watch_log.add_alerts(
                alerts_for(outcome.affected, self.context.now(), by, by,
                           review=outcome.review, notices=outcome.notices))
        return outcome

    def watch_recalls(self, actor: str | None = None) -> WatchReport:
        """One recall watch run: ``actor`` (a person), else the system principal
        ``recall-watch`` for the configured manager. Network and store: never on the GUI
        thread. Raises a KioskError (one sentence) and changes nothing when it cannot."""
        if self.ports.recall_feed is None or self.ports.recall_watch_log is None:
            raise ConfigError("This kiosk has no recall feed set up.")
        return run_watch(self.context, self.ports.recall_feed, self.ports.recall_watch_log,
                         self.catalog.import_recall_outcome,
                         product_codes=self.config.product_codes, firms=self.config.firms,
                         actor=actor, authorized_by=self.config.recall_watch_authorized_by)

    def recall_alerts(self, open_only: bool = True) -> list[RecallAlert]:
        """The recall alerts (open ones unless told otherwise), newest first. Store."""
        if self.ports.recall_watch_log is None:
            return []
        return self.ports.recall_watch_log.alerts(open_only)

    def acknowledge_recall(self, actor: str, recall_number: str) -> RecallAlert:
        """A manager acknowledges a recall's alert (inventory:adjust); who and when kept."""
        if self.ports.recall_watch_log is None:
            raise ConfigError("This kiosk keeps no recall alerts.")
        return acknowledge(self.context, self.ports.recall_watch_log, actor, recall_number)

    # recall follow-through -------------------------------------------------------------------

    def _follow_ups(self) -> RecallFollowUps:
        if self.ports.follow_ups is None:
            raise ConfigError("This kiosk was built without a place for recall follow-ups.")
        return self.ports.follow_ups

    def recall_follow_ups(self, actor: str, recall_number: str, *, sku: str | None = None,
                          lot_number: str | None = None) -> RecallFollowUpList:
        """The recall's affected patients and each one's follow-up (inventory:adjust and
        appliance:read). Reads the store and talks to the network."""
        return follow_up_list(self.context, self._follow_ups(), actor, recall_number,
                              sku=sku, lot_number=lot_number)

    def find_follow_up(self, actor: str, recall_number: str, patient: str, *,
                       sku: str | None = None, lot_number: str | None = None) -> AffectedPatient:
        """One affected patient of the recall, by id or chart number. Reads the store and
        talks to the network."""
        return find_follow_up(self.context, self._follow_ups(), actor, recall_number, patient,
                              sku=sku, lot_number=lot_number)

    def take_follow_up_step(self, actor: str, key: FollowUpKey, status: FollowUpStatus, *,
                            note: str | None = None) -> FollowUpStep:
        """Move one patient's follow-up to its next status. Writes the store or the
        central server; when that cannot be reached nothing is written."""
        return record_step(self.context, self._follow_ups(), actor, key, status, note=note)

    # central server -------------------------------------------------------------------------

    def kiosk_id(self) -> str:
        with self.context.store.read() as tx:
            return tx.identity().kiosk_id

    @contextmanager
    def central(self) -> Iterator[CentralStore]:
        """This kiosk's view of its clinic on the central server; closed afterwards."""
        if self.ports.central is None:
            raise ConfigError("This kiosk has no central server configured; run `kiosk init` "
                              "with --mongo-uri first.")
        central = self.ports.central.connect(self.kiosk_id())
        try:
            yield central
        finally:
            central.close()

    def sync_service(self) -> tuple[SyncService, Callable[[], None]] | None:
        """The sync service and a function that closes its connection; None for a
        local-only kiosk. Reads the local store: call it off the GUI thread."""
        if self.ports.central is None:
            return None
        central = self.ports.central.connect(self.kiosk_id())
        return SyncService(self.context, central, push=push_chairside,
                           recall_watch=self.daily_recall_watch()), central.close

    def daily_recall_watch(self) -> DailyRecallWatch | None:
        """The sync service's daily recall watch; None when nothing is set to watch."""
        watch_log = self.ports.recall_watch_log
        if watch_log is None or not (self.config.product_codes or self.config.firms):
            return None
        return DailyRecallWatch(self.context, self.watch_recalls, watch_log.last_run)

    # webhooks (issue 17 item 5) -------------------------------------------------------------

    @contextmanager
    def _webhooks(self) -> Iterator[WebhookPorts]:
        if self.ports.webhooks is None:
            raise ConfigError("This kiosk has no central server configured, so there are no "
                              "webhooks; run `kiosk init` with --mongo-uri first.")
        ports = self.ports.webhooks()
        try:
            yield ports
        finally:
            ports.store.close()

    def add_webhook(self, actor: str, url: str, events: list[str]) -> Webhook:
        """A new webhook of the clinic (admin:configure); the result holds its secret, the
        only time it is shown. Network."""
        with self._webhooks() as ports:
            return add_webhook(self.context, ports, actor, url, events)

    def remove_webhook(self, actor: str, webhook_id: str) -> None:
        """Stop sending to one webhook of the clinic (admin:configure). Network."""
        with self._webhooks() as ports:
            remove_webhook(self.context, ports, actor, webhook_id)

    def webhook_statuses(self, actor: str | None = None) -> list[WebhookStatus]:
        """The clinic's webhooks, dead-letter counts and last deliveries. Network."""
        with self._webhooks() as ports:
            return webhook_statuses(self.context, ports, actor)

    def run_webhooks(self, policy: RetryPolicy, sleep: Callable[[float], object],
                     stopping: Callable[[], bool]) -> None:
        """Deliver the clinic's events until ``stopping()`` (`kiosk api webhooks run`).
        Blocks; network; raises CentralUnavailable when the server goes away."""
        with self._webhooks() as ports:
            WebhookDispatcher(self.context, ports, self.config.clinic_id, policy, sleep,
                              stopping).run()

    # settings and devices -------------------------------------------------------------------

    def current_settings(self) -> KioskSettings:
        """The Settings screen's keys as the config file has them now. Reads a file."""
        if self.ports.settings_file is None:
            return KioskSettings(printer=self.config.printer,
                                 scanner_port=self.config.scanner_port,
                                 idle_timeout_s=self.config.idle_timeout_s,
                                 mongo_uri=self.config.mongo_uri)
        return self.ports.settings_file.current()

    def save_settings(self, actor: str, settings: KioskSettings) -> SettingsSaved:
        """Save the Settings screen's keys (admin:configure). Writes a file."""
        if self.ports.settings_file is None:
            raise ConfigError("This kiosk was not opened from a config file, so its settings "
                              "cannot be saved here; use `kiosk init` instead.")
        return save_settings(self.context, actor, self.ports.settings_file, settings)

    def outbox_view(self, actor: str) -> QueueView:
        """The queue IT sees (admin:configure). Reads the store."""
        return queue_view(self.context, actor)

    def fleet(self, actor: str | None = None) -> Fleet:
        """The clinic's workstations from their heartbeats (inventory:read). Reads the store
        and talks to the network."""
        return fleet(self.context, actor)

    def test_connection(self, uri: str, clinic_id: str) -> ConnectionTest:
        """One sentence on ``uri`` as this kiosk's server. Talks to the network."""
        return test_connection(self.ports.connection_probe, uri, clinic_id)

    def list_printers(self) -> list[str]:
        """The printers the OS spooler knows ([] without one). Runs a program."""
        return self.ports.printers()

    def print_file(self, path: str | Path, printer: str | None = None, copies: int = 1) -> str:
        """Send a file to ``printer`` (None: the system default); returns the spooler's
        reply. Runs a program: call it on the printer executor."""
        return self.ports.printer.print_file(str(path), printer, print_copies(copies))

    def serial_scanner(self, port: str, on_scan: ScanCallback,
                       on_state: StateCallback) -> ScannerDevice:
        """A serial scanner on ``port``, not yet started; its callbacks run on its thread."""
        return self.ports.scanner(port, on_scan, on_state)

    def sound_player(self) -> SoundDevice:
        return self.ports.sound()
