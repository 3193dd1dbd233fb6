"""`kiosk doctor`'s central-server checks: reachable, credentials, schema, indexes, clock.

Each failure is one plain sentence that tells the causes apart (server down, wrong password,
wrong database, missing indexes, clock skew) and names its fix. Credentials never appear:
addresses are shown without them. Every probe has a short client timeout, so the doctor
answers within a few seconds when the server is down.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import (
    AutoReconnect,
    ConnectionFailure,
    OperationFailure,
    PyMongoError,
    ServerSelectionTimeoutError,
)

from kiosk.adapters.checks import Check
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.codec import aware, oid
from kiosk.adapters.mongo.errors import AUTH_CODES, classify
from kiosk.adapters.mongo.schema import ITEM, SCHEMA_INFO, SCHEMA_VERSION, missing_indexes
from kiosk.adapters.mongo.webhooks import webhook_check
from kiosk.domain.errors import KioskError

MAX_CLOCK_SKEW_S = 120
PROBE_TIMEOUTS = {"serverSelectionTimeoutMS": 2500, "connectTimeoutMS": 2500,
                  "socketTimeoutMS": 4000, "retryReads": False}
FIX_SERVER = "Check the central server is running and the network between them."
FIX_AUTH = "Correct the user and password in mongo_uri in the kiosk config."
FIX_INIT = "Check the database name in mongo_uri, or run `kiosk central init`."
NAME = "central server"
_HOSTS = re.compile(r"^[A-Za-z0-9+.-]+://(?:[^@/?]*@)?([^/?]*)")
_AUTH_WORDS = ("authentication failed", "auth failed", "authenticationfailed", "sasl", "scram")


T = TypeVar("T")


class _Unreachable(Exception):
    """The server stopped answering in the middle of the checks."""


def check_central(uri: str, clinic_id: str,
                  now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[Check]:
    """The central checks for `kiosk doctor`; later checks are skipped once one cannot run."""
    where = server_address(uri)
    try:
        client = connect(uri, **PROBE_TIMEOUTS)
    except KioskError as error:
        return [Check(NAME, False, str(error), "Correct mongo_uri in the kiosk config.")]
    with client:
        try:
            return _run(client, where, clinic_id, now)
        except _Unreachable:
            return [_unreachable(where, None)]


def server_address(uri: str) -> str:
    """host:port (or the host list) of the URI, without credentials or options."""
    match = _HOSTS.match(uri.strip())
    return match.group(1) if match and match.group(1) else "(no host in the URI)"


def _run(client: MongoClient, where: str, clinic_id: str,
         now: Callable[[], datetime]) -> list[Check]:
    db = database(client)
    reach, server_time = _reach(client, where, now)
    if not reach.ok:
        return [reach]
    checks = [reach, _credentials(db, where)]
    if not checks[-1].ok:
        return checks
    checks.append(_clock(server_time))
    schema = _safely("central schema", where, lambda: _schema(db))
    checks.append(schema)
    if schema.ok:
        checks.append(_safely("central indexes", where, lambda: _indexes(db)))
        checks.append(_safely("central catalog", where, lambda: _catalog(db, clinic_id)))
        checks += _webhooks(db, where, clinic_id, now)
    return checks


def _safely(name: str, where: str, probe: Callable[[], Check]) -> Check:
    try:
        return probe()
    except PyMongoError as error:  # _Unreachable passes: it ends the checks
        return _failure(error, where, name)


def _reach(client: MongoClient, where: str, now: Callable[[], datetime]
           ) -> tuple[Check, float | None]:
    """``hello`` needs no login, but the driver logs in on connecting when the URI has a user,
    so a wrong password shows here already. Returns the server-minus-kiosk clock offset."""
    started = time.monotonic()
    before = now()
    try:
        hello = client.admin.command("hello")
    except PyMongoError as error:
        return _failure(error, where), None
    elapsed = time.monotonic() - started
    server_time = aware(hello.get("localTime"))
    offset = None
    if server_time is not None:
        offset = (server_time - (before + (now() - before) / 2)).total_seconds()
    detail = f"reached at {where} in {elapsed * 1000:.0f} ms"
    return Check(NAME, True, detail), offset


def _credentials(db: Database, where: str) -> Check:
    """Listing the database's collections needs a login on a server that requires one."""
    try:
        _guard(lambda: db.list_collection_names(filter={"name": SCHEMA_INFO}))
    except PyMongoError as error:
        return _failure(error, where, name="central login")
    return Check("central login", True, f"the server accepts the kiosk for database {db.name}")


