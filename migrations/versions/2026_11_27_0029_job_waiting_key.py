"""a job queued "once" holds its kind in a unique column until it starts: two spend batches committed at the same
instant cannot both queue a risk recompute (jobs.enqueue_once; NULLs do not collide, on SQLite and PostgreSQL)

Revision ID: 0029
Revises: 0024
Create Date: 2026-11-27 23:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("background_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_key", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_background_jobs_waiting_key"), ["waiting_key"])


def downgrade() -> None:
    with op.batch_alter_table("background_jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_background_jobs_waiting_key"), type_="unique")
        batch_op.drop_column("waiting_key")
