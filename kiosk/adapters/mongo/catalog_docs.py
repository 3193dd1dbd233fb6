"""Catalog documents <-> domain objects (InventoryItem, InventoryLot, Vendor, Staff, Patient,
ApplianceRecord). Documents always carry clinicId and rev; the caller sets both."""

from __future__ import annotations

from bson import ObjectId

from kiosk.adapters.mongo.codec import (
    aware,
    datetime_to_day,
    day_to_datetime,
    dec,
    dec128,
    hex_id,
    oid,
)
from kiosk.domain.model import (
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


def vendor_doc(vendor: Vendor) -> dict:
    return {"_id": oid(vendor.id), "name": vendor.name}


def vendor_from(doc: dict) -> Vendor:
    return Vendor(id=hex_id(doc["_id"]), name=doc["name"])


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
    return Item(
        id=hex_id(doc["_id"]), sku=doc["sku"], name=doc["name"],
        category=ApplianceType(doc["category"]), unit_of_measure=doc.get("unitOfMeasure", "EACH"),
        gtins=tuple(doc.get("gtins", ())), hibcc=tuple(doc.get("hibcc", ())),
        reorder_point=int(doc.get("reorderPoint", 0)),
        reorder_quantity=int(doc.get("reorderQuantity", 0)),
        quantity_on_hand=int(doc.get("quantityOnHand", 0)), unit_cost=dec(doc.get("unitCost")),
        active=bool(doc.get("active", True)),
        offers=[VendorOffer(vendor_id=hex_id(v["vendorId"]), vendor_sku=v.get("vendorSku", ""),
                            unit_cost=dec(v["unitCost"]), is_preferred=bool(v.get("isPreferred")))
                for v in doc.get("vendors", ())],
    )


def lot_doc(lot: Lot) -> dict:
    return {
        "_id": oid(lot.id), "itemId": oid(lot.item_id), "lotNumber": lot.lot_number,
        "expirationDate": day_to_datetime(lot.expiration_date), "vendorId": oid(lot.vendor_id),
        "unitCost": dec128(lot.unit_cost), "quantityOnHand": lot.quantity_on_hand,
        "status": lot.status.value, "recallNotice": lot.recall_notice,
    }


def lot_from(doc: dict) -> Lot:
    return Lot(
        id=hex_id(doc["_id"]), item_id=hex_id(doc["itemId"]), lot_number=doc["lotNumber"],
        expiration_date=datetime_to_day(aware(doc.get("expirationDate"))),
        vendor_id=hex_id(doc.get("vendorId")), unit_cost=dec(doc.get("unitCost")),
        quantity_on_hand=int(doc.get("quantityOnHand", 0)),
        status=LotStatus(doc.get("status", "ACTIVE")), recall_notice=doc.get("recallNotice"),
    )


def staff_doc(staff: Staff) -> dict:
    return {"_id": oid(staff.id), "name": staff.name, "role": staff.role.value,
            "badge": staff.badge, "pinHash": staff.pin_hash}


def staff_from(doc: dict) -> Staff:
    return Staff(id=hex_id(doc["_id"]), name=doc["name"], role=Role(doc["role"]),
                 badge=doc["badge"], pin_hash=doc.get("pinHash", ""))


def patient_doc(patient: Patient) -> dict:
    return {"_id": oid(patient.id), "chartNumber": patient.chart_number,
            "firstName": patient.first_name, "lastName": patient.last_name}


def patient_from(doc: dict) -> Patient:
    return Patient(id=hex_id(doc["_id"]), chart_number=doc["chartNumber"],
                   first_name=doc.get("firstName", ""), last_name=doc.get("lastName", ""))


def appliance_doc(record: ApplianceRecord) -> dict:
    return {"_id": oid(record.id), "patientId": oid(record.patient_id), "type": record.type.value,
            "status": record.status.value, "treatmentPlanId": oid(record.treatment_plan_id),
            "placedAt": record.placed_at}


def appliance_from(doc: dict) -> ApplianceRecord:
    return ApplianceRecord(
        id=hex_id(doc["_id"]), patient_id=hex_id(doc["patientId"]),
        type=ApplianceType(doc["type"]), status=ApplianceStatus(doc["status"]),
        treatment_plan_id=hex_id(doc.get("treatmentPlanId")), placed_at=aware(doc.get("placedAt")),
    )


TO_DOC = {"Vendor": vendor_doc, "InventoryItem": item_doc, "InventoryLot": lot_doc,
          "Staff": staff_doc, "Patient": patient_doc, "ApplianceRecord": appliance_doc}
FROM_DOC = {"Vendor": vendor_from, "InventoryItem": item_from, "InventoryLot": lot_from,
            "Staff": staff_from, "Patient": patient_from, "ApplianceRecord": appliance_from}


def scoped(doc: dict, clinic_id: ObjectId, rev: int) -> dict:
    """The document as stored: with its clinic and catalog revision."""
    return {**doc, "clinicId": clinic_id, "rev": rev}
