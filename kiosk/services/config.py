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
    # recall watch (issue 16): where openFDA is, and what of it concerns this clinic
    openfda_base_url: str = "https://api.fda.gov"
    openfda_api_key: str = ""  # optional; sent as api_key (openFDA allows more calls with one)
    recall_product_codes: str = ""  # FDA device product codes, comma-separated: "DYW,EJF"
    recall_firms: str = ""  # recalling firms, semicolon-separated (firm names hold commas)
    recall_watch_authorized_by: str = ""  # badge or id of the manager the daily run acts for

    @property
    def database_path(self) -> Path:
        return Path(self.data_dir) / DATABASE_NAME

    @property
    def product_codes(self) -> tuple[str, ...]:
        return tuple(c.strip().upper() for c in self.recall_product_codes.split(",")
                     if c.strip())

    @property
    def firms(self) -> tuple[str, ...]:
        return tuple(f.strip() for f in self.recall_firms.split(";") if f.strip())

    @property
    def has_central(self) -> bool:
        return bool(self.mongo_uri)
