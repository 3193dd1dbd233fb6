"""Index the usage ledger for lot tracking and recalls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

A recall asks "who received lot L, in order": usages WHERE lot_number = ? ORDER BY
usage_date, kiosk_seq, id. With only ix_usages_lot_number SQLite finds the rows and then sorts
them in a temporary B-tree; this index hands them over already in report order. Additive: no
row or column changes, so a kiosk that is rolled back to 0001 loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_usages_lot_number_usage_date"
COLUMNS = ["lot_number", "usage_date", "kiosk_seq", "id"]


def upgrade() -> None:
    op.create_index(INDEX, "usages", COLUMNS)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="usages")
