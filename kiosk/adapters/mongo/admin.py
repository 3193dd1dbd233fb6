"""`kiosk central init`: create the central collections and indexes (idempotent)."""

from __future__ import annotations

from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import ensure_schema

# Building an index on a large existing collection takes longer than a kiosk's usual call.
INIT_SOCKET_TIMEOUT_MS = 120_000


def init_central(uri: str) -> list[str]:
    """Create whatever collections and indexes the central database lacks; returns the names
    of the indexes created (empty when everything was there already)."""
    with connect(uri, socketTimeoutMS=INIT_SOCKET_TIMEOUT_MS) as client, central_errors(
            "create the central collections and indexes"):
        return ensure_schema(database(client))
