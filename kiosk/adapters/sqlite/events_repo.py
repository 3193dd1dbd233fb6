"""Append-only events (usages, voids, adjustments), the outbox and sync cursors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, insert, select, update

from kiosk.adapters.sqlite import mapping as m
from kiosk.adapters.sqlite.orm import (
    AdjustmentRow,
    OutboxRow,
    SyncCursorRow,
    UsageRow,
    UsageVoidRow,
)
from kiosk.adapters.sqlite.repo_base import RepoBase, table
from kiosk.domain.model import Adjustment, Usage, UsageVoid
from kiosk.services.ports import OutboxCounts, OutboxEntry, OutboxEvent, UsageFilter

PENDING, ACKNOWLEDGED, QUARANTINED = "PENDING", "ACKNOWLEDGED", "QUARANTINED"
EVERY_USAGE = UsageFilter()
_INSERT_USAGE, _INSERT_OUTBOX = insert(table(UsageRow)), insert(table(OutboxRow))


def usage_query(where: UsageFilter, timezone: str = "UTC") -> Select[UsageRow]:
    """The SQL for ``where``; its dates are calendar days in ``timezone``."""
    stmt = select(UsageRow)
    start, end = where.span(timezone)
    if start is not None:
        stmt = stmt.where(UsageRow.usage_date >= start)
    if end is not None:
        stmt = stmt.where(UsageRow.usage_date < end)
    if where.appliance_type is not None:
        stmt = stmt.where(UsageRow.appliance_type == where.appliance_type.value)
    for column, value in (
        (UsageRow.used_by, where.used_by),
        (UsageRow.patient_id, where.patient_id),
        (UsageRow.lot_number, where.lot_number),
        (UsageRow.inventory_item_id, where.item_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt.order_by(UsageRow.usage_date, UsageRow.kiosk_seq, UsageRow.id)


class EventsRepo(RepoBase):
    # usages
    def add_usage(self, usage: Usage) -> None:
        self._insert(_INSERT_USAGE, m.usage_values(usage), f"record usage {usage.id}")

    def usage(self, usage_id: str) -> Usage | None:
        with self._guard("read a usage"):
            row = self._session.get(UsageRow, usage_id)
        return m.usage_to_domain(row) if row else None

    def usages(self, where: UsageFilter = EVERY_USAGE, timezone: str = "UTC") -> list[Usage]:
        with self._guard("read usages"):  # Core rows: no ORM session for a plain read
            return [m.usage_to_domain(r) for r in self._execute(usage_query(where, timezone))]

    # voids
    def add_void(self, void: UsageVoid) -> None:
        self._append(m.void_from_domain(void), f"void usage {void.usage_id}")

    def void_for(self, usage_id: str) -> UsageVoid | None:
        stmt = select(UsageVoidRow).where(UsageVoidRow.usage_id == usage_id)
        with self._guard("read a void"):
            row = self._execute(stmt).first()
        return m.void_to_domain(row) if row else None

    def voided_usage_ids(self) -> set[str]:
        with self._guard("read voided usages"):
            return set(self._execute(select(UsageVoidRow.usage_id)).scalars())

    # adjustments
    def add_adjustment(self, adjustment: Adjustment) -> None:
        self._append(m.adjustment_from_domain(adjustment), f"record adjustment {adjustment.id}")

    def adjustments(self) -> list[Adjustment]:
        stmt = select(AdjustmentRow).order_by(
            AdjustmentRow.created_at, AdjustmentRow.kiosk_seq, AdjustmentRow.id
        )
        with self._guard("read adjustments"):
            return [m.adjustment_to_domain(r) for r in self._session.scalars(stmt)]

    # outbox
    def enqueue(self, event: OutboxEvent) -> None:
        self._insert(_INSERT_OUTBOX, m.outbox_values(event),
                     f"queue event {event.event_id} for sync")

    def outbox_counts(self) -> OutboxCounts:
        stmt = select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
        with self._guard("count queued events"):
            counts: dict[str, int] = {state: n for state, n in self._session.execute(stmt).all()}
        return OutboxCounts(
            pending=counts.get(PENDING, 0),
            acknowledged=counts.get(ACKNOWLEDGED, 0),
            quarantined=counts.get(QUARANTINED, 0),
        )

    # Adapter extras for the sync worker (not in the Tx port yet).
    def pending_events(self, limit: int) -> list[OutboxEvent]:
        """Oldest pending events first, by kiosk_seq alone (``next_attempt_at`` is no longer
        written nor read: a wall-clock hold broke the order when the clock was set back)."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.state == PENDING)
            .order_by(OutboxRow.kiosk_seq)
            .limit(limit)
        )
        with self._guard("read queued events"):
            return [m.outbox_to_domain(r) for r in self._session.scalars(stmt)]

    def mark_acknowledged(self, event_ids: Iterable[str], at: datetime) -> None:
        self._set_outbox(
            event_ids,
            "mark events as synced",
            state=ACKNOWLEDGED,
            acknowledged_at=at,
            last_error=None,
            next_attempt_at=None,
        )

    def mark_quarantined(self, event_ids: Iterable[str], error: str) -> None:
        self._set_outbox(event_ids, "quarantine events", state=QUARANTINED, last_error=error)

    def record_failure(self, event_ids: Iterable[str], error: str) -> None:
        self._set_outbox(
            event_ids,
            "record a sync failure",
            last_error=error,
            next_attempt_at=None,
            attempts=OutboxRow.attempts + 1,
        )

    def _set_outbox(self, event_ids: Iterable[str], action: str, **values: object) -> None:
        self._require_write(action)
        ids = list(event_ids)
        with self._guard(action):
            self._session.execute(
                update(OutboxRow).where(OutboxRow.event_id.in_(ids)).values(**values)
            )

    def pending_stock_deltas(self) -> dict[tuple[str, str | None], int]:
        """Net stock change of the events still PENDING, keyed (item id, lot id or None)."""
        usages = (
            select(UsageRow.inventory_item_id, UsageRow.lot_id, -func.sum(UsageRow.quantity))
            .join(OutboxRow, OutboxRow.event_id == UsageRow.id)
            .where(OutboxRow.state == PENDING)
            .group_by(UsageRow.inventory_item_id, UsageRow.lot_id)
        )
        voids = (
            select(UsageRow.inventory_item_id, UsageRow.lot_id, func.sum(UsageRow.quantity))
            .join(UsageVoidRow, UsageVoidRow.usage_id == UsageRow.id)
            .join(OutboxRow, OutboxRow.event_id == UsageVoidRow.id)
            .where(OutboxRow.state == PENDING)
            .group_by(UsageRow.inventory_item_id, UsageRow.lot_id)
        )
        adjustments = (
            select(AdjustmentRow.inventory_item_id, AdjustmentRow.lot_id,
                   func.sum(AdjustmentRow.quantity_delta))
            .join(OutboxRow, OutboxRow.event_id == AdjustmentRow.id)
            .where(OutboxRow.state == PENDING)
            .group_by(AdjustmentRow.inventory_item_id, AdjustmentRow.lot_id)
        )
        deltas: dict[tuple[str, str | None], int] = {}
        with self._guard("add up the stock changes not yet synced"):
            for stmt in (usages, voids, adjustments):
                for item_id, lot_id, delta in self._session.execute(stmt):
                    deltas[(item_id, lot_id)] = deltas.get((item_id, lot_id), 0) + int(delta)
        return {key: delta for key, delta in deltas.items() if delta}

    def sync_cursor(self, name: str) -> str | None:
        with self._guard("read a sync cursor"):
            row = self._session.get(SyncCursorRow, name)
        return row.value if row else None

    def set_sync_cursor(self, name: str, value: str) -> None:
        self._upsert(SyncCursorRow(name=name, value=value), f"move sync cursor {name}")

    def unsynced_events(self, limit: int) -> list[OutboxEntry]:
        """Pending and quarantined events, quarantined first, then by kiosk_seq."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.state.in_((PENDING, QUARANTINED)))
            .order_by(OutboxRow.state != QUARANTINED, OutboxRow.kiosk_seq)
            .limit(limit)
        )
        with self._guard("read the events waiting to sync"):
            return [
                OutboxEntry(event_id=r.event_id, kiosk_seq=r.kiosk_seq, event_type=r.event_type,
                            state=r.state, attempts=r.attempts, last_error=r.last_error,
                            created_at=r.created_at)
                for r in self._session.scalars(stmt)
            ]
