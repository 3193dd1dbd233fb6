"""`kiosk recall import FILE.json`: mark the lots of an openFDA device recall RECALLED.

Input: the openFDA device recall JSON, ``{"results": [{"recall_number", "product_code",
"product_description", "code_info", "reason_for_recall", ...}]}``. Each result needs
``recall_number`` (non-empty text) and ``code_info`` (text); ``product_description``,
``product_code`` and ``reason_for_recall`` are text when present.

Matching, exactly: a catalog lot L of item I matches a recall result R when both hold
  1. L's lot number occurs in R.code_info as a whole token: case-insensitively, with no
     letter or digit directly before or after it ("B25E392" matches "Lot B25E392," but
     not "B25E3921");
  2. R names I's product: one of I's GTINs occurs as a whole digit run in R.code_info or
     R.product_description, either as 14 digits or without its leading zeros (GTIN-12/13
     as printed on US labels), or I's SKU or one of its vendor SKUs occurs there as a
     whole token (case-insensitive).
``product_code`` is FDA's three-letter device classification (e.g. DYW), which the catalog
does not hold, so it identifies no item and is only reported. A lot number alone never
marks a lot: lot numbers repeat across manufacturers.

A matching lot becomes RECALLED with ``recall_notice`` = the recall number (a lot already
RECALLED keeps its first notice). All marks are one write transaction, so a refused file
changes nothing. For every affected lot the outcome lists each patient of the clinic who
received it (usages of that item and lot at any of its kiosks, voided ones left out), read
from the clinic ledger after the marks committed; when a central server is configured but
cannot be read, this kiosk's usages answer alone and the list says that other chairs'
patients may be missing (``MISSING_CHAIRS``, also the first line of its CSV).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from kiosk.domain.errors import ValidationError
from kiosk.domain.model import Item, Lot, LotStatus, Usage
from kiosk.domain.permissions import Permission
from kiosk.domain.values import one_line
from kiosk.services.clinic_reads import CLINIC, Scope, read_usages
from kiosk.services.context import ServiceContext
from kiosk.services.csv_text import csv_text
from kiosk.services.json_text import load_json
from kiosk.services.lookup import authorize
from kiosk.services.ports import Tx, UsageFilter

MISSING_CHAIRS = ("Central server unreachable: only this kiosk's patients are listed; other "
                  "chairs' patients may be missing.")
CONTACT_COLUMNS = ("chartNumber", "patientName", "phone", "guardianName", "guardianPhone",
                   "usageDate", "quantity", "sku", "lotNumber", "provider")


@dataclass(frozen=True)
class RecallNotice:
    recall_number: str
    code_info: str
    product_description: str = ""
    product_code: str = ""
    reason: str = ""


def missing_chairs_warning(scope: Scope | None) -> str | None:
    """``MISSING_CHAIRS`` when a recall list was read from this kiosk alone because the
    central server could not be read (a kiosk without one has no other chairs to miss)."""
    if scope is None or scope.kind == CLINIC or not scope.why_local:
        return None
    return MISSING_CHAIRS


@dataclass
class AffectedLot:
    recall_number: str
    sku: str
    lot_number: str
    newly_recalled: bool
    contacts: list[dict[str, object]] = field(default_factory=list)  # CONTACT_COLUMNS
    scope: Scope | None = None  # where the contacts came from

    @property
    def warning(self) -> str | None:
        return missing_chairs_warning(self.scope)


RECALL_NUMBER_LEN = 64  # an FDA number is "Z-0101-2027"; as long as any code imports take


def parse_recall_file(text: str) -> list[RecallNotice]:
    """The recall results of an openFDA file, or ValidationError naming the line or field."""
    data = load_json(text, "the recall file", "nothing was changed")
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ValidationError('The recall file needs a "results" list at the top level; '
                              "nothing was changed.")
    notices = []
    for n, result in enumerate(results):
        where = f"results[{n}]"
        if not isinstance(result, dict):
            raise ValidationError(f"{where} is not an object; nothing was changed.")
        for name in ("recall_number", "code_info"):
            value = result.get(name)
            if not isinstance(value, str) or (name == "recall_number" and not value.strip()):
                raise ValidationError(f"{where}.{name} is missing or not text; nothing was "
                                      "changed.")
        for name in ("product_description", "product_code", "reason_for_recall"):
            if result.get(name) is not None and not isinstance(result[name], str):
                raise ValidationError(f"{where}.{name} is not text; nothing was changed.")
        # the number is the lot's notice: shown at the chair, in the CLI and a file name
        number = one_line(result["recall_number"])
        if not number:
            raise ValidationError(f"{where}.recall_number is missing or not text; nothing "
                                  "was changed.")
        if len(number) > RECALL_NUMBER_LEN:
            raise ValidationError(f"{where}.recall_number is {len(number)} characters long "
                                  f"(at most {RECALL_NUMBER_LEN}); nothing was changed.")
        notices.append(RecallNotice(
            number, result["code_info"],
            result.get("product_description") or "", result.get("product_code") or "",
            result.get("reason_for_recall") or ""))
    return notices


def _token(text: str, haystack: str) -> bool:
    pattern = rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])"
    return re.search(pattern, haystack, re.IGNORECASE) is not None


def _digits(code: str, haystack: str) -> bool:
    return re.search(rf"(?<!\d){code}(?!\d)", haystack) is not None


def names_item(notice: RecallNotice, item: Item) -> bool:
    text = f"{notice.code_info}\n{notice.product_description}"
    for gtin in item.gtins:
        forms = {gtin} | {gtin[k:] for k in (1, 2) if gtin[:k] == "0" * k}
        if any(_digits(form, text) for form in forms):
            return True
    codes = [item.sku, *(o.vendor_sku for o in item.offers)]
    return any(code and _token(code, text) for code in codes)


def matching_lots(tx: Tx, notice: RecallNotice) -> list[tuple[Item, Lot]]:
    found = []
    for item in tx.all_items():
        if not names_item(notice, item):
            continue
        found += [(item, lot) for lot in tx.lots_for_item(item.id)
                  if _token(lot.lot_number, notice.code_info)]
    return found


def import_recalls(ctx: ServiceContext, actor: str, text: str) -> list[AffectedLot]:
    """Mark every matching lot RECALLED in one transaction; the affected lots with the
    clinic's patients who received them (read after the marks, outside the transaction)."""
    notices = parse_recall_file(text)
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.INVENTORY_ADJUST)
        marked = [(notice.recall_number, item, lot, fresh)
                  for notice, item, lot, fresh in _mark(tx, notices)]
    affected = []
    reader, unreachable = ctx, None
    for number, item, lot, fresh in marked:
        read = read_usages(reader, UsageFilter(lot_number=lot.lot_number, item_id=item.id))
        if missing_chairs_warning(read.scope) is not None:
            # the server did not answer: the next lots ask no more, and say the same
            reader, unreachable = replace(ctx, ledger=None), read.scope
        with ctx.store.read() as tx:
            contacts = _contacts(tx, item, lot, [u for u in read.usages if u.id not in read.voids])
        affected.append(AffectedLot(number, item.sku, lot.lot_number, fresh, contacts,
                                    unreachable or read.scope))
    return affected


