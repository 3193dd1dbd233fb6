"""Catalog documents <-> domain objects (InventoryItem, InventoryLot, Vendor, Staff, Patient,
ApplianceRecord). Documents always carry clinicId and rev; the caller sets both."""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId

from kiosk.adapters.mongo import central_values as v
from kiosk.adapters.mongo.codec import (
    aware,
    datetime_to_day,
    day_to_datetime,
    dec128,
    oid,
)
from kiosk.domain.model import (
    CONTACT_NAME_LEN,
    PHONE_LEN,
    ApplianceRecord,
    ApplianceStatus,
    ApplianceType,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Vendor,
    VendorOffer,
)
from kiosk.domain.permissions import Role
from kiosk.domain.values import one_line


def vendor_doc(vendor: Vendor) -> dict:
    return {"_id": oid(vendor.id), "name": vendor.name}


def vendor_from(doc: dict) -> Vendor:
    return Vendor(id=_id(doc, "_id"), name=v.text(doc, "name"))


def _id(doc: dict, key: str) -> str:
    value = doc[key]
    if not isinstance(value, ObjectId):
        raise ValueError(f"{key} is a {type(value).__name__}, not an ObjectId")
    return str(value)


def _optional_id(doc: dict, key: str) -> str | None:
    return _id(doc, key) if doc.get(key) is not None else None


def _offer_from(offer: object) -> VendorOffer:
    if not isinstance(offer, dict):
        raise ValueError(f"a vendors entry is a {type(offer).__name__}, not a document")
    return VendorOffer(vendor_id=_id(offer, "vendorId"),
                       vendor_sku=v.text(offer, "vendorSku", v.CODE_LEN, required=False),
                       unit_cost=v.required_money(offer, "unitCost"),
                       is_preferred=v.flag(offer, "isPreferred", False))


def item_doc(item: Item) -> dict:
    return {
        "_id": oid(item.id), "sku": item.sku, "name": item.name, "category": item.category.value,
        "gtins": list(item.gtins), "hibcc": list(item.hibcc),
        "unitOfMeasure": item.unit_of_measure, "unitCost": dec128(item.unit_cost),
        "reorderPoint": item.reorder_point, "reorderQuantity": item.reorder_quantity,
        "quantityOnHand": item.quantity_on_hand, "active": item.active,
        "vendors": [{"vendorId": oid(o.vendor_id), "vendorSku": o.vendor_sku,
                     "unitCost": dec128(o.unit_cost), "isPreferred": o.is_preferred}
                    for o in item.offers],
    }


def item_from(doc: dict) -> Item:
    vendors = doc.get("vendors") or []
    if not isinstance(vendors, list) or len(vendors) > 50:
        raise ValueError("vendors is not a list of at most 50 offers")
    return Item(
        id=_id(doc, "_id"), sku=v.text(doc, "sku", v.CODE_LEN), name=v.text(doc, "name"),
        category=ApplianceType(doc["category"]),
        unit_of_measure=v.text(doc, "unitOfMeasure", 20, required=False, default="EACH"),
        gtins=v.texts(doc, "gtins"), hibcc=v.texts(doc, "hibcc"),
        reorder_point=v.count(doc, "reorderPoint", low=0),
        reorder_quantity=v.count(doc, "reorderQuantity", low=0),
        quantity_on_hand=v.count(doc, "quantityOnHand"), unit_cost=v.money(doc, "unitCost"),
        active=v.flag(doc, "active", True),
        offers=[_offer_from(offer) for offer in vendors],
    )


def lot_doc(lot: Lot) -> dict:
    return {
        "_id": oid(lot.id), "itemId": oid(lot.item_id), "lotNumber": lot.lot_number,
        "expirationDate": day_to_datetime(lot.expiration_date), "vendorId": oid(lot.vendor_id),
        "unitCost": dec128(lot.unit_cost), "quantityOnHand": lot.quantity_on_hand,
        "status": lot.status.value, "recallNotice": lot.recall_notice,
    }


