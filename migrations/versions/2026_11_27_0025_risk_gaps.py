"""campaign description and rescheduling, planned end of a supplier's work (issue 11)

campaigns.description: procurement's explanation, shown with the invitation; campaigns.rescheduled_at: when
the due date last moved (reminders sent before it no longer count for their stage, so the reminders follow
the new date); supplier_relationships.planned_until_on: when the work (a contractor on a project site) is
planned to end.

Revision ID: 0025
Revises: 0023
Create Date: 2026-11-27 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rescheduled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("supplier_relationships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_until_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("supplier_relationships", schema=None) as batch_op:
        batch_op.drop_column("planned_until_on")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("rescheduled_at")
        batch_op.drop_column("description")
