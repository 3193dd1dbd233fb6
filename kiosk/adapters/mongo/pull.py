"""Pull: one page of a clinic's catalog documents changed after a revision."""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import ASCENDING
from pymongo.database import Database

from kiosk.adapters.mongo.catalog_docs import FROM_DOC
from kiosk.domain.errors import ValidationError
from kiosk.services.sync_ports import PulledPage


def pull_page(db: Database, clinic_id: ObjectId, collection: str, after_rev: int,
              limit: int) -> PulledPage:
    """The clinic's documents of ``collection`` with rev > ``after_rev``, lowest rev first.

    Uses the (clinicId, rev) index. A document the kiosk cannot read is a ``ValidationError``
    naming it, so the page is refused as a whole rather than skipped past.
    """
    convert = FROM_DOC.get(collection)
    if convert is None:
        raise ValidationError(f"{collection!r} is not a collection the kiosk pulls.")
    cursor = (db[collection]
              .find({"clinicId": clinic_id, "rev": {"$gt": after_rev}})
              .sort("rev", ASCENDING)
              .limit(limit))
    # The filter already scopes by clinic; checking again costs nothing and means another
    # clinic's document can never reach this kiosk, whatever the server's index does.
    docs = [doc for doc in cursor if doc.get("clinicId") == clinic_id]
    records = [_record(convert, collection, doc) for doc in docs]
    last_rev = max((int(doc["rev"]) for doc in docs), default=None)
    return PulledPage(collection=collection, records=records, last_rev=last_rev)


def _record(convert, collection: str, doc: dict):
    try:
        return convert(doc)
    except (KeyError, ValueError, TypeError, AttributeError, InvalidId) as error:
        problem = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise ValidationError(
            f"The central {collection} document {doc.get('_id')} (rev {doc.get('rev')}) "
            f"cannot be read by the kiosk ({problem[:120]}); fix it centrally."
        ) from error
