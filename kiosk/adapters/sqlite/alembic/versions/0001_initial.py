"""Initial kiosk store schema.

Revision ID: 0001
Revises:
Create Date: 2024-11-24

Money is TEXT (exact decimal), times are DATETIME text in UTC, dates are DATE text.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(24)
MONEY = sa.Text()
UTC_TIME = sa.DateTime()


def _fk(column: str, table: str, target: str, ondelete: str = "RESTRICT") -> sa.Constraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{referred}", ondelete=ondelete
    )


def _event_columns() -> list[sa.Column]:
    return [
        sa.Column("id", ID, nullable=False),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", ID, nullable=False),
        sa.Column("kiosk_seq", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "kiosk_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", ID, nullable=False),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("workstation_id", sa.String(128), nullable=False),
        sa.Column("last_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_kiosk_identity_single_row"),
        sa.CheckConstraint("last_seq >= 0", name="ck_kiosk_identity_last_seq_not_negative"),
        sa.PrimaryKeyConstraint("id", name="pk_kiosk_identity"),
    )
    op.create_table(
        "vendors",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vendors"),
    )
    op.create_index("ix_vendors_name_key", "vendors", ["name_key"])
    op.create_table(
        "items",
        sa.Column("id", ID, nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("unit_of_measure", sa.String(16), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("reorder_quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_on_hand", sa.Integer(), nullable=False),
        sa.Column("unit_cost", MONEY, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("sku", name="uq_items_sku"),
    )
    op.create_table(
        "item_codes",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('gtin', 'hibcc')", name="ck_item_codes_kind"),
        _fk("item_id", "item_codes", "items.id", "CASCADE"),
        sa.PrimaryKeyConstraint("kind", "code", name="pk_item_codes"),
    )
    op.create_index("ix_item_codes_item_id", "item_codes", ["item_id"])
    op.create_table(
        "vendor_offers",
        sa.Column("item_id", ID, nullable=False),
        sa.Column("vendor_id", ID, nullable=False),
        sa.Column("vendor_sku", sa.String(64), nullable=False),
        sa.Column("unit_cost", MONEY, nullable=False),
        sa.Column("is_preferred", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("item_id", "vendor_offers", "items.id", "CASCADE"),
        _fk("vendor_id", "vendor_offers", "vendors.id"),
        sa.PrimaryKeyConstraint("item_id", "vendor_id", name="pk_vendor_offers"),
    )
    op.create_index("ix_vendor_offers_vendor_id", "vendor_offers", ["vendor_id"])
    op.create_table(
        "lots",
        sa.Column("id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("lot_number", sa.String(64), nullable=False),
        sa.Column("expiration_date", sa.Date(), nullable=True),
        sa.Column("vendor_id", ID, nullable=True),
        sa.Column("unit_cost", MONEY, nullable=True),
        sa.Column("quantity_on_hand", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recall_notice", sa.Text(), nullable=True),
        _fk("item_id", "lots", "items.id"),
        _fk("vendor_id", "lots", "vendors.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_lots"),
        sa.UniqueConstraint("item_id", "lot_number", name="uq_lots_item_id_lot_number"),
    )
    op.create_index("ix_lots_lot_number", "lots", ["lot_number"])
    op.create_index("ix_lots_vendor_id", "lots", ["vendor_id"])
    op.create_table(
        "staff",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("badge", sa.String(128), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("badge", name="uq_staff_badge"),
    )
    op.create_table(
        "patients",
        sa.Column("id", ID, nullable=False),
        sa.Column("chart_number", sa.String(64), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("chart_number", name="uq_patients_chart_number"),
    )
    op.create_table(
        "appliance_records",
        sa.Column("id", ID, nullable=False),
        sa.Column("patient_id", ID, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("treatment_plan_id", sa.String(64), nullable=True),
        sa.Column("placed_at", UTC_TIME, nullable=True),
        _fk("patient_id", "appliance_records", "patients.id"),
        sa.PrimaryKeyConstraint("id", name="pk_appliance_records"),
    )
    op.create_index("ix_appliance_records_patient_id", "appliance_records", ["patient_id"])
    op.create_table(
        "usages",
        *_event_columns(),
        sa.Column("patient_id", ID, nullable=False),
        sa.Column("appliance_type", sa.String(16), nullable=False),
        sa.Column("inventory_item_id", ID, nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("used_by", ID, nullable=False),
        sa.Column("usage_date", UTC_TIME, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("cost_category", sa.String(16), nullable=False),
        sa.Column("appliance_record_id", ID, nullable=True),
        sa.Column("treatment_plan_id", sa.String(64), nullable=True),
        sa.Column("lot_number", sa.String(64), nullable=True),
        sa.Column("lot_id", ID, nullable=True),
        sa.Column("expiration_date", sa.Date(), nullable=True),
        sa.Column("unit_cost", MONEY, nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        _fk("patient_id", "usages", "patients.id"),
        _fk("inventory_item_id", "usages", "items.id"),
        _fk("used_by", "usages", "staff.id"),
        _fk("appliance_record_id", "usages", "appliance_records.id"),
        _fk("lot_id", "usages", "lots.id"),
        sa.PrimaryKeyConstraint("id", name="pk_usages"),
        sa.UniqueConstraint("kiosk_id", "kiosk_seq", name="uq_usages_kiosk_id_kiosk_seq"),
    )
    for column in ("patient_id", "inventory_item_id", "used_by", "usage_date", "lot_number"):
        op.create_index(f"ix_usages_{column}", "usages", [column])
    op.create_table(
        "usage_voids",
        *_event_columns(),
        sa.Column("usage_id", ID, nullable=False),
        sa.Column("voided_by", ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("voided_at", UTC_TIME, nullable=False),
        _fk("usage_id", "usage_voids", "usages.id"),
        _fk("voided_by", "usage_voids", "staff.id"),
        sa.PrimaryKeyConstraint("id", name="pk_usage_voids"),
        sa.UniqueConstraint("kiosk_id", "kiosk_seq", name="uq_usage_voids_kiosk_id_kiosk_seq"),
        sa.UniqueConstraint("usage_id", name="uq_usage_voids_usage_id"),
    )
    op.create_table(
        "adjustments",
        *_event_columns(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("inventory_item_id", ID, nullable=False),
        sa.Column("quantity_delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", ID, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("lot_id", ID, nullable=True),
        sa.Column("lot_number", sa.String(64), nullable=True),
        sa.Column("unit_cost", MONEY, nullable=True),
        _fk("inventory_item_id", "adjustments", "items.id"),
        _fk("actor_id", "adjustments", "staff.id"),
        _fk("lot_id", "adjustments", "lots.id"),
        sa.PrimaryKeyConstraint("id", name="pk_adjustments"),
        sa.UniqueConstraint("kiosk_id", "kiosk_seq", name="uq_adjustments_kiosk_id_kiosk_seq"),
    )
    op.create_index("ix_adjustments_inventory_item_id", "adjustments", ["inventory_item_id"])
    op.create_table(
        "outbox",
        sa.Column("event_id", ID, nullable=False),
        sa.Column("kiosk_seq", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), server_default=sa.text("'PENDING'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", UTC_TIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("acknowledged_at", UTC_TIME, nullable=True),
        sa.CheckConstraint(
            "state IN ('PENDING', 'ACKNOWLEDGED', 'QUARANTINED')", name="ck_outbox_state"
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_outbox"),
        sa.UniqueConstraint("kiosk_seq", name="uq_outbox_kiosk_seq"),
    )
    op.create_index("ix_outbox_state_kiosk_seq", "outbox", ["state", "kiosk_seq"])
    op.create_table(
        "sync_cursors",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_sync_cursors"),
    )


def downgrade() -> None:
    for table in (
        "sync_cursors",
        "outbox",
        "adjustments",
        "usage_voids",
        "usages",
        "appliance_records",
        "patients",
        "staff",
        "lots",
        "vendor_offers",
        "item_codes",
        "items",
        "vendors",
        "kiosk_identity",
    ):
        op.drop_table(table)
