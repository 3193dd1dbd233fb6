"""What every repository mixin of ``SqliteTx`` shares: the session and error handling."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy.orm import Session

from kiosk.adapters.sqlite.dberrors import translated
from kiosk.adapters.sqlite.orm import Base
from kiosk.domain.errors import StoreUnavailable


class RepoBase:
    """One transaction's session; used from one thread only."""

    def __init__(self, session: Session, path: Path, *, writable: bool) -> None:
        self._session = session
        self._path = path
        self._writable = writable

    def _guard(self, action: str) -> AbstractContextManager[None]:
        return translated(self._path, action)

    def _require_write(self, action: str) -> None:
        if not self._writable:
            raise StoreUnavailable(
                f"Could not {action}: this is a read-only transaction (use store.write())."
            )

    def _upsert(self, row: Base, action: str) -> None:
        """Insert or replace by primary key, and surface constraint errors here, not at commit."""
        self._require_write(action)
        with self._guard(action):
            self._session.merge(row)
            self._session.flush()

    def _append(self, row: Base, action: str) -> None:
        """Insert an append-only event row."""
        self._require_write(action)
        with self._guard(action):
            self._session.add(row)
            self._session.flush()
