"""The SettingsWriter port over the kiosk's TOML config file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk.adapters.config import KioskConfig, load_config, save_config
from kiosk.services.settings import KioskSettings


class TomlSettingsWriter:
    """Reads and writes the Settings screen's keys of one config file; every other key is
    kept as the file has it. Writes are owner-only (0600), as the URI may hold a password.
    File I/O: call it off the GUI thread."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def current(self) -> KioskSettings:
        return settings_of(load_config(self.path))

    def write(self, settings: KioskSettings) -> None:
        config = replace(load_config(self.path), printer=settings.printer,
                         scanner_port=settings.scanner_port,
                         idle_timeout_s=settings.idle_timeout_s, mongo_uri=settings.mongo_uri)
        save_config(config, self.path)
        self.path.chmod(0o600)  # an older file may have been made with looser permissions


def settings_of(config: KioskConfig) -> KioskSettings:
    return KioskSettings(printer=config.printer, scanner_port=config.scanner_port,
                         idle_timeout_s=config.idle_timeout_s, mongo_uri=config.mongo_uri)
