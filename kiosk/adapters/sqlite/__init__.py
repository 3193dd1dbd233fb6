"""Local SQLite store: the kiosk's queue and catalog cache (SQLAlchemy 2.x + Alembic)."""

from kiosk.adapters.sqlite.follow_ups import SqliteRecallFollowUps
from kiosk.adapters.sqlite.store import SqliteStore, initialize_store, open_store

__all__ = ["SqliteRecallFollowUps", "SqliteStore", "initialize_store", "open_store"]
