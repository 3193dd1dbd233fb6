"""`kiosk recall import FILE.json`: mark the lots of an openFDA device recall RECALLED.

Input: a file saved from either openFDA device endpoint (``recall_files``: enforcement's
``recall_number`` or the recall database's ``product_res_number``), several results per file.
Each result's ``code_info`` is read by ``recall_codes`` (lots, ranges, expiries, UDIs, REF and
catalog numbers).

Matching: a recall result R names item I when one of I's GTINs occurs in R (a UDI-DI in any
GS1 form, or a whole digit run in code_info or the product description, as 14 digits or
without its leading zeros), or I's SKU or one of its vendor SKUs occurs there as a whole token
or as a REF/catalog/model number. Of a named item, R marks
  1. the lots paired with I's GTIN in a UDI ("(01)<GTIN>(10)<lot>"), when R pairs any;
  2. else the lots R lists (ranges expanded) or whose number occurs in code_info as a whole
     token (case-insensitive: "B25E392" matches "Lot B25E392," but not "B25E3921");
  3. else, when R names no lot at all, every lot of I: a product-level recall.
``product_code`` is FDA's three-letter device classification (e.g. DYW), which the catalog
does not hold, so it identifies no item and is only reported. A lot number alone never
marks a lot: lot numbers repeat across manufacturers. An item whose name's distinctive words
appear in R's product description, but which R does not name by an identifier, is never
marked: it is a ``Proposal`` for review (``RecallOutcome.review``).

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

from kiosk.domain.model import Item, Lot, LotStatus, Usage
from kiosk.domain.permissions import Permission
from kiosk.services.clinic_reads import CLINIC, Scope, read_usages
from kiosk.services.context import ServiceContext
from kiosk.services.csv_text import csv_text
from kiosk.services.lookup import authorize
from kiosk.services.ports import Tx, UsageFilter
from kiosk.services.recall_codes import CodeInfo, read_code_info
from kiosk.services.recall_files import RECALL_NUMBER_LEN, RecallNotice, parse_recall_file

__all__ = ["RECALL_NUMBER_LEN", "AffectedLot", "Proposal", "RecallNotice", "RecallOutcome",
           "import_recall_outcome", "import_recalls", "mark_recalls", "parse_recall_file"]

MISSING_CHAIRS = ("Central server unreachable: only this kiosk's patients are listed; other "
                  "chairs' patients may be missing.")
CONTACT_COLUMNS = ("chartNumber", "patientName", "phone", "guardianName", "guardianPhone",
                   "usageDate", "quantity", "sku", "lotNumber", "provider")


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
    notice: RecallNotice | None = None  # the recall that named the lot

    @property
    def warning(self) -> str | None:
        return missing_chairs_warning(self.scope)


@dataclass(frozen=True)
class Proposal:
    """A lot the recall may mean, resting only on words of its product description: never
    marked by the import, offered for review in the recall workbench."""
    recall_number: str
    sku: str
    item_name: str
    lot_numbers: tuple[str, ...]
    words: tuple[str, ...]  # the item name's words the description shares

    def to_json(self) -> dict[str, object]:
        return {"recallNumber": self.recall_number, "sku": self.sku, "itemName": self.item_name,
                "lots": list(self.lot_numbers), "words": list(self.words)}


@dataclass
class RecallOutcome:
    notices: list[RecallNotice]
    affected: list[AffectedLot]  # marked now or before, each lot once
    review: list[Proposal]  # name-only matches, not marked


def _token(text: str, haystack: str) -> bool:
    pattern = rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])"
    return re.search(pattern, haystack, re.IGNORECASE) is not None


def _digits(code: str, haystack: str) -> bool:
    return re.search(rf"(?<!\d){code}(?!\d)", haystack) is not None


def names_item(notice: RecallNotice, item: Item, info: CodeInfo | None = None) -> bool:
    """The recall names the item by an identifier: a GTIN/UDI-DI, its SKU, a vendor SKU or a
    REF/catalog number equal to one of those (words of the name never count here)."""
    info = info if info is not None else read_code_info(notice.code_info)
    text = f"{notice.code_info}\n{notice.product_description}"
    for gtin in item.gtins:
        forms = {gtin} | {gtin[k:] for k in (1, 2) if gtin[:k] == "0" * k}
        if gtin in info.gtins or any(_digits(form, text) for form in forms):
            return True
    codes = [item.sku, *(o.vendor_sku for o in item.offers)]
    return any(code and (code.upper() in info.refs or _token(code, text)) for code in codes)


def _named_lots(tx: Tx, notice: RecallNotice, info: CodeInfo, item: Item) -> list[Lot]:
    lots = tx.lots_for_item(item.id)
    paired = set().union(*(info.udi_lots.get(g, set()) for g in item.gtins))
    if paired:  # "(01)<its GTIN>(10)<lot>": those lots of this item only
        return [lot for lot in lots if lot.lot_number.upper() in paired]
    named = [lot for lot in lots
             if info.lot_named(lot.lot_number) or _token(lot.lot_number, notice.code_info)]
    if not named and not info.names_lots:
        return lots  # device identifiers or catalog numbers and no lot: the whole product
    return named


_GENERIC = (
    "bracket brackets orthodontic orthodontics ceramic metal wire wires archwire archwires "
    "elastic elastics ligature ligatures adhesive adhesives bond bonding primer cement aligner "
    "aligners retainer retainers tube tubes band bands kit kits pack packs box each size upper "
    "lower left right the and with for from roth mbt twin self ligating nickel titanium niti "
    "steel stainless round rectangular light cure clear pcs pieces inch dental system series"
)
GENERIC_WORDS = frozenset(_GENERIC.split())


def shared_name_words(name: str, description: str) -> tuple[str, ...]:
    """The distinctive words of an item's name (not generic ortho words, 3+ characters, with
    a letter) that a recall description also holds; empty unless at least two are there
    (one shared word, such as "universal", says too little even for a proposal)."""
    words = [w for w in dict.fromkeys(re.findall(r"[a-z0-9]+", name.lower()))
             if len(w) >= 3 and not w.isdigit() and w not in GENERIC_WORDS]
    shared = tuple(w for w in words if _token(w, description))
    return shared if len(shared) >= 2 else ()


def matching_lots(tx: Tx, notice: RecallNotice) -> list[tuple[Item, Lot]]:
    info = read_code_info(notice.code_info)
    return [(item, lot) for item in tx.all_items() if names_item(notice, item, info)
            for lot in _named_lots(tx, notice, info, item)]


def proposals(tx: Tx, notice: RecallNotice) -> list[Proposal]:
    """Items the recall names only in words of its description, with the lots it would
    mean; never marked automatically."""
    info = read_code_info(notice.code_info)
    found = []
    for item in tx.all_items():
        words = shared_name_words(item.name, notice.product_description)
        if not words or names_item(notice, item, info):
            continue
        lots = _named_lots(tx, notice, info, item)
        lots = [lot for lot in lots if lot.status is not LotStatus.RECALLED]
        if lots:
            found.append(Proposal(notice.recall_number, item.sku, item.name,
                                  tuple(lot.lot_number for lot in lots), words))
    return found


def import_recalls(ctx: ServiceContext, actor: str, text: str) -> list[AffectedLot]:
    """Mark every matching lot RECALLED in one transaction; the affected lots with the
    clinic's patients who received them (read after the marks, outside the transaction)."""
    return import_recall_outcome(ctx, actor, text).affected


