"""Which back-office sections exist, the permissions each needs, and how to build them.

The UI only hides a section from a user without its permissions; the services it calls check
them again, so a section reached some other way still cannot act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.model import Staff
from kiosk.domain.permissions import Permission, has_permission
from kiosk.ui.back_office.section import Section

P = Permission


@dataclass(frozen=True)
class SectionSpec:
    key: str  # also the section's object name prefix, e.g. "receive" -> "receiveSection"
    title: str
    permissions: tuple[Permission, ...]  # all of them are needed to see the section
    build: Callable[..., Section]  # (kiosk, worker) -> Section; imported on first use

    def allowed(self, staff: Staff) -> bool:
        return all(has_permission(staff.role, p) for p in self.permissions)


def _receive(kiosk, worker) -> Section:
    from kiosk.ui.back_office.receive.receive_screen import ReceiveScreen  # noqa: PLC0415 - built on first use

    return ReceiveScreen(kiosk, worker)


def _inventory(kiosk, worker) -> Section:
    from kiosk.ui.back_office.inventory.inventory_screen import InventoryScreen  # noqa: PLC0415

    return InventoryScreen(kiosk, worker)


def _recalls(kiosk, worker) -> Section:
    from kiosk.ui.back_office.recalls.recall_screen import RecallScreen  # noqa: PLC0415

    return RecallScreen(kiosk, worker)


def _reports(kiosk, worker) -> Section:
    from kiosk.ui.back_office.reports.reports_screen import ReportsScreen  # noqa: PLC0415

    return ReportsScreen(kiosk, worker)


def _settings(kiosk, worker) -> Section:
    from kiosk.ui.back_office.settings.settings_screen import SettingsScreen  # noqa: PLC0415

    return SettingsScreen(kiosk, worker)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("receive", "Receive", (P.INVENTORY_RECEIVE,), _receive),
    SectionSpec("inventory", "Inventory", (P.INVENTORY_READ,), _inventory),
    SectionSpec("recalls", "Recalls", (P.INVENTORY_ADJUST, P.APPLIANCE_READ), _recalls),
    SectionSpec("reports", "Reports", (P.INVENTORY_READ, P.APPLIANCE_READ), _reports),
    SectionSpec("settings", "Settings", (P.ADMIN_CONFIGURE,), _settings),
)


def sections_for(staff: Staff) -> tuple[SectionSpec, ...]:
    return tuple(spec for spec in SECTIONS if spec.allowed(staff))
