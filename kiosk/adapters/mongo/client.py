"""Connecting to the central server: short timeouts, our own retries, credentials never shown."""

from __future__ import annotations

from typing import Any

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import ConfigurationError, InvalidURI

from kiosk.domain.errors import CentralRefused
from kiosk.domain.redaction import redact

DEFAULT_DATABASE = "orthoSupply"
TIMEOUTS_MS = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 15000,
}
def connect(uri: str, **overrides: object) -> MongoClient:
    """A client with short timeouts; TLS and auth options pass through from the URI.

    The driver's single automatic retry is switched off: the sync loop owns retrying, so a
    write is never sent twice without our knowing (replays are detected by payload hash).
    """
    options: dict[str, Any] = {"tz_aware": True, "retryWrites": False, "retryReads": True,
               "appname": "ortho-supply-kiosk", **TIMEOUTS_MS, **overrides}
    try:
        return MongoClient(uri, connect=False, **options)
    except (ConfigurationError, InvalidURI, ValueError, TypeError) as error:
        raise CentralRefused(
            f"The central server address {redact(uri)} is not valid ({_first_line(error)})."
        ) from None


def database(client: MongoClient) -> Database:
    """The database named in the URI's path, else the default."""
    return client.get_default_database(default=DEFAULT_DATABASE)


def _first_line(error: BaseException) -> str:
    return redact(str(error).splitlines()[0] if str(error) else type(error).__name__)[:160]
