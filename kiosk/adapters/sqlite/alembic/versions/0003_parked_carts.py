"""Keep the carts parked at sign-out (issue 13: nothing used is ever discarded).

Revision ID: 0003_parked_carts
Revises: 0002
Create Date: 2026-11-25

Additive: one new table; a kiosk rolled back to 0002 loses only the parked carts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_parked_carts"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(24)
UTC_TIME = sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "parked_carts",
        sa.Column("id", ID, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column("parked_at", UTC_TIME, nullable=False),
        sa.Column("parked_by", ID, nullable=False),
        sa.Column("parked_by_name", sa.String(200), nullable=False),
        sa.Column("patient_id", ID, nullable=True),
        sa.Column("patient_name", sa.String(200), nullable=True),
        sa.Column("chart_number", sa.String(64), nullable=True),
        sa.Column("appliance_id", ID, nullable=True),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.Column("closed_by", ID, nullable=True),
        sa.Column("closed_by_name", sa.String(200), nullable=True),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.Column("discard_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("state IN ('PARKED', 'RESUMED', 'DISCARDED')",
                           name="ck_parked_carts_state"),
        sa.ForeignKeyConstraint(["parked_by"], ["staff.id"], name="fk_parked_carts_parked_by_staff",
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["closed_by"], ["staff.id"], name="fk_parked_carts_closed_by_staff",
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_parked_carts"),
    )
    op.create_index("ix_parked_carts_state_parked_at", "parked_carts", ["state", "parked_at"])


def downgrade() -> None:
    op.drop_index("ix_parked_carts_state_parked_at", table_name="parked_carts")
    op.drop_table("parked_carts")
