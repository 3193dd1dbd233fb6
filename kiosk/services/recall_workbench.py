"""The recall workbench's use cases: which lot a scan or a typed number means, the catalog
lots with that number, every patient who received it, and the contact list of one lot.

The patients are the whole clinic's (the lot-tracking report reads the clinic ledger merged
with this kiosk's queue); when the central server cannot be read, this kiosk's answer alone
and the lookup's ``warning`` says that other chairs' patients may be missing.

Looking a lot up shows patients, so it needs appliance:read as well as inventory:read.
Marking a lot recalled (``lot_status.set_lot_status``) and importing a recall file
(``recalls.import_recalls``) need inventory:adjust and check it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from kiosk.domain.barcodes import ScanKind, parse_scan
from kiosk.domain.errors import NotFound, ValidationError
from kiosk.domain.model import LotStatus
from kiosk.domain.permissions import Permission
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize_reader
from kiosk.services.ports import Tx
from kiosk.services.recalls import missing_chairs_warning
from kiosk.services.reports import Report, lot_tracking


@dataclass(frozen=True)
class LotInfo:
    sku: str
    item_name: str
    lot_number: str
    status: LotStatus
    expiration_date: date | None
    recall_notice: str | None
    quantity_on_hand: int


@dataclass(frozen=True)
class LotLookup:
    lot_number: str
    lots: tuple[LotInfo, ...]  # catalog lots with this number (several items may share it)
    patients: Report  # every non-voided usage of the number (the lot-tracking report)
    sku: str | None = None  # the item the scan named, if any

    @property
    def warning(self) -> str | None:
        """Why other chairs' patients may be missing (None when the clinic's were read)."""
        return missing_chairs_warning(self.patients.scope)

    def contacts(self, sku: str | None) -> Report:
        """The patients who received the lot of ``sku`` (all of them when None): the contact
        list printed and exported, in the lot-tracking report's columns; its title says so
        when other chairs' patients may be missing."""
        rows = [r for r in self.patients.rows if sku is None or r["sku"] == sku]
        of = f" of {sku}" if sku else ""
        partial = (" (this kiosk only: other chairs' patients may be missing)"
                   if self.warning else "")
        return replace(self.patients, rows=rows, columns=with_contact_columns(
                           self.patients.columns),
                       title=f"Recall contact list: lot {self.lot_number}{of}{partial}")


CONTACT_FIELDS = ("phone", "guardianName", "guardianPhone")


def with_contact_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    """``columns`` with the patient's phone and guardian right after the patient's name."""
    rest = tuple(c for c in columns if c not in CONTACT_FIELDS)
    at = rest.index("patientName") + 1 if "patientName" in rest else len(rest)
    return (*rest[:at], *CONTACT_FIELDS, *rest[at:])


def _with_contact_details(tx: Tx, report: Report) -> Report:
    """The lot-tracking rows with each patient's phone and guardian (the contact list's)."""
    people = tx.patients_by_ids(str(r["patientId"]) for r in report.rows)
    rows = []
    for row in report.rows:
        patient = people.get(str(row["patientId"]))
        rows.append({**row, "phone": patient.phone if patient else "",
                     "guardianName": patient.guardian_name if patient else "",
                     "guardianPhone": patient.guardian_phone if patient else ""})
    return replace(report, rows=rows)


def _item_sku(tx: Tx, gtin: str | None, hibcc_key: str | None) -> str | None:
    item = tx.item_by_gtin(gtin) if gtin else None
    if item is None and hibcc_key:
        item = tx.item_by_hibcc(hibcc_key)
    return item.sku if item else None


def read_lot(tx: Tx, text: str) -> tuple[str, str | None]:
    """(lot number, SKU or None) from a GS1 or HIBCC scan carrying a lot, else from the text
    as a typed lot number."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Scan the lot label or type the lot number.")
    scan = parse_scan(raw)
    if scan.kind in (ScanKind.STAFF, ScanKind.PATIENT):
        raise ValidationError("That is a staff or patient code; scan the supply's lot label.")
    if scan.kind in (ScanKind.GS1, ScanKind.HIBCC) and not scan.error:
        if not scan.lot:
            raise ValidationError("This barcode carries no lot number; scan the lot label or "
                                  "type the lot number.")
        return scan.lot, _item_sku(tx, scan.gtin, scan.hibcc.key if scan.hibcc else None)
    if scan.kind is ScanKind.GTIN and not scan.error:
        raise ValidationError("This barcode carries no lot number; scan the lot label or "
                              "type the lot number.")
    if len(raw) > 40 or any(c.isspace() for c in raw):
        raise ValidationError("A lot number is one word of up to 40 characters; scan the lot "
                              "label or type the number printed after LOT.")
    return raw, None


def look_up_lot(ctx: ServiceContext, actor: str | None, text: str,
                sku: str | None = None) -> LotLookup:
    """The lots numbered as the scan or text says (of item ``sku`` only, when given or
    scanned), and who received them (inventory:read and appliance:read)."""
    with ctx.store.read() as tx:
        authorize_reader(tx, actor, Permission.INVENTORY_READ)
        authorize_reader(tx, actor, Permission.APPLIANCE_READ)
        number, scanned_sku = read_lot(tx, text)
        sku = scanned_sku or sku
        lots = []
        for lot in tx.lots_numbered(number):
            item = tx.item(lot.item_id)
            if item is None or (sku is not None and item.sku != sku):
                continue
            lots.append(LotInfo(item.sku, item.name, lot.lot_number, lot.status,
                                lot.expiration_date, lot.recall_notice, lot.quantity_on_hand))
    patients = lot_tracking(ctx, actor, number)
    with ctx.store.read() as tx:
        patients = _with_contact_details(tx, patients)
    if sku is not None:
        patients = replace(patients, rows=[r for r in patients.rows if r["sku"] == sku])
    if not lots and not patients.rows:
        raise NotFound(f"No lot {number!r} is in the catalog or on any usage; check the "
                       "number.")
    lots.sort(key=lambda lot: lot.sku)
    return LotLookup(number, tuple(lots), patients, sku)
