"""The CentralCatalog and CentralConnector ports: a kiosk's ways onto the central server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.adapters.mongo.catalog_store import MongoCatalogStore
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.services.ports import Clock


class MongoCatalog:
    """The clinic's central catalog, one connection per ``open()``."""

    def __init__(self, uri: str, clinic_id: str, clock: Clock) -> None:
        self._uri, self._clinic_id, self._clock = uri, clinic_id, clock

    @contextmanager
    def open(self) -> Iterator[MongoCatalogStore]:
        with MongoCatalogStore.from_uri(self._uri, self._clinic_id, clock=self._clock) as store:
            yield store


class MongoConnector:
    """Connects one kiosk of the clinic to the central server."""

    def __init__(self, uri: str, clinic_id: str) -> None:
        self._uri, self._clinic_id = uri, clinic_id

    def connect(self, kiosk_id: str) -> MongoCentral:
        return MongoCentral.from_uri(self._uri, self._clinic_id, kiosk_id)
