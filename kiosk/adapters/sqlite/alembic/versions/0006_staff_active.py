"""Keep whether each staff member is still active (issue 14: revocation reaches the kiosk).

Revision ID: 0006_staff_active
Revises: 0005_override_by
Create Date: 2026-12-09

A staff member disabled or deleted centrally is kept locally (their usages point at them and
may still be waiting to push) but marked inactive: they can neither sign in nor act. Every
existing row starts active, as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_staff_active"
down_revision: str | Sequence[str] | None = "0005_override_by"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                   server_default=sa.text("1")))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("active")
