"""Pull the clinic's catalog, people and stock from the central store by ``rev`` cursor.

Each page is applied together with its cursor move in one local write transaction: a failure
while applying leaves both as they were, and the same page is fetched again next round.
Stock that arrives is the server's minus what this kiosk deducted and has not yet pushed
(ARCHITECTURE §5), so the local figure already counts the kiosk's own unsynced scans.

A pull that brought every collection keeps its time (``pulledAt``): the low-stock report
read offline says how old its figures are (issue 15).

Revocation (issue 14): after the pages, every local staff member's ``active`` is set to what
the central store says now, from the full list of the clinic's Staff ids (a few dozen), not
from the rev cursor. A tombstone alone would miss a document deleted outright or disabled
from a shell without a new rev; comparing the whole list sees both, on every pull. A revoked
member is kept locally, inactive (their usages point at them and may still be queued).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kiosk.domain.errors import KioskError, NotFound, ValidationError
from kiosk.domain.model import ApplianceRecord, Item, Lot, Staff
from kiosk.services.context import ServiceContext
from kiosk.services.ports import Tx
from kiosk.services.sync_ports import PULL_ORDER, CentralStore, PulledPage, SkippedRecord

SCHEMA_CURSOR = "schemaVersion"
PULLED_AT_CURSOR = "pulledAt"  # when the last pull brought every collection (ISO, UTC)
SKIPPED_PREFIX = "skipped:"  # + collection: the documents passed over, as JSON
MAX_SKIPPED_KEPT = 200
Deltas = dict[tuple[str, str | None], int]


def _save_staff(tx: Tx, staff: Staff) -> None:
    """A central badge given to someone new (its old holder deleted or re-badged centrally)
    is released from the old holder here first, so the two never clash on the unique badge;
    the old holder's own document, when it comes, brings their new badge."""
    holder = tx.staff_by_badge(staff.badge)
    if holder is not None and holder.id != staff.id:
        tx.save_staff(replace(holder, badge=f"released:{holder.id}", active=False))
    tx.save_staff(staff)


# A page holds the records of its collection's type, so each save gets the type it takes.
_SAVE: dict[str, Callable[[Tx, Any], None]] = {
    "Vendor": lambda tx, record: tx.save_vendor(record),
    "InventoryItem": lambda tx, record: tx.save_item(record),
    "InventoryLot": lambda tx, record: tx.save_lot(record),
    "Staff": _save_staff,
    "Patient": lambda tx, record: tx.save_patient(record),
    "ApplianceRecord": lambda tx, record: tx.save_appliance(record),
}


class CatalogDataError(KioskError):
    """Central records the kiosk cannot take (a dangling reference, a barcode clash): someone
    must fix them centrally. The other collections were still pulled; ``applied`` counts
    the records that were."""

    def __init__(self, message: str, applied: int) -> None:
        super().__init__(message)
        self.applied = applied


def pull_catalog(ctx: ServiceContext, central: CentralStore, page_size: int = 500) -> int:
    """Bring the local catalog up to the central one; returns the number of records applied.

    Raises ``CentralUnavailable``/``CentralRefused`` from the central store as they come, and
    ``CatalogDataError`` at the end when some collection's records could not be applied.
    """
    _reset_cursors_if_schema_changed(ctx, central.schema_version())
    applied, problems = 0, []
    for collection in PULL_ORDER:
        count, problem = _pull_collection(ctx, central, collection, page_size)
        applied += count
        if problem:
            problems.append(problem)
    applied += mirror_staff_standing(ctx, central)
    if problems:
        raise CatalogDataError(" ".join(problems), applied)
    with ctx.store.write() as tx:  # the stock the kiosk shows is the server's as of now
        tx.set_sync_cursor(PULLED_AT_CURSOR, ctx.now().isoformat(timespec="seconds"))
    return applied


def mirror_staff_standing(ctx: ServiceContext, central: CentralStore) -> int:
    """Disable every local staff member the central store no longer lets act (disabled,
    tombstoned or deleted) and enable those it does; returns how many changed."""
    allowed = central.active_staff_ids()
    if allowed is None:
        return 0
    with ctx.store.write() as tx:
        changed = [replace(s, active=s.id in allowed) for s in tx.all_staff()
                   if s.active != (s.id in allowed)]
        for staff in changed:
            tx.save_staff(staff)
    return len(changed)


def _reset_cursors_if_schema_changed(ctx: ServiceContext, version: int) -> None:
    """A new central schema version means a full resync: every cursor back to 0."""
    with ctx.store.read() as tx:
        if tx.sync_cursor(SCHEMA_CURSOR) == str(version):
            return
    with ctx.store.write() as tx:
        if tx.sync_cursor(SCHEMA_CURSOR) == str(version):
            return
        for collection in PULL_ORDER:
            tx.set_sync_cursor(collection, "0")
        tx.set_sync_cursor(SCHEMA_CURSOR, str(version))


