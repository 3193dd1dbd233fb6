"""Ending a central transaction whose process died inside it (a push, an import).

A process killed (or cut off) inside a transaction leaves it open on the server: a dropped
connection does not abort it, with mongod as with SecantusDB. Until the server reaps it (60 s)
it holds its writes, among them the clinic's rev counter, so every other writer of the clinic
meets write conflicts. ``killSessions`` on its session id aborts it at once; this module
keeps the session ids where the next writer finds them.

A push notes its session on its own kiosk's Workstation document (push_sessions.py): only
that kiosk's next push ends it, and no push of the kiosk can still be running then.

An import may run from any workstation, so its claim is a lease: ``SessionClaim`` document
``<clinic>:import`` holds ``sessions: {<session hex>: {lsid, beatAt}}``; the running import
renews its ``beatAt`` every ``BEAT_S`` from a thread, outside its transaction. Anyone may end
a claimed session whose beat is ``DEAD_AFTER_S`` old: the next import before it starts, and a
push that meets a write conflict. Both times are the server's (``$currentDate``), so a kiosk
whose clock is off cannot take a live import for a dead one. The import's transaction aborts
with its session, so nothing of a killed import lands.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

from kiosk.adapters.mongo.schema import SESSION_CLAIM

IMPORT = "import"
BEAT_S = 1.0
DEAD_AFTER_S = 5.0  # five missed beats: the process is gone (or frozen, which is as bad)
POLL_S = 0.25

log = logging.getLogger(__name__)


def end_session(db: Database, lsid: dict, purpose: str) -> None:
    """``killSessions`` on one session id (the server aborts its open transaction). A server
    that refuses it leaves the transaction to its own reaper, as before."""
    try:
        db.client.admin.command("killSessions", [lsid])
    except OperationFailure as error:
        log.warning("The server did not end an unfinished %s session (%s); it will abort it "
                    "by itself within about a minute.", purpose, error.code)
    else:
        log.info("Ended an unfinished %s session on the server.", purpose)


def _where(clinic_id: ObjectId, purpose: str) -> dict:
    return {"_id": f"{clinic_id}:{purpose}", "clinicId": clinic_id}


def _hex(session: ClientSession) -> str:
    return bytes(session.session_id["id"]).hex()


def end_dead(db: Database, clinic_id: ObjectId, purpose: str) -> dict[str, datetime]:
    """End the clinic's claimed ``purpose`` sessions whose beat stopped; returns the live ones
    (session hex: last beat)."""
    doc = db[SESSION_CLAIM].find_one_and_update(
        _where(clinic_id, purpose), {"$currentDate": {"seenAt": True}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        return {}
    now = doc.get("seenAt")
    live: dict[str, datetime] = {}
    sessions = doc.get("sessions")
    for key, entry in (sessions if isinstance(sessions, dict) else {}).items():
        beat = entry.get("beatAt") if isinstance(entry, dict) else None
        if (isinstance(beat, datetime) and isinstance(now, datetime)
                and (now - beat).total_seconds() < DEAD_AFTER_S):
            live[key] = beat
            continue
        lsid = entry.get("lsid") if isinstance(entry, dict) else None
        if isinstance(lsid, dict) and "id" in lsid:
            end_session(db, {"id": lsid["id"]}, purpose)
        db[SESSION_CLAIM].update_one({**_where(clinic_id, purpose), f"sessions.{key}": entry},
                                     {"$unset": {f"sessions.{key}": ""}})
    return live


def _wait_for_others(db: Database, clinic_id: ObjectId, purpose: str,
                     sleep: Callable[[float], None]) -> None:
    """End dead claims; while another one is noted, wait until it ends, beats again (it is
    alive: go on, and conflict with it as before) or has missed enough beats to be ended."""
    first = end_dead(db, clinic_id, purpose)
    deadline = time.monotonic() + DEAD_AFTER_S + 2 * BEAT_S
    while first and time.monotonic() < deadline:
        sleep(POLL_S)
        now = end_dead(db, clinic_id, purpose)
        if not now or any(first.get(key) != beat for key, beat in now.items()):
            return


@contextmanager
def claimed(db: Database, session: ClientSession, clinic_id: ObjectId, purpose: str, *,
            sleep: Callable[[float], None] = time.sleep) -> Iterator[None]:
    """Claim ``session`` for ``purpose`` (ending dead claims first) and keep the claim
    beating while the block runs; the claim is dropped when the block ends."""
    _wait_for_others(db, clinic_id, purpose, sleep)
    key = _hex(session)
    where = _where(clinic_id, purpose)
    note = {"$set": {f"sessions.{key}.lsid": session.session_id},
            "$currentDate": {f"sessions.{key}.beatAt": True}}
    try:
        db[SESSION_CLAIM].update_one(where, note, upsert=True)
    except DuplicateKeyError:  # another writer created the document at the same moment
        db[SESSION_CLAIM].update_one(where, note, upsert=True)
    stop = threading.Event()
    beating = threading.Thread(target=_beat, args=(db, where, key, stop), daemon=True,
                               name=f"{purpose}-session-beat")
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
        _release(db, where, key, purpose)


def _beat(db: Database, where: dict, key: str, stop: threading.Event) -> None:
    while not stop.wait(BEAT_S):
        try:
            done = db[SESSION_CLAIM].update_one(
                {**where, f"sessions.{key}": {"$exists": True}},
                {"$currentDate": {f"sessions.{key}.beatAt": True}})
        except PyMongoError as error:  # the transaction meets the same trouble; it decides
            log.info("Could not renew a session claim (%s).", type(error).__name__)
            continue
        if done.matched_count == 0:  # ended as dead: the transaction is gone
            return


def _release(db: Database, where: dict, key: str, purpose: str) -> None:
    """Drop the claim (and its document once empty). A failure loses nothing: a stale claim
    only makes the next writer end a session that has already ended."""
    try:
        db[SESSION_CLAIM].update_one(where, {"$unset": {f"sessions.{key}": ""}})
        db[SESSION_CLAIM].delete_one({**where, "sessions": {}})
    except PyMongoError as error:
        log.info("Could not clear a finished %s session's claim (%s).", purpose,
                 type(error).__name__)
