"""Record who approved an override at the chair.

Revision ID: 0005_override_by
Revises: 0004_sign_in_lockouts
Create Date: 2026-12-02

An assistant who scans an expired lot may use it once a manager badges in on the spot; the
usage keeps the assistant in ``used_by`` and the approving manager in ``override_by``.
Additive and nullable: older rows (and a kiosk rolled back to 0002) lose nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_override_by"
down_revision: str | Sequence[str] | None = "0004_sign_in_lockouts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usages") as batch:
        batch.add_column(sa.Column("override_by", sa.String(24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("usages") as batch:
        batch.drop_column("override_by")
