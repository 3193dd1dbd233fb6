"""MongoCatalogTx: the catalog, people and stock repositories of one central transaction.

Every query filters by ``clinicId`` and every write sets it. Each saved document takes the
next catalog ``rev`` in the same transaction, so kiosks pull it; each stock change is also
recorded as an IMPORT ``InventoryAdjustment`` so the central ledger stays complete
(stock = Σ adjustments − Σ usages). Kiosk events, the outbox and the kiosk identity live on
kiosks, not here: those methods refuse.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bson import ObjectId
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from kiosk.adapters.mongo import catalog_docs as docs
from kiosk.adapters.mongo.codec import oid
from kiosk.adapters.mongo.errors import classify
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.adapters.mongo.schema import (
    ADJUSTMENT,
    APPLIANCE,
    ITEM,
    LOT,
    PATIENT,
    STAFF,
    VENDOR,
)
from kiosk.domain.errors import (
    ImportConflict,
    KioskError,
    NotFound,
    ValidationError,
)
from kiosk.domain.ids import is_object_id
from kiosk.domain.model import (
    ApplianceRecord,
    Item,
    Lot,
    Patient,
    Staff,
    Vendor,
)
from kiosk.services.ports import CatalogTx

IMPORT_KIND = "IMPORT"
IMPORT_REASON = "Imported stock count"
LONG_TRANSACTION_S = 50  # MongoDB aborts a transaction after 60 s by default


@contextmanager
def import_errors(action: str, started: float | None = None) -> Iterator[None]:
    try:
        yield
    except PyMongoError as error:
        raise translate_import_error(error, action, started) from error


def translate_import_error(error: PyMongoError, action: str,
                           started: float | None = None) -> KioskError:
    """``started``: when the transaction began (time.monotonic), to recognise one that the
    server aborted for running too long, which running again would not cure."""
    elapsed = time.monotonic() - started if started is not None else 0.0
    if error.has_error_label("TransientTransactionError") and elapsed > LONG_TRANSACTION_S:
        return ValidationError(
            f"The import ran for {elapsed:.0f} s, longer than the central server allows one "
            "transaction; split the file into smaller files and import them one by one.")
    if error.has_error_label("TransientTransactionError"):
        return ImportConflict(
            "The central catalog was changed by another writer (a kiosk's sync or another "
            f"import) while trying to {action}; run the import again.")
    return classify(error, action)


class MongoCatalogTx(CatalogTx):
    """The catalog repositories of one central transaction, scoped to one clinic."""

    def __init__(self, db: Database, clinic_id: ObjectId, session: ClientSession,
                 now: Callable[[], datetime], *, writable: bool, started: float) -> None:
        self.db = db
        self.clinic_id = clinic_id
        self.session = session
        self.now = now
        self.writable = writable
        self.started = started

    # reading ------------------------------------------------------------------------------
    def _one(self, collection: str, query: dict, action: str) -> dict | None:
        with import_errors(action, self.started):
            return self.db[collection].find_one({**query, "clinicId": self.clinic_id},
                                                session=self.session)

    def _many(self, collection: str, query: dict, action: str) -> list[dict]:
        with import_errors(action, self.started):
            return list(self.db[collection].find({**query, "clinicId": self.clinic_id},
                                                 session=self.session))

    def _by_id(self, collection: str, hex_id: str, action: str) -> dict | None:
        if not is_object_id(hex_id):  # a badge or chart number tried as an id
            return None
        return self._one(collection, {"_id": ObjectId(hex_id)}, action)

    # writing ------------------------------------------------------------------------------
    def _require_write(self, action: str) -> None:
        if not self.writable:
            raise KioskError(f"Could not {action}: this is a read-only view of the central "
                             "catalog.")

    def _save(self, collection: str, doc: dict, action: str) -> None:
        """Insert or update by (id, clinic), setting the next rev; other systems' fields stay.

        Stock is never overwritten by a save (only ``change_stock`` moves it), so a save
        cannot lose a concurrent kiosk's deduction.
        """
        self._require_write(action)
        now = self.now()
        fields = {key: value for key, value in doc.items() if key != "_id"}
        on_insert: dict = {"createdAt": now}
        if "quantityOnHand" in fields:
            on_insert["quantityOnHand"] = fields.pop("quantityOnHand")
        try:
            rev = next_rev(self.db, self.clinic_id, self.session)
            self.db[collection].update_one(
                {"_id": doc["_id"], "clinicId": self.clinic_id},
                {"$set": docs.scoped(fields, self.clinic_id, rev) | {"updatedAt": now},
                 "$setOnInsert": on_insert},
                upsert=True, session=self.session)
        except DuplicateKeyError as error:
            raise ValidationError(_duplicate(error, collection, doc["_id"])) from None
        except PyMongoError as error:
            raise translate_import_error(error, action, self.started) from error

    # vendors ------------------------------------------------------------------------------
    def vendor_by_id(self, vendor_id: str) -> Vendor | None:
        doc = self._by_id(VENDOR, vendor_id, "read a vendor")
        return docs.vendor_from(doc) if doc else None

    def vendor_by_name(self, name: str) -> Vendor | None:
        key = name.strip().casefold()
        pattern = {"$regex": f"^\\s*{re.escape(name.strip())}\\s*$", "$options": "i"}
        found = self._many(VENDOR, {"name": pattern}, "look up a vendor by name")
        matches = sorted((d for d in found if d["name"].strip().casefold() == key),
                         key=lambda d: str(d["_id"]))
        return docs.vendor_from(matches[0]) if matches else None

    def save_vendor(self, vendor: Vendor) -> None:
        self._save(VENDOR, docs.vendor_doc(vendor), f"save vendor {vendor.name}")

    # items --------------------------------------------------------------------------------
    def item(self, item_id: str) -> Item | None:
        doc = self._by_id(ITEM, item_id, "read an item")
        return docs.item_from(doc) if doc else None

    def item_by_sku(self, sku: str) -> Item | None:
        doc = self._one(ITEM, {"sku": sku}, "look up an item by SKU")
        return docs.item_from(doc) if doc else None

    def item_by_gtin(self, gtin14: str) -> Item | None:
        doc = self._one(ITEM, {"gtins": gtin14}, "look up an item by GTIN")
        return docs.item_from(doc) if doc else None

    def item_by_hibcc(self, key: str) -> Item | None:
        doc = self._one(ITEM, {"hibcc": key}, "look up an item by HIBCC")
        return docs.item_from(doc) if doc else None

    def all_items(self) -> list[Item]:
        found = self._many(ITEM, {}, "read the item list")
        return sorted((docs.item_from(d) for d in found), key=lambda item: item.sku)

    def save_item(self, item: Item) -> None:
        action = f"save item {item.sku}"
        self._refuse_codes_of_other_items(item, action)
        self._save(ITEM, docs.item_doc(item), action)

    def _refuse_codes_of_other_items(self, item: Item, action: str) -> None:
        # Without this a barcode could quietly belong to two items of the clinic.
        if not item.gtins and not item.hibcc:
            return
        clash = self._one(ITEM, {"_id": {"$ne": oid(item.id)}, "$or": [
            {"gtins": {"$in": list(item.gtins)}}, {"hibcc": {"$in": list(item.hibcc)}}]}, action)
        if clash is not None:
            code = next(c for c in (*item.gtins, *item.hibcc)
                        if c in clash.get("gtins", ()) or c in clash.get("hibcc", ()))
            raise ValidationError(
                f"Could not {action}: barcode {code} already belongs to item {clash['sku']}.")

    # lots ---------------------------------------------------------------------------------
    def lot(self, lot_id: str) -> Lot | None:
        doc = self._by_id(LOT, lot_id, "read a lot")
        return docs.lot_from(doc) if doc else None

    def lot_by_number(self, item_id: str, lot_number: str) -> Lot | None:
        if not is_object_id(item_id):
            return None
        doc = self._one(LOT, {"itemId": ObjectId(item_id), "lotNumber": lot_number},
                        "look up a lot")
        return docs.lot_from(doc) if doc else None

    def lots_for_item(self, item_id: str) -> list[Lot]:
        if not is_object_id(item_id):
            return []
        found = self._many(LOT, {"itemId": ObjectId(item_id)}, "read the lots of an item")
        lots = [docs.lot_from(d) for d in found]
        # Soonest expiry first, lots without one last (as the local store orders them).
        return sorted(lots, key=lambda lot: (lot.expiration_date is None,
                                             lot.expiration_date or datetime.min.date(),
                                             lot.lot_number))

    def lots_numbered(self, lot_number: str) -> list[Lot]:
        found = self._many(LOT, {"lotNumber": lot_number}, "look up a lot number")
        return sorted((docs.lot_from(d) for d in found), key=lambda lot: (lot.item_id, lot.id))

    def save_lot(self, lot: Lot) -> None:
        self._save(LOT, docs.lot_doc(lot), f"save lot {lot.lot_number}")

    def change_stock(self, item_id: str, lot_id: str | None, delta: int) -> None:
        """``$inc`` the lot's and item's on-hand (each with a new rev) and record the change
        as an IMPORT adjustment; a zero change writes nothing."""
        action = "change the stock on hand"
        self._require_write(action)
        if delta == 0:
            return
        if not is_object_id(item_id) or (lot_id is not None and not is_object_id(lot_id)):
            raise NotFound(f"Could not {action}: item {item_id} or lot {lot_id} is not known.")
        now = self.now()
        with import_errors(action, self.started):
            lot_number = None
            if lot_id is not None:  # the lot first: if it is missing nothing has changed yet
                lot = self.db[LOT].find_one_and_update(
                    {"_id": ObjectId(lot_id), "itemId": ObjectId(item_id),
                     "clinicId": self.clinic_id},
                    self._stock_update(delta, now), projection={"lotNumber": 1},
                    session=self.session)
                if lot is None:
                    raise NotFound(f"Could not {action}: lot {lot_id} of item {item_id} is not "
                                   "in this clinic's catalog.")
                lot_number = lot["lotNumber"]
            done = self.db[ITEM].update_one(
                {"_id": ObjectId(item_id), "clinicId": self.clinic_id},
                self._stock_update(delta, now), session=self.session)
            if done.matched_count != 1:
                raise NotFound(f"Could not {action}: item {item_id} is not in this clinic's "
                               "catalog.")
            self.db[ADJUSTMENT].insert_one({
                "_id": ObjectId(), "clinicId": self.clinic_id, "kind": IMPORT_KIND,
                "inventoryItemId": ObjectId(item_id), "lotId": oid(lot_id),
                "lotNumber": lot_number, "quantity": delta, "reason": IMPORT_REASON,
                "createdAt": now,
            }, session=self.session)

    def _stock_update(self, delta: int, now: datetime) -> dict:
        rev = next_rev(self.db, self.clinic_id, self.session)
        return {"$inc": {"quantityOnHand": delta}, "$set": {"rev": rev, "updatedAt": now}}

    # staff --------------------------------------------------------------------------------
    def staff_by_id(self, staff_id: str) -> Staff | None:
        doc = self._by_id(STAFF, staff_id, "read a staff member")
        return docs.staff_from(doc) if doc else None

    def staff_by_badge(self, badge: str) -> Staff | None:
        exact_any_case = {"$regex": f"^{re.escape(badge)}$", "$options": "i"}
        doc = self._one(STAFF, {"badge": exact_any_case}, "look up a staff badge")
        return docs.staff_from(doc) if doc else None

    def all_staff(self) -> list[Staff]:
        found = self._many(STAFF, {}, "read the staff list")
        return sorted((docs.staff_from(d) for d in found), key=lambda s: (s.name, s.id))

    def save_staff(self, staff: Staff) -> None:
        """The PIN arrives hashed (imports hash it) and is stored as ``pinHash``."""
        self._save(STAFF, docs.staff_doc(staff), f"save staff member {staff.id}")

    # patients -----------------------------------------------------------------------------
    def patient_by_id(self, patient_id: str) -> Patient | None:
        doc = self._by_id(PATIENT, patient_id, "read a patient")
        return docs.patient_from(doc) if doc else None

    def patient_by_chart(self, chart_number: str) -> Patient | None:
        doc = self._one(PATIENT, {"chartNumber": chart_number}, "look up a chart number")
        return docs.patient_from(doc) if doc else None

    def all_patients(self) -> list[Patient]:
        found = self._many(PATIENT, {}, "read the patient list")
        return sorted((docs.patient_from(d) for d in found),
                      key=lambda p: (p.last_name, p.first_name, p.chart_number))

    def save_patient(self, patient: Patient) -> None:
        self._save(PATIENT, docs.patient_doc(patient), f"save patient {patient.chart_number}")

    # appliance records --------------------------------------------------------------------
    def appliance(self, appliance_id: str) -> ApplianceRecord | None:
        doc = self._by_id(APPLIANCE, appliance_id, "read an appliance record")
        return docs.appliance_from(doc) if doc else None

    def appliances_for_patient(self, patient_id: str) -> list[ApplianceRecord]:
        if not is_object_id(patient_id):
            return []
        found = self._many(APPLIANCE, {"patientId": ObjectId(patient_id)},
                           "read a patient's appliance records")
        records = [docs.appliance_from(d) for d in found]
        return sorted(records, key=lambda r: (r.placed_at is None,
                                              r.placed_at.timestamp() if r.placed_at else 0,
                                              r.id))

    def save_appliance(self, record: ApplianceRecord) -> None:
        self._save(APPLIANCE, docs.appliance_doc(record), f"save appliance record {record.id}")

    # kiosk-only parts of the port: events, outbox, identity, cursors -------------------------


def _duplicate(error: DuplicateKeyError, collection: str, doc_id: ObjectId) -> str:
    """A duplicate key on a save: most often an id that another clinic's record already has."""
    details = error.details or {}
    keys = set((details.get("keyPattern") or {}).keys())
    message = str(details.get("errmsg") or error)
    if keys == {"_id"} or (not keys and "_id_" in message):
        return (f"the id {doc_id} is already used by a {collection} record of another clinic; "
                "leave the id column empty or use this clinic's id.")
    index = ", ".join(sorted(keys)) or "a unique index"
    return f"it clashes with an existing {collection} record ({index} must be unique)."