def mark_recalls(ctx: ServiceContext, actor: str, text: str) -> int:
    """Only mark the matching lots RECALLED (for the central catalog, from which every kiosk
    pulls the recall); returns how many lots changed."""
    notices = parse_recall_file(text)
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.INVENTORY_ADJUST)
        return sum(fresh for *_, fresh in _mark(tx, notices))


def _mark(tx: Tx, notices: list[RecallNotice]) -> list[tuple[RecallNotice, Item, Lot, bool]]:
    marked = []
    for notice in notices:
        for item, lot in matching_lots(tx, notice):
            fresh = lot.status is not LotStatus.RECALLED
            if fresh:
                lot.status = LotStatus.RECALLED
                lot.recall_notice = notice.recall_number
                tx.save_lot(lot)
            marked.append((notice, item, lot, fresh))
    return marked


def _contacts(tx: Tx, item: Item, lot: Lot, usages: list[Usage]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for u in usages:
        patient = tx.patient_by_id(u.patient_id)
        staff = tx.staff_by_id(u.used_by)
        rows.append({
            "chartNumber": patient.chart_number if patient else u.patient_id,
            "patientName": patient.display_name if patient else "",
            "phone": patient.phone if patient else "",
            "guardianName": patient.guardian_name if patient else "",
            "guardianPhone": patient.guardian_phone if patient else "",
            "usageDate": u.usage_date, "quantity": u.quantity, "sku": item.sku,
            "lotNumber": lot.lot_number, "provider": staff.name if staff else u.used_by,
        })
    return rows


def contact_csv_rows(lot: AffectedLot) -> list[list[str]]:
    """The header and one row per contact, after the warning line when the list may miss
    other chairs' patients (a person opening the file must see it first)."""
    def cell(value: object) -> str:
        return value.isoformat() if isinstance(value, datetime) else str(value)

    warning = [[lot.warning]] if lot.warning else []
    return [*warning, list(CONTACT_COLUMNS),
            *([cell(r.get(c, "")) for c in CONTACT_COLUMNS] for r in lot.contacts)]


def contact_csv(lot: AffectedLot) -> str:
    """The lot's contact list as CSV text, formula cells neutralised."""
    return csv_text(contact_csv_rows(lot))
