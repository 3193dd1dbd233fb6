"""The clinic's catalog revision: every catalog write takes the next number.

Pulls page by ``rev > cursor``, so revisions must become visible in order. Each write takes
its number from one counter document inside its transaction; two transactions that both
write the counter conflict, so the second waits (retries) until the first has committed.
"""

from __future__ import annotations

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.client_session import ClientSession
from pymongo.database import Database

from kiosk.adapters.mongo.schema import COUNTER


def next_rev(db: Database, clinic_id: ObjectId, session: ClientSession | None = None) -> int:
    counter = db[COUNTER].find_one_and_update(
        {"_id": f"{clinic_id}:rev"}, {"$inc": {"value": 1}}, upsert=True,
        return_document=ReturnDocument.AFTER, session=session)
    assert counter is not None, "an upsert returning the document after it always has one"
    return int(counter["value"])
