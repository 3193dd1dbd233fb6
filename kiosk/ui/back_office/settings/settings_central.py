"""The Settings screen's central server part: address, login and a "Test connection" that
tells a down server, a wrong password and a wrong database apart.

The URI may carry a password, so it is never put back on screen: the address and the user
are shown, the password field stays empty ("kept" when one is saved) and is masked while
typed. The probe runs on a thread of its own, not the writer: a server that does not answer
must not hold up a placement queued behind it.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from kiosk.app import KioskApp
from kiosk.services.settings import ConnectionTest, hide_credentials, join_uri, mask_uri, split_uri
from kiosk.ui.common.widgets import hbox, line_edit, message_label, set_tone, touch_button, vbox
from kiosk.ui.common.workers import NETWORK, OneAtATime, Runner, describe

log = logging.getLogger(__name__)


def heading(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class CentralPanel(QWidget):
    """Edits ``mongo_uri`` as address + user + password; ``uri()`` puts them together."""

    def __init__(self, kiosk: KioskApp, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._clinic_id = kiosk.config.clinic_id
        self._saved_uri = ""  # held for join_uri only; never shown or logged
        self.address = line_edit("settingsServerAddress", "mongodb://host:27017/orthoSupply "
                                                          "(empty: this kiosk works alone)")
        self.user = line_edit("settingsServerUser", "user (optional)")
        self.password = line_edit("settingsServerPassword", "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = touch_button("Test connection", "settingsTestConnection")
        self.result = message_label("settingsConnectionResult")
        self._probe = OneAtATime(runner, NETWORK)
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
        uri, clinic_id, kiosk = self.uri(), self._clinic_id, self._kiosk
        if not uri:
            set_tone(self.result, "warn", "Type the central server's address first.")
            return
        def failed(error: BaseException) -> None:  # a bug; its text may quote the URI: mask it
            sentence = hide_credentials(describe(error), uri)
            log.warning("Testing the central connection failed: %s", sentence)
            self._on_tested(sentence)

        if self._probe.start(lambda: kiosk.test_connection(uri, clinic_id), self._on_tested,
                             failed):
            self.test_button.setEnabled(False)
            set_tone(self.result, "", f"Trying {mask_uri(uri)}…")

    def _on_tested(self, result: ConnectionTest | str) -> None:
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
