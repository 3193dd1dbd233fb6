"""Screenshots of the back-office settings screens (issue 6; being built)."""

from __future__ import annotations

from kiosk.ui.main_window import MainWindow
from kiosk.ui.screenshots import Shooter


def drive(window: MainWindow, shoot: Shooter) -> None:
    """Open each screen, fill it with demo data and ``shoot`` it."""
