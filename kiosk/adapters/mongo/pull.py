"""Pull: one page of a clinic's catalog documents changed after a revision."""

from __future__ import annotations

from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import ASCENDING
from pymongo.database import Database

from kiosk.adapters.mongo import central_values
from kiosk.adapters.mongo.catalog_docs import FROM_DOC, STAFF_STANDING_FIELDS, staff_is_active
from kiosk.adapters.mongo.schema import COUNTER, STAFF
from kiosk.domain.errors import ValidationError
from kiosk.services.sync_ports import PulledPage, SkippedRecord


def pull_page(db: Database, clinic_id: ObjectId, collection: str, after_rev: int,
              limit: int) -> PulledPage:
    """The clinic's documents of ``collection`` with rev > ``after_rev``, lowest rev first.

    Uses the (clinicId, rev) index. A document the kiosk cannot read (checked field by field
    as imports check a row) is skipped and named in ``skipped``; the page's ``last_rev``
    still passes it, so it never holds the documents after it. Fixing it centrally gives it
    a new rev, and the next pull takes it.

    A rev that cannot be real (not a whole number, beyond ``MAX_REV``, or beyond the clinic's
    revision counter, which every real rev is taken from) is skipped too and never moves
    the cursor: one written as 10**12 from a shell would park it past every later change.
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
    # read after the page: each document's rev was taken from the counter in the
    # transaction that wrote it, so every real rev on the page is at or below this value
    counter = _revision_counter(db, clinic_id)
    records: list[Any] = []
    skipped: list[SkippedRecord] = []
    revs: list[int] = []
    for doc in docs:
        try:
            revs.append(central_values.rev(doc, counter))
        except ValueError as error:
            # an unreadable rev cannot move a cursor: name it, and leave the cursor be
            skipped.append(_skipped(collection, doc, str(error)))
            continue
        try:
            records.append(convert(doc))
        except (KeyError, ValueError, TypeError, AttributeError, InvalidId,
                ArithmeticError) as error:
            problem = f"{error} is missing" if isinstance(error, KeyError) else str(error)
            skipped.append(_skipped(collection, doc, problem))
    return PulledPage(collection=collection, records=records, last_rev=max(revs, default=None),
                      skipped=tuple(skipped))


def _revision_counter(db: Database, clinic_id: ObjectId) -> int | None:
    """The clinic's revision counter, or None when it is missing or itself unreadable (then
    only ``MAX_REV`` bounds a rev)."""
    counter = db[COUNTER].find_one({"_id": f"{clinic_id}:rev"}, {"value": 1})
    value = counter.get("value") if counter else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= central_values.MAX_REV else None


def active_staff_ids(db: Database, clinic_id: ObjectId) -> frozenset[str] | None:
    """The ids of the clinic's staff who may sign in and act, read from every Staff document
    whatever its rev: a document deleted outright, or disabled from a shell without a new
    rev, is seen here although no rev-cursor pull would ever bring it.

    ``None`` when the clinic keeps no Staff documents at all (catalog imported, staff not
    yet): a list that names no one manages no one, and must not lock every assistant out."""
    docs = [doc for doc in db[STAFF].find({"clinicId": clinic_id}, STAFF_STANDING_FIELDS)
            if doc.get("clinicId") == clinic_id]
    if not docs:
        return None
    return frozenset(str(doc["_id"]) for doc in docs if staff_is_active(doc))


def _skipped(collection: str, doc: dict, problem: str) -> SkippedRecord:
    rev = doc.get("rev")
    return SkippedRecord(collection=collection, record_id=str(doc.get("_id"))[:40],
                         rev=rev if isinstance(rev, int) and not isinstance(rev, bool) else None,
                         reason=problem[:160])
