"""The Settings screen's central server part: address, login and a "Test connection" that
tells a down server, a wrong password and a wrong database apart.

The URI may carry a password, so it is never put back on screen: the address and the user
are shown, the password field stays empty ("kept" when one is saved) and is masked while
typed. The probe runs on a thread of its own, not the writer: a server that does not answer
must not hold up a placement queued behind it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from kiosk import bootstrap
from kiosk.services.settings import hide_credentials, join_uri, mask_uri, split_uri
from kiosk.ui.widgets import hbox, line_edit, message_label, set_tone, touch_button, vbox
from kiosk.ui.workers import describe

log = logging.getLogger(__name__)


def heading(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class OffThread(QObject):
    """Runs one callable at a time on a short-lived daemon thread; ``done(result)`` comes on
    the GUI thread (an exception arrives as its one-sentence description, a ``str``)."""

    done = Signal(object)
    _finished = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.busy = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, fn: Callable[[], Any]) -> bool:
        """False (and nothing started) while the previous call is still running."""
        if self.busy:
            return False
        self.busy = True

        def body() -> None:
            try:
                result: object = fn()
            except Exception as error:  # one sentence on screen; the traceback in the log
                log.warning("%s failed", self._name, exc_info=True)
                result = describe(error)
            with contextlib.suppress(RuntimeError):  # the screen closed meanwhile
                self._finished.emit(result)

        threading.Thread(target=body, name=self._name, daemon=True).start()
        return True

    @Slot(object)
    def _deliver(self, result: object) -> None:
        self.busy = False
        self.done.emit(result)


class CentralPanel(QWidget):
    """Edits ``mongo_uri`` as address + user + password; ``uri()`` puts them together."""

    def __init__(self, clinic_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clinic_id = clinic_id
        self._saved_uri = ""  # held for join_uri only; never shown or logged
        self.address = line_edit("settingsServerAddress", "mongodb://host:27017/orthoSupply "
                                                          "(empty: this kiosk works alone)")
        self.user = line_edit("settingsServerUser", "user (optional)")
        self.password = line_edit("settingsServerPassword", "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = touch_button("Test connection", "settingsTestConnection")
        self.result = message_label("settingsConnectionResult")
        self._probe = OffThread("kiosk-settings-probe", self)
        self._probe.done.connect(self._on_tested)
        self.test_button.clicked.connect(self.on_test)
        self.setLayout(box := vbox(heading("Central server", "settingsServerHeading"), self.address,
                                   hbox((self.user, 1), (self.password, 1)),
                                   hbox(self.test_button, 1), self.result))
        box.setContentsMargins(0, 0, 0, 0)

    def load(self, uri: str) -> None:
        """Show a saved URI: address and user; the password stays off screen."""
        self._saved_uri = uri
        address, user, password = split_uri(uri)
        self.address.setText(address)
        self.user.setText(user)
        self.password.clear()
        self.password.setPlaceholderText("password (saved one kept)" if password
                                         else "password")

    def uri(self) -> str:
        return join_uri(self.address.text(), self.user.text(), self.password.text(),
                        self._saved_uri)

    def on_test(self) -> None:
        uri, clinic_id = self.uri(), self._clinic_id
        if not uri:
            set_tone(self.result, "warn", "Type the central server's address first.")
            return
        def probe() -> bootstrap.ConnectionTest | str:
            try:
                return bootstrap.test_connection(uri, clinic_id)
            except Exception as error:  # a bug; its text may quote the URI: mask it
                sentence = hide_credentials(describe(error), uri)
                log.warning("Testing the central connection failed: %s", sentence)
                return sentence

        if self._probe.start(probe):
            self.test_button.setEnabled(False)
            set_tone(self.result, "", f"Trying {mask_uri(uri)}…")

    def _on_tested(self, result: bootstrap.ConnectionTest | str) -> None:
        self.test_button.setEnabled(True)
        if isinstance(result, str):
            set_tone(self.result, "error", result)
            return
        set_tone(self.result, "ok" if result.ok else "error", result.sentence)

    def clear(self) -> None:
        self._saved_uri = ""
        for field in (self.address, self.user, self.password):
            field.clear()
        set_tone(self.result, "", "")
