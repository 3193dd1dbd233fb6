"""A recall alert keeps the recall's identifiers from its openFDA record.

Revision ID: 0010_recall_alert_identity
Revises: 0009_recall_follow_up
Create Date: 2026-12-03

``recall_alerts`` gains ``event_number``, ``firm``, ``classification``, ``status`` and
``reason`` (issue 16: "the recall's identifiers kept"), empty for alerts raised before.
Additive: downgrading drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_recall_alert_identity"
down_revision: str | Sequence[str] | None = "0009_recall_follow_up"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("event_number", sa.String(64)), ("firm", sa.String(200)),
           ("classification", sa.String(40)), ("status", sa.String(40)),
           ("reason", sa.Text()))


def upgrade() -> None:
    with op.batch_alter_table("recall_alerts") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False,
                                       server_default=sa.text("''")))


def downgrade() -> None:
    with op.batch_alter_table("recall_alerts") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
