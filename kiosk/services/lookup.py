"""Resolve references given by people or scanners: staff, patients, products, lots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kiosk.domain.barcodes import ScanKind, ScanResult, parse_scan
from kiosk.domain.errors import (
    ExpiryMismatch,
    NotFound,
    PermissionDenied,
    ValidationError,
    staff_by_id,
)
from kiosk.domain.ids import is_object_id
from kiosk.domain.model import Item, Lot, Patient, Staff
from kiosk.domain.permissions import Permission, Role, require
from kiosk.services.ports import Tx

STAFF_PREFIX = "STAFF-"
CHART_PREFIX = "CHART-"
T = TypeVar("T")


def find_staff(tx: Tx, ref: str) -> Staff:
    """A staff member by id, badge code, or scanned badge (STAFF-…)."""
    text = (ref or "").strip()
    if text.upper().startswith(STAFF_PREFIX):
        text = text[len(STAFF_PREFIX) :]
    staff = _id_or_code(text, tx.staff_by_id, tx.staff_by_badge)
    if staff is None:
        raise NotFound(f"No staff member has the id or badge {ref!r}.")
    return staff


def _id_or_code(text: str, by_id: Callable[[str], T | None],
                by_code: Callable[[str], T | None]) -> T | None:
    """The record whose id is ``text``, else the one whose badge or chart number it is.

    Ids are ObjectIds (24 lowercase hex), so a text of another shape is asked as a code
    first: one look-up instead of two for the badges and chart numbers people scan."""
    if not text:
        return None
    if is_object_id(text):
        return by_id(text) or by_code(text)
    return by_code(text) or by_id(text)


def find_actor(tx: Tx, actor_ref: str) -> Staff:
    """The staff member acting, who must still be active: one disabled or deleted centrally
    (issue 14) can no longer act, though their past usages stay theirs."""
    staff = find_staff(tx, actor_ref)
    if not staff.active:
        raise PermissionDenied(f"{staff.name} is disabled in the clinic's staff list and can no "
                               "longer act here; ask an active colleague, or a clinic manager "
                               "to re-enable them centrally.",
                               people=staff_by_id(staff.name, staff.id))
    return staff


def authorize(tx: Tx, actor_ref: str, permission: Permission) -> Staff:
    """Resolve the actor, who must be active, and check the permission the operation needs."""
    staff = find_actor(tx, actor_ref)
    require(staff.name, staff.role, permission, staff.id)
    return staff


READ_PERMISSIONS = frozenset({Permission.APPLIANCE_READ, Permission.INVENTORY_READ})
WORKSTATION_OPERATOR = Staff(id="0" * 24, name="Workstation operator", role=Role.CLINIC_MANAGER,
                             badge="")


def authorize_reader(tx: Tx, actor_ref: str | None, permission: Permission) -> Staff:
    """Like ``authorize``; with no actor, reads run as the operator at this workstation's shell,
    who can read the database file anyway. Writes always need a named actor."""
    if actor_ref is None and permission in READ_PERMISSIONS:
        return WORKSTATION_OPERATOR
    return authorize(tx, actor_ref or "", permission)


def find_patient(tx: Tx, ref: str) -> Patient:
    """A patient by id, chart number, or scanned chart code (CHART-…)."""
    text = (ref or "").strip()
    if text.upper().startswith(CHART_PREFIX):
        text = text[len(CHART_PREFIX) :]
    patient = _id_or_code(text, tx.patient_by_id, tx.patient_by_chart)
    if patient is None:
        # what was typed may be the patient's name: the log gets its length only
        raise NotFound(f"No patient has the id or chart number {ref!r}.",
                       people={ref: f"<{len(ref)} characters>"})
    return patient


def find_item(tx: Tx, sku: str) -> Item:
    item = tx.item_by_sku((sku or "").strip())
    if item is None:
        raise NotFound(f"No item has the SKU {sku!r}.")
    return item


@dataclass(frozen=True)
class ResolvedProduct:
    """A scanned product matched to the catalog, with its catalog lot when known."""

    scan: ScanResult
    item: Item
    lot: Lot | None

    @property
    def lot_number(self) -> str | None:
        return self.lot.lot_number if self.lot else self.scan.lot


def parse_product_scan(raw: str) -> ScanResult:
    scan = parse_scan(raw)
    if scan.error:
        raise ValidationError(scan.error)
    return scan


def resolve_product(tx: Tx, scan: ScanResult, *, label_expiry_ok: bool = False
                    ) -> ResolvedProduct:
    """Match a product scan (GS1, HIBCC or plain GTIN) to an item and, if it names one, a lot.

    A label whose expiry disagrees with the catalog's lot is refused (``ExpiryMismatch``)
    unless ``label_expiry_ok``: the user chose to go on with the label's date."""
    if scan.kind in (ScanKind.STAFF, ScanKind.PATIENT):
        raise ValidationError("That is a staff or patient code, not a supply; scan the product.")
    item = None
    if scan.gtin:
        item = tx.item_by_gtin(scan.gtin)
    if item is None and scan.hibcc is not None:
        item = tx.item_by_hibcc(scan.hibcc.key)
    if item is None:
        code = scan.gtin or (scan.hibcc.key if scan.hibcc else scan.raw[:40])
        raise NotFound(f"Barcode {code} is not in the catalog; search the item by name instead.")
    lot = tx.lot_by_number(item.id, scan.lot) if scan.lot else None
    if (lot and scan.expiry and lot.expiration_date and scan.expiry != lot.expiration_date
            and not label_expiry_ok):
        raise ExpiryMismatch(
            f"The label says lot {lot.lot_number} expires {scan.expiry:%Y-%m-%d} but the catalog "
            f"says {lot.expiration_date:%Y-%m-%d}; use the label's expiry (the lot is flagged "
            "for the inventory manager) or set the box aside.",
            scan.expiry, lot.expiration_date,
        )
    return ResolvedProduct(scan=scan, item=item, lot=lot)


def unlisted_lot(product: ResolvedProduct) -> Lot | None:
    """A lot named by the scan but not in the catalog, so its expiry can still be checked."""
    scan = product.scan
    if product.lot is not None or not scan.lot:
        return None
    return Lot(id="", item_id=product.item.id, lot_number=scan.lot, expiration_date=scan.expiry)