def lot_from(doc: dict) -> Lot:
    expiry = doc.get("expirationDate")
    if expiry is not None and not isinstance(expiry, datetime):
        raise ValueError(f"expirationDate is a {type(expiry).__name__}, not a date")
    return Lot(
        id=_id(doc, "_id"), item_id=_id(doc, "itemId"),
        lot_number=v.text(doc, "lotNumber", v.CODE_LEN),
        expiration_date=datetime_to_day(aware(expiry)),
        vendor_id=_optional_id(doc, "vendorId"), unit_cost=v.money(doc, "unitCost"),
        quantity_on_hand=v.count(doc, "quantityOnHand"),
        status=LotStatus(doc.get("status", "ACTIVE")), recall_notice=v.note(doc, "recallNotice"),
    )


def staff_doc(staff: Staff) -> dict:
    return {"_id": oid(staff.id), "name": staff.name, "role": staff.role.value,
            "badge": staff.badge, "pinHash": staff.pin_hash, "active": staff.active}


STAFF_STANDING_FIELDS = {"_id": 1, "clinicId": 1, "active": 1, "deletedAt": 1}


def staff_is_active(doc: dict) -> bool:
    """Whether a central Staff document lets its person sign in and act: ``active`` true or
    absent (documents written before the field existed) and no ``deletedAt`` tombstone.
    Anything else, an unreadable ``active`` ("no", 0, null) included, counts as disabled:
    a doubt about a revocation is settled by revoking."""
    return doc.get("active", True) is True and doc.get("deletedAt") is None


def staff_from(doc: dict) -> Staff:
    return Staff(id=_id(doc, "_id"), name=v.text(doc, "name"), role=Role(doc["role"]),
                 badge=v.text(doc, "badge", v.CODE_LEN),
                 pin_hash=v.text(doc, "pinHash", 400, required=False),
                 active=staff_is_active(doc))


def patient_doc(patient: Patient) -> dict:
    return {"_id": oid(patient.id), "chartNumber": patient.chart_number,
            "firstName": patient.first_name, "lastName": patient.last_name,
            "phone": patient.phone, "guardianName": patient.guardian_name,
            "guardianPhone": patient.guardian_phone}


def patient_from(doc: dict) -> Patient:
    return Patient(id=_id(doc, "_id"), chart_number=v.text(doc, "chartNumber", v.CODE_LEN),
                   first_name=v.text(doc, "firstName", required=False),
                   last_name=v.text(doc, "lastName", required=False),
                   phone=_contact(doc, "phone", PHONE_LEN),
                   guardian_name=_contact(doc, "guardianName", CONTACT_NAME_LEN),
                   guardian_phone=_contact(doc, "guardianPhone", PHONE_LEN))


def _contact(doc: dict, key: str, max_len: int) -> str:
    """A contact detail as one line of text, bounded like an import's ("" when absent)."""
    return one_line(v.text(doc, key, max_len, required=False))


def appliance_doc(record: ApplianceRecord) -> dict:
    return {"_id": oid(record.id), "patientId": oid(record.patient_id), "type": record.type.value,
            "status": record.status.value, "treatmentPlanId": oid(record.treatment_plan_id),
            "placedAt": record.placed_at}


def appliance_from(doc: dict) -> ApplianceRecord:
    placed = doc.get("placedAt")
    if placed is not None and not isinstance(placed, datetime):
        raise ValueError(f"placedAt is a {type(placed).__name__}, not a date and time")
    return ApplianceRecord(
        id=_id(doc, "_id"), patient_id=_id(doc, "patientId"),
        type=ApplianceType(doc["type"]), status=ApplianceStatus(doc["status"]),
        treatment_plan_id=_optional_id(doc, "treatmentPlanId"), placed_at=aware(placed),
    )


TO_DOC = {"Vendor": vendor_doc, "InventoryItem": item_doc, "InventoryLot": lot_doc,
          "Staff": staff_doc, "Patient": patient_doc, "ApplianceRecord": appliance_doc}
FROM_DOC = {"Vendor": vendor_from, "InventoryItem": item_from, "InventoryLot": lot_from,
            "Staff": staff_from, "Patient": patient_from, "ApplianceRecord": appliance_from}


def scoped(doc: dict, clinic_id: ObjectId, rev: int) -> dict:
    """The document as stored: with its clinic and catalog revision."""
    return {**doc, "clinicId": clinic_id, "rev": rev}
