"""Turn one CSV row of each import kind into catalog changes; errors are plain sentences."""

from __future__ import annotations

from dataclasses import replace

from kiosk.domain.barcodes import gtin14, is_valid_gtin
from kiosk.domain.errors import ValidationError, staff_by_id
from kiosk.domain.ids import is_object_id, new_object_id
from kiosk.domain.model import (
    CONTACT_NAME_LEN,
    PHONE_LEN,
    ApplianceRecord,
    ApplianceStatus,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Vendor,
    VendorOffer,
)
from kiosk.domain.money import parse_money
from kiosk.domain.permissions import parse_role
from kiosk.domain.pins import hash_pin, is_valid_pin
from kiosk.domain.values import one_line, parse_iso_date
from kiosk.services.lookup import find_item, find_patient
from kiosk.services.placement import parse_appliance_type
from kiosk.services.ports import Tx

COLUMNS = {
    "items": ("sku", "name", "category", "gtins", "hibcc", "unit_of_measure", "reorder_point",
              "reorder_quantity"),
    "offers": ("sku", "vendor", "vendor_sku", "unit_cost", "preferred"),
    "lots": ("sku", "lot_number", "expiration_date", "vendor", "unit_cost", "quantity", "status"),
    "staff": ("staff_id", "name", "role", "badge", "pin"),
    "patients": ("patient_id", "chart_number", "first_name", "last_name", "phone",
                 "guardian_name", "guardian_phone"),
    "appliances": ("appliance_id", "chart_number", "type", "status", "treatment_plan_id"),
}
# columns a file may leave out altogether (files written before they existed)
OPTIONAL_COLUMNS = frozenset({"phone", "guardian_name", "guardian_phone"})
CsvRow = dict[str, str | None]  # csv.DictReader's: None for the fields of a short line
OPTIONAL = {"gtins", "hibcc", "unit_cost", "staff_id", "patient_id", "appliance_id",
            "treatment_plan_id", "expiration_date", "vendor_sku", "unit_of_measure", "status",
            "preferred", "reorder_point", "reorder_quantity", "vendor", *OPTIONAL_COLUMNS}


def field(row: CsvRow, name: str) -> str:
    value = (row.get(name) or "").strip()
    if not value and name not in OPTIONAL:
        raise ValidationError(f"the {name} is empty.")
    if len(value) > 200:
        raise ValidationError(f"the {name} is longer than 200 characters.")
    return value


def whole(row: CsvRow, name: str, default: int = 0) -> int:
    text = field(row, name)
    if not text:
        return default
    digits = text.removeprefix("-")  # ASCII digits only: "²".isdigit() yet int("²") fails
    if not (digits.isascii() and digits.isdigit()) or not 0 <= int(text) <= 1_000_000:
        raise ValidationError(f"the {name} {text!r} is not a whole number from 0 to 1000000.")
    return int(text)


def object_id(row: CsvRow, name: str) -> str:
    text = field(row, name).lower()
    if text and not is_object_id(text):
        raise ValidationError(f"the {name} {text!r} is not a 24-character hex id.")
    return text or new_object_id()


def flag(row: CsvRow, name: str) -> bool:
    text = field(row, name).lower()
    if text not in ("", "true", "false", "yes", "no", "1", "0"):
        raise ValidationError(f"the {name} {text!r} is not true or false.")
    return text in ("true", "yes", "1")


def apply_item(tx: Tx, row: CsvRow) -> None:
    sku = field(row, "sku")
    gtins = tuple(dict.fromkeys(_gtin(g) for g in field(row, "gtins").split(";") if g.strip()))
    hibcc = tuple(dict.fromkeys(h.strip().upper() for h in field(row, "hibcc").split(";")
                                if h.strip()))
    existing = tx.item_by_sku(sku)
    for code, owner in [(g, tx.item_by_gtin(g)) for g in gtins] + [
            (h, tx.item_by_hibcc(h)) for h in hibcc]:
        if owner is not None and owner.sku != sku:
            raise ValidationError(f"code {code} already belongs to item {owner.sku}.")
    item = existing or Item(id=new_object_id(), sku=sku, name="", category=parse_appliance_type(
        field(row, "category")))
    tx.save_item(replace(
        item, name=field(row, "name"), category=parse_appliance_type(field(row, "category")),
        gtins=gtins, hibcc=hibcc, unit_of_measure=field(row, "unit_of_measure") or "EACH",
        reorder_point=whole(row, "reorder_point"), reorder_quantity=whole(row, "reorder_quantity"),
    ))


def _gtin(text: str) -> str:
    text = text.strip()
    if not (text.isdigit() and len(text) in (8, 12, 13, 14) and is_valid_gtin(text)):
        raise ValidationError(f"the GTIN {text!r} is not a valid GTIN (check digit or length).")
    return gtin14(text)


