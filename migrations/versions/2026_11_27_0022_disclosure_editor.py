"""the disclosure editor's web forms: optimistic locks on entered figures, policies and narratives (issue 12)

Revision ID: 0022
Revises: 0016
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = ("disclosure_figures", "supply_chain_policies", "disclosure_narratives")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version_id", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version_id")
