"""Screenshots of the back-office recall workbench and reports screens (issue 6).

The recall workbench is shot at its confirmation step and then left. ``drive_follow_up``, run
last of all (so no earlier screenshot sees a recalled lot), confirms that recall and shoots the
follow-through with one patient marked contacted."""

from __future__ import annotations

from PySide6.QtTest import QTest

from kiosk.ui.main_window import MainWindow
from tools.screenshots.helpers import (
    SIZE,
    Shooter,
    open_section,
    settle,
    sign_out,
    tap,
    usable_scan,
    wait_until,
)

SKU = "BRK-MBT-U1R"  # placed with the "Upper bond-up" kit earlier in the run


def drive(window: MainWindow, shoot: Shooter) -> None:
    """Open each screen, fill it with demo data and ``shoot`` it."""
    recalls = open_section(window, "inventory_manager", "recalls")
    window.on_scanned(usable_scan(SKU))
    wait_until(lambda: recalls.lookup is not None and recalls.table.rowCount() > 0,
               "the patients who received the lot")
    QTest.keyClicks(recalls.reason_field, "FDA Z-0101-2027: base pad may detach")
    tap(recalls.mark_button)
    wait_until(lambda: recalls.message.property("tone") == "warn", "the recall confirmation")
    shoot("recall-workbench")

    sign_out(window)
    reports = open_section(window, "clinic_manager", "reports")
    tap(reports.kind_buttons["supply-costs"])
    wait_until(lambda: reports.result is not None and reports.result.kind == "supply-costs",
               "the supply-costs report")
    shoot("reports")


def drive_follow_up(window: MainWindow, shoot: Shooter) -> None:
    """Recall the lot shot above and record the first patient's call. The window is sized
    back to 1280×800, but the settings section built before keeps it as tall as its own
    screenshots."""
    sign_out(window)
    recalls = open_section(window, "inventory_manager", "recalls")
    window.on_scanned(usable_scan(SKU))
    wait_until(lambda: recalls.lookup is not None, "the lot")
    QTest.keyClicks(recalls.reason_field, "FDA Z-0101-2027: base pad may detach")
    tap(recalls.mark_button)
    tap(recalls.mark_button)  # the second tap confirms
    panel = recalls.follow_up
    wait_until(lambda: panel.table.rowCount() > 0, "the recall's follow-up")
    panel.table.selectRow(0)
    panel.note_field.setText("Spoke to his mother; he comes in on Friday")
    tap(panel.step_button)
    wait_until(lambda: "is contacted" in recalls.message.text(), "the step recorded")
    window.keyboard.hide()
    panel.table.selectRow(0)
    window.resize(*SIZE)
    settle()
    shoot("recall-follow-up")