def import_recall_outcome(ctx: ServiceContext, actor: str, text: str) -> RecallOutcome:
    """``import_recalls`` with the file's notices and the name-only matches to review."""
    notices = parse_recall_file(text)
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.INVENTORY_ADJUST)
        marked = _mark(tx, notices)
        review = [p for notice in notices for p in proposals(tx, notice)]
    affected = []
    reader, unreachable = ctx, None
    for notice, item, lot, fresh in marked:
        read = read_usages(reader, UsageFilter(lot_number=lot.lot_number, item_id=item.id))
        if missing_chairs_warning(read.scope) is not None:
            # the server did not answer: the next lots ask no more, and say the same
            reader, unreachable = replace(ctx, ledger=None), read.scope
        with ctx.store.read() as tx:
            contacts = _contacts(tx, item, lot, [u for u in read.usages if u.id not in read.voids])
        affected.append(AffectedLot(notice.recall_number, item.sku, lot.lot_number, fresh,
                                    contacts, unreachable or read.scope, notice))
    return RecallOutcome(notices, affected, _unmarked(review, affected))


def _unmarked(review: list[Proposal], affected: list[AffectedLot]) -> list[Proposal]:
    """Proposals less the lots another result of the file marked by an identifier."""
    done = {(a.sku, a.lot_number) for a in affected}
    kept = []
    for p in review:
        lots = tuple(n for n in p.lot_numbers if (p.sku, n) not in done)
        if lots:
            kept.append(replace(p, lot_numbers=lots))
    return kept


def mark_recalls(ctx: ServiceContext, actor: str, text: str) -> int:
    """Only mark the matching lots RECALLED (for the central catalog, from which every kiosk
    pulls the recall); returns how many lots changed."""
    notices = parse_recall_file(text)
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.INVENTORY_ADJUST)
        return sum(fresh for *_, fresh in _mark(tx, notices))


def _mark(tx: Tx, notices: list[RecallNotice]) -> list[tuple[RecallNotice, Item, Lot, bool]]:
    """Each matching lot once (the first result of the file naming it gives its notice)."""
    marked, seen = [], set()
    for notice in notices:
        for item, lot in matching_lots(tx, notice):
            if lot.id in seen:
                continue
            seen.add(lot.id)
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
