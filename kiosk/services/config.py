"""The kiosk's configuration as the application sees it (the TOML file is an adapter's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "kiosk.sqlite3"


@dataclass(frozen=True)
class KioskConfig:
    clinic_id: str
    workstation_id: str
    data_dir: str
    mongo_uri: str = ""
    timezone: str = "UTC"
    expiry_window_days: int = 30
    max_line_quantity: int = 500
    scanner_port: str = ""  # a serial scanner: a device path or pyserial URL; "" for none
    idle_timeout_s: int = 120  # sign out after this long without a touch, key or scan
    printer: str = ""  # the spooler's printer name for kiosk printouts; "" for the default

    @property
    def database_path(self) -> Path:
        return Path(self.data_dir) / DATABASE_NAME

    @property
    def has_central(self) -> bool:
        return bool(self.mongo_uri)
