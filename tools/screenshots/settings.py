"""Screenshots of the back-office Settings section: the form, and the sync queue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

from kiosk.ui.common.workers import Task
from kiosk.ui.main_window import MainWindow
from tools.screenshots.helpers import Shooter, open_section, tap, wait_until

SHOWN_REASON = ("The central server already holds a different event with this id "
                "(payload hash mismatch).")


def drive(window: MainWindow, shoot: Shooter) -> None:
    """Open each screen, fill it with demo data and ``shoot`` it."""
    section = open_section(window, "it_admin", "settings")
    # the previous user's tab buttons go with deleteLater, which processEvents() alone never
    # carries out (only an event loop does); without this they would share the tab row
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    wait_until(lambda: section.saved is not None, "the saved settings")
    section.scanner.port.setText("/dev/serial/by-id/usb-Honeywell_Scanner-if00")
    section.central.address.setText("mongodb://central.lakeside.lan:27017/orthoSupply")
    section.central.user.setText("kiosk-chair-1")
    shoot("settings")

    # The demo queue holds the placements made for the earlier screenshots; one is shown
    # quarantined, as the sync would leave it after a payload clash, to show the reason.
    store = window.kiosk.context.store
    done: list[bool] = []

    def quarantine_one() -> None:
        with store.write() as tx:
            entries = tx.unsynced_events(1)
            if entries:
                tx.mark_quarantined([entries[0].event_id], SHOWN_REASON)

    Task(window.worker, quarantine_one).success(lambda _: done.append(True)).run()
    wait_until(lambda: done, "the demo queue")
    tap(section.queue_button)
    wait_until(lambda: section.queue.view is not None, "the sync queue")
    shoot("sync-queue")
