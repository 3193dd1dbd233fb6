"""MongoCatalogStore: CSV imports write the clinic's catalog on the central server.

``write()`` is one MongoDB transaction (snapshot reads, commit with majority and journal): a bad
row raises inside the block, the transaction is aborted and nothing of the file lands. The Tx
it yields (``catalog_tx.MongoCatalogTx``) works on one clinic's central collections.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from bson import ObjectId
from pymongo import MongoClient, ReadPreference, WriteConcern
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern

from kiosk.adapters.mongo import claimed_sessions
from kiosk.adapters.mongo.catalog_tx import ImportConflict, MongoCatalogTx, import_errors
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import require_schema
from kiosk.services.context import SystemClock
from kiosk.services.ports import CatalogStore, Clock

__all__ = ["ImportConflict", "MongoCatalogStore"]

COMMIT_ATTEMPTS = 3
TX_OPTIONS: dict[str, Any] = {  # ClientSession.start_transaction keywords
    "read_concern": ReadConcern("snapshot"),
    "write_concern": WriteConcern("majority", j=True, wtimeout=10_000),
    "read_preference": ReadPreference.PRIMARY,
    "max_commit_time_ms": 10_000,
}


class MongoCatalogStore(CatalogStore):
    """One clinic's catalog on the central server. Thread-safe as pymongo's client is; each
    ``write()``/``read()`` has its own session and the Tx it yields belongs to one thread."""

    def __init__(self, client: MongoClient, clinic_id: str, *, clock: Clock | None = None,
                 db: Database | None = None) -> None:
        self.client = client
        self.db = db if db is not None else database(client)
        self.clinic_id = ObjectId(clinic_id)
        self.clock = clock or SystemClock()
        self._schema_checked = False

    @classmethod
    def from_uri(cls, uri: str, clinic_id: str, *, clock: Clock | None = None
                 ) -> MongoCatalogStore:
        return cls(connect(uri), clinic_id, clock=clock)

    @contextmanager
    def write(self) -> Iterator[MongoCatalogTx]:
        """One transaction: commits when the block ends, aborts entirely when it raises."""
        with self._transaction(writable=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[MongoCatalogTx]:
        """A snapshot read (a transaction that is never committed)."""
        with self._transaction(writable=False) as tx:
            yield tx

    @contextmanager
    def _transaction(self, *, writable: bool) -> Iterator[MongoCatalogTx]:
        self._require_schema()
        action = "save the import" if writable else "read the central catalog"
        started = time.monotonic()
        with import_errors(action, started), self.client.start_session() as session, \
                self._claimed(session, writable):
            session.start_transaction(**TX_OPTIONS)
            try:
                yield MongoCatalogTx(self.db, self.clinic_id, session, self.clock.now,
                                     writable=writable, started=started)
            except BaseException:
                session.abort_transaction()  # errors here are ignored by the driver
                raise
            if writable:
                _commit(session)
            else:
                session.abort_transaction()

    def _claimed(self, session: ClientSession, writable: bool) -> AbstractContextManager:
        """A write claims its session for the clinic, so that if this process dies inside the
        transaction the next import or push ends it at once (a snapshot read holds nothing
        that blocks a writer)."""
        if not writable:
            return nullcontext()
        return claimed_sessions.claimed(self.db, session, self.clinic_id,
                                        claimed_sessions.IMPORT)

    def _require_schema(self) -> None:
        """Refuse a database without the kiosk schema rather than create collections in it."""
        if self._schema_checked:
            return
        with central_errors("read the schema version"):
            require_schema(self.db)
        self._schema_checked = True

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> MongoCatalogStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _commit(session: ClientSession) -> None:
    """Commit, retrying only an unknown commit result (committing twice is harmless)."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            session.commit_transaction()
            return
        except PyMongoError as error:
            if attempt == COMMIT_ATTEMPTS or not error.has_error_label(
                    "UnknownTransactionCommitResult"):
                raise