def _clock(offset: float | None) -> Check:
    if offset is None:
        return Check("central clock", True, "the server does not report its time; not checked")
    if abs(offset) < 1:
        return Check("central clock", True, "the server's and this kiosk's clocks agree")
    way = "ahead of" if offset > 0 else "behind"
    detail = f"the server's clock is {abs(offset):.0f} s {way} this kiosk's"
    if abs(offset) > MAX_CLOCK_SKEW_S:
        return Check("central clock", False, f"{detail} (more than {MAX_CLOCK_SKEW_S} s)",
                     "Set the kiosk's and the server's clocks from a time server (NTP); "
                     "usage dates and sync order depend on them.")
    return Check("central clock", True, detail)


def _schema(db: Database) -> Check:
    info = _guard(lambda: db[SCHEMA_INFO].find_one({"_id": "schema"}))
    if info is None:
        return Check("central schema", False,
                     f"The central server has no kiosk schema in database {db.name}; check "
                     "the database name in the URI or run `kiosk central init`.", FIX_INIT)
    version = info.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        return Check("central schema", False,
                     f"database {db.name} has a schema version that is not a number "
                     f"({str(version)[:20]!r}); sync stops until it is fixed",
                     "Run `kiosk central init`, or ask IT to correct the SchemaInfo document.")
    if version > SCHEMA_VERSION:
        return Check("central schema", False,
                     f"database {db.name} has schema version {version}, newer than this "
                     f"kiosk's {SCHEMA_VERSION}", "Update the kiosk software.")
    if version < SCHEMA_VERSION:
        return Check("central schema", False,
                     f"database {db.name} has schema version {version}, older than this "
                     f"kiosk's {SCHEMA_VERSION}", "Run `kiosk central init`.")
    return Check("central schema", True, f"database {db.name}, schema version {version}")


def _indexes(db: Database) -> Check:
    missing = _guard(lambda: missing_indexes(db))
    if missing:
        return Check("central indexes", False,
                     f"{len(missing)} index(es) missing: {', '.join(missing)}",
                     "Run `kiosk central init` to create them.")
    return Check("central indexes", True, "every index the kiosks need is there")


def _catalog(db: Database, clinic_id: str) -> Check:
    items = _guard(lambda: db[ITEM].count_documents({"clinicId": oid(clinic_id)}))
    if not items:
        return Check("central catalog", True, f"no items for clinic {clinic_id} yet; a manager "
                                              "loads them with `kiosk import items FILE`")
    return Check("central catalog", True, f"{items} item(s) for clinic {clinic_id}")


def _webhooks(db: Database, where: str, clinic_id: str,
              now: Callable[[], datetime]) -> list[Check]:
    """The clinic's webhooks line, only when it has webhooks."""
    try:
        found = _guard(lambda: webhook_check(db, clinic_id, now()))
    except PyMongoError as error:
        return [_failure(error, where, "central webhooks")]
    return [found] if found is not None else []


def _guard(probe: Callable[[], T]) -> T:
    """Run one probe; a server that stops answering ends the checks as unreachable."""
    try:
        return probe()
    except (ServerSelectionTimeoutError, ConnectionFailure, AutoReconnect) as error:
        if _is_auth(error):
            raise
        raise _Unreachable from error


def _failure(error: PyMongoError, where: str, name: str = NAME) -> Check:
    if _is_auth(error):
        return Check(name, False, f"The central server at {where} refused the kiosk's "
                                  "credentials; check the user and password in the URI.",
                     FIX_AUTH)
    if isinstance(error, ServerSelectionTimeoutError | ConnectionFailure | AutoReconnect):
        return _unreachable(where, error)
    return Check(name, False, str(classify(error, "run the health check")),
                 "Ask IT to look at the central server's log.")


def _unreachable(where: str, error: PyMongoError | None) -> Check:
    cause = f" ({_cause(error)})" if error is not None else ""
    return Check(NAME, False, f"The central server cannot be reached at {where}{cause}; check "
                              "the server is running and the network.", FIX_SERVER)


def _is_auth(error: PyMongoError) -> bool:
    if isinstance(error, OperationFailure):
        return error.code in AUTH_CODES
    text = str(error).lower()
    return any(word in text for word in _AUTH_WORDS)


def _cause(error: PyMongoError) -> str:
    text = str(error).lower()
    for words, cause in ((("refused",), "connection refused"),
                         (("ssl", "tls", "certificate"), "the secure connection failed"),
                         (("name or service", "nodename", "getaddrinfo", "no address"),
                          "host name not found"),
                         (("timed out", "timeout"), "no answer in time")):
        if any(word in text for word in words):
            return cause
    return "no answer"
