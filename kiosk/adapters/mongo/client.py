"""Connecting to the central server: short timeouts, our own retries, credentials never shown."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, urlsplit

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
TLS_FILE_OPTIONS = {name.lower(): name for name in (
    "tlsCAFile", "tlsCertificateKeyFile", "tlsCRLFile")}


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
    except OSError as error:  # ssl.SSLError too: the driver loads the TLS files right here
        raise CentralRefused(_tls_file_sentence(uri, error)) from None


def database(client: MongoClient) -> Database:
    """The database named in the URI's path, else the default."""
    return client.get_default_database(default=DEFAULT_DATABASE)


def _tls_file_sentence(uri: str, error: OSError) -> str:
    """Which TLS file of the URI the kiosk cannot use, and why, in one sentence."""
    named = [(key, value) for key, value in parse_qsl(urlsplit(uri).query)
             if key.lower() in TLS_FILE_OPTIONS]
    for key, path in named:
        if not os.access(path, os.R_OK):
            return (f"The {TLS_FILE_OPTIONS[key.lower()]} {path} named in the central server "
                    "address does not exist or cannot be read; correct the path in mongo_uri.")
    files = ", ".join(f"{TLS_FILE_OPTIONS[k.lower()]} {v}" for k, v in named) or "TLS files"
    return (f"The {files} named in the central server address cannot be used "
            f"({_first_line(error)}); point it at the PEM file IT was given for the server.")


def _first_line(error: BaseException) -> str:
    return redact(str(error).splitlines()[0] if str(error) else type(error).__name__)[:160]
