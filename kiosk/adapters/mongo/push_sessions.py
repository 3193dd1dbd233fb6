"""Ending a push transaction that its kiosk can no longer end.

A kiosk cut off from the server (or killed) inside a push leaves its transaction open on the
server: a dropped connection does not abort it, with mongod as with SecantusDB, and the
driver's abortTransaction cannot get through either. Until the server reaps it (60 s) it holds
its writes (the batch's links and receipts, the clinic's stock and rev counter), so this
kiosk's next push meets a write conflict, and so does every other kiosk's.

So each push first notes its session id on the kiosk's Workstation document, outside the
transaction, and reads the one noted before. A different one still noted means the push
before did not finish (it clears its note after its commit): it is ended with
``killSessions``, which aborts its open transaction, if any, at once. The note is read back
on the first push after the server answers again, by whichever process of this kiosk pushes
next. Killing a session that has already ended (or committed) does nothing. Imports claim
their sessions per clinic instead (claimed_sessions.py).
"""

from __future__ import annotations

import logging

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import PyMongoError

from kiosk.adapters.mongo.claimed_sessions import end_session
from kiosk.adapters.mongo.schema import WORKSTATION

PUSH_SESSION = "pushSession"

log = logging.getLogger(__name__)


def claim(db: Database, session: ClientSession, clinic_id: ObjectId,
          kiosk_id: ObjectId) -> None:
    """Note ``session`` as this kiosk's push in progress; end the unfinished one before it."""
    lsid = session.session_id
    before = db[WORKSTATION].find_one_and_update(
        {"_id": kiosk_id, "clinicId": clinic_id}, {"$set": {PUSH_SESSION: lsid}},
        projection={PUSH_SESSION: 1}, upsert=True, return_document=ReturnDocument.BEFORE)
    previous = (before or {}).get(PUSH_SESSION)
    if isinstance(previous, dict) and previous.get("id") != lsid["id"]:
        end_session(db, previous, "push")


def release(db: Database, session: ClientSession, clinic_id: ObjectId,
            kiosk_id: ObjectId) -> None:
    """The push committed: clear the note, unless another push of this kiosk has taken it.
    A failure here loses nothing (the batch is committed; a stale note only makes the next
    push end a session that has already ended), so it is logged, not raised."""
    try:
        db[WORKSTATION].update_one(
            {"_id": kiosk_id, "clinicId": clinic_id,
             f"{PUSH_SESSION}.id": session.session_id["id"]},
            {"$unset": {PUSH_SESSION: ""}})
    except PyMongoError as error:
        log.info("Could not clear the finished push's session note (%s).", type(error).__name__)