def vendor_named(tx: Tx, name: str) -> Vendor:
    vendor = tx.vendor_by_name(name)
    if vendor is None:
        vendor = Vendor(id=new_object_id(), name=name)
        tx.save_vendor(vendor)
    return vendor


def apply_offer(tx: Tx, row: CsvRow) -> None:
    item = find_item(tx, field(row, "sku"))
    vendor = vendor_named(tx, field(row, "vendor") or _missing("vendor"))
    offer = VendorOffer(vendor_id=vendor.id, vendor_sku=field(row, "vendor_sku"),
                        unit_cost=parse_money(field(row, "unit_cost") or _missing("unit_cost")),
                        is_preferred=flag(row, "preferred"))
    others = [o for o in item.offers if o.vendor_id != vendor.id]
    if offer.is_preferred:
        others = [replace(o, is_preferred=False) for o in others]
    tx.save_item(replace(item, offers=[*others, offer]))


def apply_lot(tx: Tx, row: CsvRow) -> None:
    item = find_item(tx, field(row, "sku"))
    number = field(row, "lot_number")
    vendor_name = field(row, "vendor")
    vendor = vendor_named(tx, vendor_name) if vendor_name else None
    cost_text = field(row, "unit_cost")
    status_text = (field(row, "status") or "ACTIVE").upper()
    if status_text not in LotStatus.__members__:
        raise ValidationError(f"the status {status_text!r} is not ACTIVE, QUARANTINED or RECALLED.")
    quantity = whole(row, "quantity")
    existing = tx.lot_by_number(item.id, number)
    lot = Lot(id=existing.id if existing else new_object_id(), item_id=item.id, lot_number=number,
              expiration_date=parse_iso_date(field(row, "expiration_date")),
              vendor_id=vendor.id if vendor else None,
              unit_cost=parse_money(cost_text) if cost_text else None,
              quantity_on_hand=existing.quantity_on_hand if existing else 0,
              status=LotStatus(status_text))
    tx.save_lot(lot)
    tx.change_stock(item.id, lot.id, quantity - lot.quantity_on_hand)


def apply_staff(tx: Tx, row: CsvRow) -> None:
    pin = field(row, "pin")
    if not is_valid_pin(pin):
        raise ValidationError("the PIN must be 4 to 8 digits.")
    badge = field(row, "badge")
    staff_id = object_id(row, "staff_id")
    holder = tx.staff_by_badge(badge)
    if holder is not None and holder.id != staff_id:
        raise ValidationError(f"badge {badge} already belongs to {holder.name}.",
                              people=staff_by_id(holder.name, holder.id))
    tx.save_staff(Staff(id=staff_id, name=field(row, "name"), role=parse_role(field(row, "role")),
                        badge=badge, pin_hash=hash_pin(pin)))


def apply_patient(tx: Tx, row: CsvRow) -> None:
    chart = field(row, "chart_number")
    holder = tx.patient_by_chart(chart)
    patient_id = field(row, "patient_id") and object_id(row, "patient_id")
    patient_id = patient_id or (holder.id if holder else new_object_id())
    if holder is not None and holder.id != patient_id:
        raise ValidationError(f"chart number {chart} already belongs to another patient.")
    tx.save_patient(Patient(id=patient_id, chart_number=chart,
                            first_name=field(row, "first_name"), last_name=field(row, "last_name"),
                            phone=_contact(row, "phone", PHONE_LEN),
                            guardian_name=_contact(row, "guardian_name", CONTACT_NAME_LEN),
                            guardian_phone=_contact(row, "guardian_phone", PHONE_LEN)))


def _contact(row: CsvRow, name: str, max_len: int) -> str:
    """A contact detail as one line of text (controls and line breaks removed), bounded."""
    value = one_line(field(row, name))
    if len(value) > max_len:
        raise ValidationError(f"the {name} is longer than {max_len} characters.")
    return value


def apply_appliance(tx: Tx, row: CsvRow) -> None:
    patient = find_patient(tx, field(row, "chart_number"))
    status_text = (field(row, "status") or "ORDERED").upper()
    if status_text not in ApplianceStatus.__members__:
        raise ValidationError(f"the status {status_text!r} is not ORDERED, PLACED or REMOVED.")
    plan = field(row, "treatment_plan_id") and object_id(row, "treatment_plan_id")
    tx.save_appliance(ApplianceRecord(
        id=object_id(row, "appliance_id"), patient_id=patient.id,
        type=parse_appliance_type(field(row, "type")), status=ApplianceStatus(status_text),
        treatment_plan_id=plan or None,
    ))


def _missing(name: str) -> str:
    raise ValidationError(f"the {name} is empty.")


APPLY = {"items": apply_item, "offers": apply_offer, "lots": apply_lot, "staff": apply_staff,
         "patients": apply_patient, "appliances": apply_appliance}
