"""Keep wrong-PIN lockouts in the store, so a restart does not lift a lock.

Revision ID: 0004_sign_in_lockouts
Revises: 0003_parked_carts
Create Date: 2026-12-02

One row per lockout key: a staff id, or ``badge:<BADGE>`` for a badge nobody has (so an
unknown badge is answered like a real one without ever locking a real person). Additive: a
kiosk rolled back to 0002 loses only the current counts, which expire within minutes anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_sign_in_lockouts"
down_revision: str | Sequence[str] | None = "0003_parked_carts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "sign_in_lockouts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("wrong", sa.Integer(), nullable=False),
        sa.Column("first_wrong_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=f"pk_{TABLE}"),
    )


def downgrade() -> None:
    op.drop_table(TABLE)
