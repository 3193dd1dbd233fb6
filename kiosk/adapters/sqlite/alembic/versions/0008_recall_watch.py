"""Keep the recall watch's state and its alerts (issue 16).

Revision ID: 0008_recall_watch
Revises: 0006_staff_active
Create Date: 2026-12-03

``recall_watch_seen``: every recall id the watch handled, so a repeat is never applied again;
``recall_watch_runs``: each successful run, the latest being where the next resumes;
``recall_alerts``: a recall that marked lots (by the watch or a file), with who acknowledged
it and when. Additive: a kiosk rolled back forgets only what the watch had seen, and the
import it runs again marks nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_recall_watch"
down_revision: str | Sequence[str] | None = "0006_staff_active"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "recall_watch_seen",
        sa.Column("recall_id", sa.String(64), nullable=False),
        sa.Column("seen_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("recall_id", name="pk_recall_watch_seen"),
    )
    op.create_table(
        "recall_watch_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recall_watch_runs"),
    )
    op.create_index("ix_recall_watch_runs_finished_at", "recall_watch_runs", ["finished_at"])
    op.create_table(
        "recall_alerts",
        sa.Column("recall_number", sa.String(64), nullable=False),
        sa.Column("lots_marked", sa.Integer(), nullable=False),
        sa.Column("applied_at", UTC_TIME, nullable=False),
        sa.Column("applied_by", sa.String(64), nullable=False),
        sa.Column("authorized_by", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.Column("acknowledged_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("recall_number", name="pk_recall_alerts"),
    )


def downgrade() -> None:
    op.drop_table("recall_alerts")
    op.drop_index("ix_recall_watch_runs_finished_at", "recall_watch_runs")
    op.drop_table("recall_watch_runs")
    op.drop_table("recall_watch_seen")
