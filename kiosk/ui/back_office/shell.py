"""The back office: a row of section tabs (only those the user may open) over one section.

Sections are built the first time they are opened (start-up stays fast) and kept; each is
started for the signed-in user when shown and stopped at sign-out. Scans go to the section
showing. ``chairside`` asks the window for the placement screen; ``signed_out`` leaves.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QStackedWidget, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission, role_label
from kiosk.ui.back_office.back_office_sections import SectionSpec, sections_for
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.widgets import hbox, named, touch_button, vbox
from kiosk.ui.common.workers import Worker


class BackOfficeScreen(QWidget):
    signed_out = Signal()
    chairside = Signal()
    said = Signal(str)  # tone of each section message, for the scan feedback

    def __init__(self, kiosk: Kiosk, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backOfficeScreen")
        self._kiosk = kiosk
        self._worker = worker
        self.staff: Staff | None = None
        self.sections: dict[str, Section] = {}
        self.tabs: dict[str, QPushButton] = {}
        self._specs: tuple[SectionSpec, ...] = ()
        self.staff_label = named(QLabel(""), "backOfficeStaff")
        self.chairside_button = touch_button("Chairside", "chairsideButton")
        self.sign_out_button = touch_button("Sign out", "backOfficeSignOut")
        self.tab_row = hbox()
        self.tab_group = QButtonGroup(self)
        self.tab_group.setExclusive(True)
        self.stack = named(QStackedWidget(), "backOfficeStack")
        self.setLayout(vbox(hbox((self.staff_label, 1), self.chairside_button,
                                 self.sign_out_button),
                            self.tab_row,  # its own row, so no tab is cut at 1024×768
                            (self.stack, 1)))
        self.chairside_button.clicked.connect(self.chairside.emit)
        self.sign_out_button.clicked.connect(self.on_sign_out)

    def start(self, staff: Staff, key: str | None = None) -> None:
        """Show the back office for ``staff``: their tabs, then ``key`` (or the first)."""
        self.staff = staff
        self.staff_label.setText(f"{staff.name} ({role_label(staff.role)})")
        self.chairside_button.setVisible(has_permission(staff.role, Permission.APPLIANCE_UPDATE))
        self._specs = sections_for(staff)
        self._build_tabs()
        keys = [spec.key for spec in self._specs]
        if keys:
            self.open(key if key in keys else keys[0])

    def _build_tabs(self) -> None:
        for button in list(self.tabs.values()):
            self.tab_group.removeButton(button)
            self.tab_row.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; never show it meanwhile
            button.deleteLater()
        self.tabs = {}
        for spec in self._specs:
            button = touch_button(spec.title, f"{spec.key}Tab")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, key=spec.key: self.open(key))
            self.tab_group.addButton(button)
            self.tab_row.addWidget(button)
            self.tabs[spec.key] = button

    def open(self, key: str) -> Section | None:
        """Show section ``key`` if the signed-in user may; returns it (None if not allowed)."""
        spec = next((s for s in self._specs if s.key == key), None)
        if spec is None or self.staff is None:
            return None
        section = self.sections.get(key)
        if section is None:
            section = spec.build(self._kiosk, self._worker)
            section.said.connect(self.said.emit)
            self.sections[key] = section
            self.stack.addWidget(section)
        self.tabs[key].setChecked(True)
        self.stack.setCurrentWidget(section)
        section.start(self.staff)
        return section

    @property
    def current(self) -> Section | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Section) else None

    def on_scanned(self, text: str) -> None:
        if self.current is not None:
            self.current.on_scanned(text)

    def on_sign_out(self) -> None:
        self.clear()
        self.signed_out.emit()

    def clear(self) -> None:
        """Forget the user: every section built so far drops what it showed."""
        self.staff = None
        for section in self.sections.values():
            section.stop()
        self._specs = ()
        self._build_tabs()
