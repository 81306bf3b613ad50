"""a supply-chain policy's end date and what superseded it: the disclosure of a year names the policies in force
during that year (issue 12)

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-27 20:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supply_chain_policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_supply_chain_policies_superseded_by_id_supply_chain_policies"),
                                    "supply_chain_policies", ["superseded_by_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("supply_chain_policies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_supply_chain_policies_superseded_by_id_supply_chain_policies"),
                                 type_="foreignkey")
        batch_op.drop_column("superseded_by_id")
        batch_op.drop_column("ended_on")