def _pull_collection(ctx: ServiceContext, central: CentralStore, collection: str,
                     page_size: int) -> tuple[int, str | None]:
    applied, skipped = 0, []
    while True:
        after = _cursor(ctx, collection)
        page = central.pull(collection, after, page_size)
        skipped += [record.sentence for record in page.skipped]
        if page.last_rev is None or page.last_rev <= after:
            if page.skipped:  # nothing moves the cursor, but doctor must still name them
                with ctx.store.write() as tx:
                    _note_skipped(tx, page)
            return applied, _skipped_problem(collection, skipped)
        try:
            moved = _apply_page(ctx, page, after)
        except (NotFound, ValidationError) as error:
            return applied, (f"{collection} changes after revision {after} were not applied: "
                             f"{error}")
        if moved:
            applied += len(page.records)
            if len(page.records) + len(page.skipped) < page_size:
                return applied, _skipped_problem(collection, skipped)


def _skipped_problem(collection: str, sentences: list[str]) -> str | None:
    if not sentences:
        return None
    more = f" (and {len(sentences) - 3} more)" if len(sentences) > 3 else ""
    return (f"{len(sentences)} central {collection} record(s) could not be read and were "
            f"skipped; fix them on the central server: {'; '.join(sentences[:3])}{more}.")


def skipped_records(ctx: ServiceContext) -> list[SkippedRecord]:
    """The central documents the pulls passed over and no later pull has taken since."""
    with ctx.store.read() as tx:
        return [record for collection in PULL_ORDER
                for record in _read_skipped(tx, collection)]


def _read_skipped(tx: Tx, collection: str) -> list[SkippedRecord]:
    try:
        rows = json.loads(tx.sync_cursor(SKIPPED_PREFIX + collection) or "[]")
        return [SkippedRecord(collection, str(r["id"]), r.get("rev"), str(r["reason"]))
                for r in rows]
    except (ValueError, TypeError, KeyError):
        return []


def _note_skipped(tx: Tx, page: PulledPage) -> None:
    """Keep the page's skipped documents; forget those a later page brought in readable."""
    taken = {getattr(record, "id", None) for record in page.records}
    new = {record.record_id: record for record in page.skipped}
    kept = [r for r in _read_skipped(tx, page.collection)
            if r.record_id not in taken and r.record_id not in new]
    rows = [*kept, *new.values()][-MAX_SKIPPED_KEPT:]
    if rows or tx.sync_cursor(SKIPPED_PREFIX + page.collection):
        tx.set_sync_cursor(SKIPPED_PREFIX + page.collection, json.dumps(
            [{"id": r.record_id, "rev": r.rev, "reason": r.reason} for r in rows]))


def _cursor(ctx: ServiceContext, collection: str) -> int:
    with ctx.store.read() as tx:
        return _int_cursor(tx, collection)


def _int_cursor(tx: Tx, collection: str) -> int:
    value = tx.sync_cursor(collection)
    return int(value) if value and value.strip().isdigit() else 0


def _apply_page(ctx: ServiceContext, page: PulledPage, after: int) -> bool:
    """The page's records and the cursor move, in one write transaction; False when the
    cursor is no longer ``after`` (another puller moved it), so nothing was applied."""
    with ctx.store.write() as tx:
        if _int_cursor(tx, page.collection) != after:
            return False
        deltas = tx.pending_stock_deltas()
        per_item = _per_item(deltas)
        save = _SAVE[page.collection]
        for record in page.records:
            _check_references(tx, page.collection, record)
            save(tx, _with_local_stock(record, deltas, per_item))
        _note_skipped(tx, page)
        tx.set_sync_cursor(page.collection, str(page.last_rev))
        return True


def _per_item(deltas: Deltas) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (item_id, _lot_id), delta in deltas.items():
        totals[item_id] = totals.get(item_id, 0) + delta
    return totals


def _with_local_stock(record: object, deltas: Deltas, per_item: dict[str, int]) -> object:
    """Server stock plus this kiosk's pending changes (negative for unsynced deductions)."""
    if isinstance(record, Item):
        return replace(record, quantity_on_hand=record.quantity_on_hand
                       + per_item.get(record.id, 0))
    if isinstance(record, Lot):
        return replace(record, quantity_on_hand=record.quantity_on_hand
                       + deltas.get((record.item_id, record.id), 0))
    return record


def _check_references(tx: Tx, collection: str, record: object) -> None:
    """Refuse a record naming something the central store never sent, in plain words."""
    missing = None
    if isinstance(record, Item):
        vendor_ids = [o.vendor_id for o in record.offers]
        missing = next((f"vendor {v}" for v in vendor_ids if tx.vendor_by_id(v) is None), None)
    elif isinstance(record, Lot):
        if tx.item(record.item_id) is None:
            missing = f"item {record.item_id}"
        elif record.vendor_id and tx.vendor_by_id(record.vendor_id) is None:
            missing = f"vendor {record.vendor_id}"
    elif isinstance(record, ApplianceRecord) and tx.patient_by_id(record.patient_id) is None:
        missing = f"patient {record.patient_id}"
    if missing:
        raise NotFound(f"the central {collection} {_label(record)} names {missing}, which the "
                       "central store does not have; fix it centrally.")


def _label(record: object) -> str:
    if isinstance(record, Item):
        return record.sku
    if isinstance(record, Lot):
        return f"lot {record.lot_number}"
    return str(getattr(record, "id", "record"))
