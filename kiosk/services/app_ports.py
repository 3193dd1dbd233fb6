"""Ports of the application object beyond the store: the central catalog and server, files,
printers, devices and the config file. Adapters implement them; bootstrap wires them in."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from kiosk.services.ports import CatalogStore
from kiosk.services.sync_ports import CentralStore


class CentralCatalog(Protocol):
    """The clinic's catalog on the central server, opened as a ``CatalogStore`` for one job
    (people and catalog roles only: the ledger, outbox and cursors are each kiosk's own)."""

    def open(self) -> AbstractContextManager[CatalogStore]:
        """A connection for the ``with`` block; closed when it ends."""
        ...


class CentralConnector(Protocol):
    """Connects this kiosk to the central server (sync, audit)."""

    def connect(self, kiosk_id: str) -> CentralStore:
        """A connected central store; the caller closes it."""
        ...


class FileSink(Protocol):
    """Where printouts and saved reports go (the data folder's ``printouts/``)."""

    @property
    def folder(self) -> Path:
        """The printouts folder (it may not exist yet)."""
        ...

    def new_file(self, name: str, suffix: str, folder: Path | None = None) -> Path:
        """A path not yet taken: ``<name>-<UTC stamp>.<suffix>`` in ``folder`` (default the
        printouts folder), numbered -2, -3… when the stamp is taken."""
        ...

    def target(self, path: Path | None, name: str, suffix: str) -> Path:
        """``path`` when it names a file; a ``new_file`` in it when it is a folder, or in the
        printouts folder when it is None."""
        ...

    def write(self, path: Path, data: bytes) -> Path:
        """Write ``data`` to ``path``; one sentence (a KioskError) when it cannot."""
        ...


class HealthCheck(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def ok(self) -> bool: ...
    @property
    def detail(self) -> str: ...
    @property
    def fix(self) -> str: ...


class ConnectionProbe(Protocol):
    """Tries a central server URI: the checks run, and the address without credentials."""

    def probe(self, uri: str, clinic_id: str) -> tuple[list[HealthCheck], str]: ...


class ScannerDevice(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


ScanCallback = Callable[[str], None]
StateCallback = Callable[[str, str], None]
ScannerFactory = Callable[[str, ScanCallback, StateCallback], ScannerDevice]


class SoundDevice(Protocol):
    def play(self, path: Path) -> None: ...
