"""The kiosk window: a stack of screens over one kiosk and its one writer executor."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from kiosk.bootstrap import Kiosk
from kiosk.domain.model import Staff
from kiosk.ui.placement_screen import PlacementScreen
from kiosk.ui.sign_in_screen import SignInScreen
from kiosk.ui.widgets import STYLE
from kiosk.ui.workers import Worker


class MainWindow(QMainWindow):
    """Owns the worker unless one is given; closing the window drains and stops it."""

    def __init__(self, kiosk: Kiosk, worker: Worker | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.worker = worker or Worker()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Ortho Supply Kiosk")
        self.setStyleSheet(STYLE)
        ctx = kiosk.context
        self.sign_in = SignInScreen(ctx, self.worker)
        self.placement = PlacementScreen(ctx, self.worker)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.placement)
        self.setCentralWidget(self.stack)
        self.sign_in.signed_in.connect(self.on_signed_in)
        self.placement.signed_out.connect(self.on_signed_out)
        self._stopped = False

    def on_signed_in(self, staff: Staff) -> None:
        self.stack.setCurrentWidget(self.placement)
        self.placement.start(staff)

    def on_signed_out(self) -> None:
        self.stack.setCurrentWidget(self.sign_in)
        self.sign_in.reset("Signed out.")

    def shutdown(self) -> None:
        """Let queued work (perhaps a placement being committed) finish, then stop the thread."""
        if not self._stopped:
            self._stopped = True
            self.worker.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
