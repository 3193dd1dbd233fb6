"""``SqliteStore``: the local kiosk database behind the ``Store`` port.

Thread-safety: a ``SqliteStore`` may be shared by threads; each ``write()``/``read()`` checks
out its own connection (and, when an ORM method needs one, a session on it), and the
``SqliteTx`` it yields belongs to that thread alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from kiosk.adapters.sqlite.catalog_repo import CatalogRepo
from kiosk.adapters.sqlite.dberrors import translated
from kiosk.adapters.sqlite.engine import BUSY_TIMEOUT_MS, create_store_engine, writer
from kiosk.adapters.sqlite.events_repo import EventsRepo
from kiosk.adapters.sqlite.follow_up_repo import FollowUpRepo
from kiosk.adapters.sqlite.lockout_repo import LockoutRepo
from kiosk.adapters.sqlite.migrations import inspect_file, refuse_unusable, upgrade_to_head
from kiosk.adapters.sqlite.parking_repo import ParkingRepo
from kiosk.adapters.sqlite.people_repo import PeopleRepo
from kiosk.adapters.sqlite.sequence_repo import SequenceRepo
from kiosk.domain.errors import StoreUnavailable, ValidationError
from kiosk.services.ports import KioskIdentity, Store, Tx


class SqliteTx(PeopleRepo, CatalogRepo, SequenceRepo, EventsRepo, ParkingRepo, LockoutRepo,
               FollowUpRepo, Tx):
    """The repositories of one SQLite transaction."""


class SqliteStore(Store):
    """One kiosk database file. Build it with ``open_store``, which checks and upgrades it."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.engine: Engine = create_store_engine(path, busy_timeout_ms=busy_timeout_ms)
        self._writer = writer(self.engine)

    @contextmanager
    def write(self) -> Iterator[SqliteTx]:
        """``BEGIN IMMEDIATE``; commit when the block ends, roll back when it raises."""
        with self._transaction(self._writer, writable=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[SqliteTx]:
        """A deferred read transaction: one consistent snapshot from its first read on."""
        with self._transaction(self.engine, writable=False) as tx:
            yield tx

    @contextmanager
    def _transaction(self, engine: Engine, *, writable: bool) -> Iterator[SqliteTx]:
        action = "save the change" if writable else "read the kiosk database"
        with translated(self.path, action), engine.connect() as connection:
            connection.begin()  # BEGIN now, so a writer holds the lock for the whole block
            tx = SqliteTx(connection, self.path, writable=writable)
            try:
                yield tx
                if writable:
                    tx.flush()
                    connection.commit()
                else:
                    connection.rollback()
            except BaseException:
                connection.rollback()
                raise
            finally:
                tx.release()

    def close(self) -> None:
        """Close the pooled connections; transactions opened later reconnect."""
        self.engine.dispose()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
               create: bool = False) -> SqliteStore:
    """Check the database at ``path``, upgrade it, and open it. Only ``create=True`` (what
    ``kiosk init`` does) makes a new one: a missing or empty file is otherwise refused, so a
    deleted data directory never passes for an empty clinic.

    Every failure is a ``StoreUnavailable`` with one sentence; a damaged file, a foreign one,
    or one from a newer kiosk version is left untouched.
    """
    path = Path(path).expanduser()
    if not create and not _holds_database(path):
        raise StoreUnavailable(
            f"There is no kiosk database at {path}; run kiosk init to set this kiosk up, or "
            "kiosk restore to put back a backup.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StoreUnavailable(
            f"The folder for the kiosk database, {path.parent}, cannot be created ({reason}); "
            "check the data directory setting."
        ) from exc
    refuse_unusable(path, inspect_file(path, quick_check=True))
    upgrade_to_head(path)
    return SqliteStore(path, busy_timeout_ms=busy_timeout_ms)


def _holds_database(path: Path) -> bool:
    """A file with something in it is there (whether it is a kiosk database is checked
    next, by ``inspect_file``)."""
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def initialize_store(path: Path | str, clinic_id: str, workstation_id: str) -> KioskIdentity:
    """Open or create the database and give this kiosk its identity, once.

    Running it again for the same clinic keeps the kiosk id and sequence (only a changed
    workstation name is recorded); a different clinic is refused.
    """
    clinic_id, workstation_id = clinic_id.strip(), workstation_id.strip()
    if not clinic_id or not workstation_id:
        raise ValidationError("Both a clinic id and a workstation id are needed to set up a kiosk.")
    with open_store(path, create=True) as store, store.write() as tx:
        return tx.claim_identity(clinic_id, workstation_id)
