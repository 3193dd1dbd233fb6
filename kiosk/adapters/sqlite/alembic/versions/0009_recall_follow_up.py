"""Recall follow-through on a kiosk without a central server, and patients' contact details.

Revision ID: 0009_recall_follow_up
Revises: 0008_recall_watch
Create Date: 2026-12-03

``recall_follow_up_steps``: one append-only row per step of a recall's follow-up with one
patient (contacted, assessed), unique per (recall, item, lot, patient, status), so the rows
are the history and a step cannot be taken twice. A kiosk with a central server keeps the
follow-ups centrally (RecallFollowUp) instead. ``patients`` gains ``phone``,
``guardian_name`` and ``guardian_phone``, empty for every existing row, for the recall
contact list. Additive: downgrading drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_recall_follow_up"
down_revision: str | Sequence[str] | None = "0008_recall_watch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "recall_follow_up_steps"
CONTACT_COLUMNS = (("phone", 40), ("guardian_name", 200), ("guardian_phone", 40))


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        for name, length in CONTACT_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False,
                                       server_default=sa.text("''")))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recall_number", sa.String(200), nullable=False),
        sa.Column("item_id", sa.String(24), nullable=False),
        sa.Column("lot_number", sa.String(64), nullable=False),
        sa.Column("patient_id", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("by", sa.String(24), nullable=False),
        sa.Column("by_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('contacted', 'assessed')", name=f"ck_{TABLE}_status"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sa.UniqueConstraint("recall_number", "item_id", "lot_number", "patient_id", "status",
                            name=f"uq_{TABLE}_recall_number_item_id_lot_number_patient_id_status"),
    )
    op.create_index(f"ix_{TABLE}_recall_number", TABLE, ["recall_number"])


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_recall_number", table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table("patients") as batch:
        for name, _length in reversed(CONTACT_COLUMNS):
            batch.drop_column(name)
