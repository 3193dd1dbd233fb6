"""Table classes of the local store (SQLAlchemy 2.x typed ORM), separate from the domain.

Events (usages, voids, adjustments, outbox) are append-only: nothing cascades into them, and
rows they point at are protected with ON DELETE RESTRICT.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.adapters.sqlite.types import Money, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(24)
OUTBOX_STATES = ("PENDING", "ACKNOWLEDGED", "QUARANTINED")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _fk(target: str, ondelete: str = "RESTRICT") -> ForeignKey:
    return ForeignKey(target, ondelete=ondelete)


class KioskIdentityRow(Base):
    """The single row naming this kiosk; ``last_seq`` is the last kiosk sequence handed out."""

    __tablename__ = "kiosk_identity"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(Id)
    clinic_id: Mapped[str] = mapped_column(String(64))
    workstation_id: Mapped[str] = mapped_column(String(128))
    last_seq: Mapped[int] = mapped_column(server_default=text("0"))


class VendorRow(Base):
    __tablename__ = "vendors"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)  # casefolded name


class ItemRow(Base):
    __tablename__ = "items"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))
    unit_of_measure: Mapped[str] = mapped_column(String(16))
    reorder_point: Mapped[int]
    reorder_quantity: Mapped[int]
    quantity_on_hand: Mapped[int]
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    active: Mapped[bool]
    codes: Mapped[list[ItemCodeRow]] = relationship(
        cascade="all, delete-orphan", order_by="ItemCodeRow.position", lazy="selectin"
    )
    offers: Mapped[list[VendorOfferRow]] = relationship(
        cascade="all, delete-orphan", order_by="VendorOfferRow.position", lazy="selectin"
    )


class ItemCodeRow(Base):
    """A GTIN-14 or an HIBCC labeler+product key; each code names exactly one item."""

    __tablename__ = "item_codes"
    __table_args__ = (CheckConstraint("kind IN ('gtin', 'hibcc')", name="kind"),)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(Id, _fk("items.id", "CASCADE"), index=True)
    position: Mapped[int]


class VendorOfferRow(Base):
    __tablename__ = "vendor_offers"
    item_id: Mapped[str] = mapped_column(Id, _fk("items.id", "CASCADE"), primary_key=True)
    vendor_id: Mapped[str] = mapped_column(Id, _fk("vendors.id"), primary_key=True, index=True)
    vendor_sku: Mapped[str] = mapped_column(String(64))
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    is_preferred: Mapped[bool]
    position: Mapped[int]


class LotRow(Base):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("item_id", "lot_number"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    item_id: Mapped[str] = mapped_column(Id, _fk("items.id"))
    lot_number: Mapped[str] = mapped_column(String(64), index=True)
    expiration_date: Mapped[date | None] = mapped_column(Date)
    vendor_id: Mapped[str | None] = mapped_column(Id, _fk("vendors.id", "SET NULL"), index=True)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    quantity_on_hand: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    recall_notice: Mapped[str | None] = mapped_column(Text)


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    badge: Mapped[str] = mapped_column(String(128), unique=True)
    pin_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(server_default=text("1"))


class PatientRow(Base):
    __tablename__ = "patients"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    chart_number: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), server_default=text("''"))
    guardian_name: Mapped[str] = mapped_column(String(200), server_default=text("''"))
    guardian_phone: Mapped[str] = mapped_column(String(40), server_default=text("''"))


class ApplianceRecordRow(Base):
    __tablename__ = "appliance_records"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    patient_id: Mapped[str] = mapped_column(Id, _fk("patients.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    treatment_plan_id: Mapped[str | None] = mapped_column(String(64))
    placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UsageRow(Base):
    __tablename__ = "usages"
    __table_args__ = (
        UniqueConstraint("kiosk_id", "kiosk_seq"),
        # lot tracking and recalls: one lot's usages already in report order (migration 0002)
        Index("ix_usages_lot_number_usage_date", "lot_number", "usage_date", "kiosk_seq", "id"),
    )
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    clinic_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(Id)
    kiosk_seq: Mapped[int]
    patient_id: Mapped[str] = mapped_column(Id, _fk("patients.id"), index=True)
    appliance_type: Mapped[str] = mapped_column(String(16))
    inventory_item_id: Mapped[str] = mapped_column(Id, _fk("items.id"), index=True)
    quantity: Mapped[int]
    used_by: Mapped[str] = mapped_column(Id, _fk("staff.id"), index=True)
    usage_date: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cost_category: Mapped[str] = mapped_column(String(16))
    appliance_record_id: Mapped[str | None] = mapped_column(Id, _fk("appliance_records.id"))
    treatment_plan_id: Mapped[str | None] = mapped_column(String(64))
    lot_number: Mapped[str | None] = mapped_column(String(64), index=True)
    lot_id: Mapped[str | None] = mapped_column(Id, _fk("lots.id"))
    expiration_date: Mapped[date | None] = mapped_column(Date)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    # the manager who approved an override at the chair (migration 0003_override_by)
    override_by: Mapped[str | None] = mapped_column(Id)


class UsageVoidRow(Base):
    __tablename__ = "usage_voids"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_seq"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    clinic_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(Id)
    kiosk_seq: Mapped[int]
    usage_id: Mapped[str] = mapped_column(Id, _fk("usages.id"), unique=True)
    voided_by: Mapped[str] = mapped_column(Id, _fk("staff.id"))
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AdjustmentRow(Base):
    __tablename__ = "adjustments"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_seq"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    clinic_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(Id)
    kiosk_seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    inventory_item_id: Mapped[str] = mapped_column(Id, _fk("items.id"), index=True)
    quantity_delta: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[str] = mapped_column(Id, _fk("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lot_id: Mapped[str | None] = mapped_column(Id, _fk("lots.id"))
    lot_number: Mapped[str | None] = mapped_column(String(64))
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('PENDING', 'ACKNOWLEDGED', 'QUARANTINED')", name="state"),
        Index("ix_outbox_state_kiosk_seq", "state", "kiosk_seq"),
    )
    event_id: Mapped[str] = mapped_column(Id, primary_key=True)
    kiosk_seq: Mapped[int] = mapped_column(unique=True)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), server_default=text("'PENDING'"))
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncCursorRow(Base):
    __tablename__ = "sync_cursors"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ParkedCartRow(Base):
    """A cart parked at sign-out; never deleted (a closed one is the audit record).

    ``lines`` is JSON text: one object per cart line, unit costs as exact decimal text.
    """

    __tablename__ = "parked_carts"
    __table_args__ = (
        CheckConstraint("state IN ('PARKED', 'RESUMED', 'DISCARDED')", name="state"),
        Index("ix_parked_carts_state_parked_at", "state", "parked_at"),
    )
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    cause: Mapped[str] = mapped_column(String(16))
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    parked_by: Mapped[str] = mapped_column(Id, _fk("staff.id"))
    parked_by_name: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[str | None] = mapped_column(Id)
    patient_name: Mapped[str | None] = mapped_column(String(200))
    chart_number: Mapped[str | None] = mapped_column(String(64))
    appliance_id: Mapped[str | None] = mapped_column(Id)
    lines: Mapped[str] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(Id, _fk("staff.id"))
    closed_by_name: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discard_reason: Mapped[str | None] = mapped_column(Text)
class SignInLockoutRow(Base):
    """Wrong PINs counted per lockout key (a staff id, or ``badge:…`` for an unknown badge)."""

    __tablename__ = "sign_in_lockouts"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    wrong: Mapped[int]
    first_wrong_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecallSeenRow(Base):
    """A recall the watch has handled (issue 16): never applied twice."""

    __tablename__ = "recall_watch_seen"
    recall_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RecallWatchRunRow(Base):
    """A successful watch run; the latest is where the next one resumes."""

    __tablename__ = "recall_watch_runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    applied: Mapped[int]


class RecallAlertRow(Base):
    """A recall that marked lots, on show until a manager acknowledges it (who, when)."""

    __tablename__ = "recall_alerts"
    recall_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    lots_marked: Mapped[int]
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applied_by: Mapped[str] = mapped_column(String(64))
    authorized_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the recall's identifiers from its record (migration 0010); "" where it said nothing
    event_number: Mapped[str] = mapped_column(String(64), server_default="")
    firm: Mapped[str] = mapped_column(String(200), server_default="")
    classification: Mapped[str] = mapped_column(String(40), server_default="")
    status: Mapped[str] = mapped_column(String(40), server_default="")
    reason: Mapped[str] = mapped_column(Text, server_default="")
    to_review: Mapped[int] = mapped_column(server_default=text("0"))  # name-only matches
    review: Mapped[str] = mapped_column(Text, server_default="")


class RecallFollowUpStepRow(Base):
    """One step of a recall's follow-up with one patient (a kiosk without a central server):
    append-only, one row per (recall, item, lot, patient, status), so the rows are the history.
    """

    __tablename__ = "recall_follow_up_steps"
    __table_args__ = (
        UniqueConstraint("recall_number", "item_id", "lot_number", "patient_id", "status"),
        CheckConstraint("status IN ('contacted', 'assessed')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    recall_number: Mapped[str] = mapped_column(String(200), index=True)
    item_id: Mapped[str] = mapped_column(Id)
    lot_number: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(Id)
    status: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(Id)
    by_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text)
