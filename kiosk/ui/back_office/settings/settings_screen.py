"""The Settings section (admin:configure): printer, scanner port, idle timeout and central
server, saved to the kiosk's config file; the sync queue with "Sync now"; and the clinic's
workstations from their heartbeats.

Three pages behind three touch buttons: "Devices & server" (the form and Save), "Sync queue"
and "Workstations" (read from the central server each time it is shown, or on Refresh).
Saving goes through ``KioskApp.save_settings`` (the service checks admin:configure again)
on the writer thread; what can change live does at once (the idle timeout of the window's
``IdleWatcher``), and the sentence says what waits for a restart: the scanner port and the
central server are opened at start-up, and the screens print to the printer of the start-up
config (the test print here uses the printer chosen on screen).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QSpinBox, QStackedWidget, QWidget

from kiosk.services.settings import MAX_IDLE_S, MIN_IDLE_S, KioskSettings, SettingsSaved
from kiosk.ui.back_office.section import Section
from kiosk.ui.back_office.settings.settings_central import CentralPanel, heading
from kiosk.ui.back_office.settings.settings_devices import PrinterPanel, ScannerPanel
from kiosk.ui.back_office.settings.settings_fleet import FleetPanel
from kiosk.ui.back_office.settings.settings_queue import QueuePanel
from kiosk.ui.common.idle import IdleWatcher
from kiosk.ui.common.sync_bar import SyncBar
from kiosk.ui.common.widgets import hbox, named, touch_button, vbox


class SettingsScreen(Section):
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "settingsSection", parent)
        self.saved: KioskSettings | None = None
        self.printer = PrinterPanel(kiosk, worker)
        self.scanner = ScannerPanel(kiosk.config.scanner_port, kiosk.serial_scanner)
        self.central = CentralPanel(kiosk, worker)
        self.idle = named(QSpinBox(), "settingsIdle")
        self.idle.setRange(MIN_IDLE_S, MAX_IDLE_S)
        self.idle.setSingleStep(15)
        self.idle.setSuffix(" s")
        self.idle.setMinimumWidth(160)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # its arrows are too small to touch (the buttons beside it step instead); NoButtons
        # would squeeze the text to nothing under the theme's padding
        self.idle.setStyleSheet("QSpinBox::up-button, QSpinBox::down-button "
                                "{ width: 0px; border: none; }")
        self.idle_less = touch_button("−15 s", "settingsIdleLess")
        self.idle_more = touch_button("+15 s", "settingsIdleMore")
        self.idle_less.clicked.connect(self.idle.stepDown)
        self.idle_more.clicked.connect(self.idle.stepUp)
        self.save_button = touch_button("Save settings", "settingsSave")
        self.save_button.clicked.connect(self.on_save)
        self.queue = QueuePanel(self.load_queue, self.ctx.settings.timezone)
        self.fleet = FleetPanel(kiosk, worker, lambda: self.actor, self.ctx.settings.timezone)
        self.pages = named(QStackedWidget(), "settingsPages")
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self.queue)
        self.pages.addWidget(self.fleet)
        self.form_button = touch_button("Devices && server", "settingsFormPage")
        self.queue_button = touch_button("Sync queue", "settingsQueuePage")
        self.fleet_button = touch_button("Workstations", "settingsFleetPage")
        self.page_buttons = (self.form_button, self.queue_button, self.fleet_button)
        group = QButtonGroup(self)
        for index, button in enumerate(self.page_buttons):
            button.setCheckable(True)
            group.addButton(button)
            button.clicked.connect(lambda _=False, i=index: self.show_page(i))
        self.form_button.setChecked(True)
        self.setLayout(vbox(hbox(*self.page_buttons, 1), (self.pages, 1), self.message))

    def _form_page(self) -> QWidget:
        idle_row = hbox(self.idle_less, self.idle, self.idle_more, 1)
        left = vbox(self.printer, self.scanner,
                    heading("Sign out after this long without a touch, key or scan",
                            "settingsIdleHeading"), idle_row, 1)
        right = vbox(self.central, 1, hbox(1, self.save_button))
        page = QWidget()
        page.setLayout(box := hbox((left, 1), (right, 1)))
        box.setSpacing(32)
        return page

    # lifecycle ----------------------------------------------------------------------------
    def on_start(self) -> None:
        self.show_page(0)
        self.queue.attach(self._host_part("sync_bar", SyncBar))
        kiosk = self.kiosk
        self.run(kiosk.current_settings, self.show_settings)
        self.load_queue()

    def on_stop(self) -> None:
        self.scanner.clear()
        self.printer.clear()
        self.central.clear()
        self.queue.clear()
        self.fleet.clear()
        self.saved = None
        self.say("", "")

    def hideEvent(self, event) -> None:  # leaving the screen closes the port under test
        self.scanner.stop_test()
        super().hideEvent(event)

    def on_scanned(self, text: str) -> None:
        """A wedge or the kiosk's own serial scanner: shown in the scanner test list."""
        self.show_page(0)
        self.scanner.show_scan(text)
        self.say("ok", "Scan received; it shows under Scanner.")

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.page_buttons[index].setChecked(True)
        if index == 1:
            self.load_queue()
        elif index == 2:
            self.fleet.refresh()

    # loading and saving ---------------------------------------------------------------------
    def show_settings(self, settings: KioskSettings) -> None:
        self.saved = settings
        self.printer.load(settings.printer)
        self.scanner.port.setText(settings.scanner_port)
        self.idle.setValue(settings.idle_timeout_s)
        self.central.load(settings.mongo_uri)

    def load_queue(self) -> None:
        if self.staff is None:
            return
        kiosk, actor = self.kiosk, self.actor
        self.run(lambda: kiosk.outbox_view(actor), self.queue.show_view)

    def form(self) -> KioskSettings:
        return KioskSettings(printer=self.printer.printer,
                             scanner_port=self.scanner.port.text().strip(),
                             idle_timeout_s=self.idle.value(), mongo_uri=self.central.uri())

    def on_save(self) -> None:
        if self.staff is None:
            return
        kiosk, actor, wanted = self.kiosk, self.actor, self.form()
        self.save_button.setEnabled(False)
        self.say("", "Saving…")
        self.run(lambda: kiosk.save_settings(actor, wanted), self._on_saved,
                 self._on_save_failed)

    def _on_saved(self, saved: SettingsSaved) -> None:
        self.save_button.setEnabled(True)
        self.show_settings(saved.settings)
        watcher = self._host_part("idle", IdleWatcher)
        if watcher is not None:
            watcher.set_timeout(saved.settings.idle_timeout_s)
        self.say("ok", saved.sentence())

    def _on_save_failed(self, sentence: str) -> None:
        self.save_button.setEnabled(True)
        self.say("error", f"{sentence} Nothing was saved.")

    def _host_part(self, name: str, kind: type):
        """The window's ``idle`` watcher or ``sync_bar`` (None outside a kiosk window)."""
        part = getattr(self.window(), name, None)
        return part if isinstance(part, kind) else None
