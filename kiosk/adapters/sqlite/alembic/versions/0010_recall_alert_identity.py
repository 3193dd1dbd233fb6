"""A recall alert keeps the recall's identifiers and the matches it left for review.

Revision ID: 0010_recall_alert_identity
Revises: 0009_recall_follow_up
Create Date: 2026-12-03

``recall_alerts`` gains ``event_number``, ``firm``, ``classification``, ``status`` and
``reason`` (issue 16: "the recall's identifiers kept"), and ``to_review``/``review``: the
items the recall may mean by its description's words only (never marked), so a name-only
match the unattended daily watch finds waits for a manager. Empty/0 for alerts raised
before. Additive: downgrading drops them.
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
           ("reason", sa.Text()), ("review", sa.Text()))


def upgrade() -> None:
    with op.batch_alter_table("recall_alerts") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False,
                                       server_default=sa.text("''")))
        batch.add_column(sa.Column("to_review", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))


def downgrade() -> None:
    with op.batch_alter_table("recall_alerts") as batch:
        for name in (*(name for name, _ in COLUMNS), "to_review"):
            batch.drop_column(name)
