"""Screenshots of the back-office recall workbench and reports screens (issue 6).

The recall workbench is shot at its confirmation step and then left: no lot of the demo
kiosk is recalled by the screenshots."""

from __future__ import annotations

from PySide6.QtTest import QTest

from kiosk.ui.main_window import MainWindow
from tools.screenshots.helpers import Shooter, open_section, sign_out, tap, usable_scan, wait_until

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

