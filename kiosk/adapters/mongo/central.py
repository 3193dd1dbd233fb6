"""MongoCentral: the CentralStore port over one clinic's documents in MongoDB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bson import ObjectId
from pymongo import MongoClient
from pymongo.database import Database

from kiosk.adapters.mongo import audit, kiosk_claims, lot_tracking, pull, push
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.errors import central_errors
from kiosk.adapters.mongo.schema import WORKSTATION, require_schema
from kiosk.services.ports import OutboxEvent
from kiosk.services.sync_ports import (
    CentralSequences,
    CentralStore,
    Drift,
    KioskClaim,
    PulledPage,
    PushOutcome,
    WorkstationStatus,
)


class MongoCentral(CentralStore):
    """Scoped to one clinic and one kiosk: every query filters by clinicId. Thread-safe as
    pymongo's client is; create one per process."""

    def __init__(self, client: MongoClient, clinic_id: str, kiosk_id: str,
                 db: Database | None = None) -> None:
        self.client = client
        self.db = db if db is not None else database(client)
        self.clinic_id = ObjectId(clinic_id)
        self.kiosk_id = ObjectId(kiosk_id)

    @classmethod
    def from_uri(cls, uri: str, clinic_id: str, kiosk_id: str) -> MongoCentral:
        return cls(connect(uri), clinic_id, kiosk_id)

    def push(self, events: Sequence[OutboxEvent]) -> PushOutcome:
        with central_errors("read the schema version"):
            require_schema(self.db)  # never into a database without the kiosk's schema
        with central_errors("send the kiosk's events"):
            return push.push_batch(self.client, self.db, self.clinic_id, self.kiosk_id, events)

    def pull(self, collection: str, after_rev: int, limit: int) -> PulledPage:
        with central_errors("read the schema version"):
            require_schema(self.db)
        with central_errors("fetch catalog changes"):
            return pull.pull_page(self.db, self.clinic_id, collection, after_rev, limit)

    def schema_version(self) -> int:
        with central_errors("read the schema version"):
            return require_schema(self.db)

    def active_staff_ids(self) -> frozenset[str] | None:
        with central_errors("read the schema version"):
            require_schema(self.db)
        with central_errors("read the clinic's staff list"):
            return pull.active_staff_ids(self.db, self.clinic_id)

    def heartbeat(self, status: WorkstationStatus) -> None:
        document = {
            "clinicId": self.clinic_id, "workstationId": status.workstation_id,
            "version": status.version, "queueDepth": status.queue_depth,
            "quarantined": status.quarantined, "lastSync": status.last_sync,
            "lastError": status.last_error, "heartbeatAt": datetime.now(UTC),
        }
        with central_errors("report this workstation's status"):
            self.db[WORKSTATION].update_one(
                {"_id": self.kiosk_id, "clinicId": self.clinic_id}, {"$set": document},
                upsert=True)

    def claim_kiosk(self, claim: KioskClaim, takeover: bool) -> KioskClaim | None:
        with central_errors("read the schema version"):
            require_schema(self.db)  # no claim written into a database without the schema
        with central_errors("check which workstation syncs as this kiosk"):
            return kiosk_claims.claim_kiosk(self.db, self.clinic_id, self.kiosk_id, claim,
                                            takeover)

    def highest_seq(self) -> int | None:
        with central_errors("read this kiosk's sequence"):
            return kiosk_claims.highest_seq(self.db, self.clinic_id, self.kiosk_id)

    def sequences(self, seqs: Sequence[int], event_ids: Sequence[str]) -> CentralSequences:
        with central_errors("read this kiosk's sequence"):
            return kiosk_claims.sequences(self.db, self.clinic_id, self.kiosk_id, seqs,
                                          event_ids)

    def audit(self) -> list[Drift]:
        with central_errors("audit stock and costs"):
            return audit.audit_clinic(self.db, self.clinic_id)

    def lot_uses(self, lot_numbers: Sequence[str], *,
                 include_voided: bool = False) -> list[lot_tracking.LotUse]:
        """Every use of these lot numbers at any kiosk of the clinic (a recall's patients)."""
        with central_errors("look up the uses of a lot"):
            return lot_tracking.lot_uses(self.db, self.clinic_id, lot_numbers,
                                         include_voided=include_voided)

    def close(self) -> None:
        self.client.close()
