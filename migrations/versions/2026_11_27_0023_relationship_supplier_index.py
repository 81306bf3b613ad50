"""an index on supplier_relationships (supplier_id, organisation_id) (issues 9 and 14, list and dashboard speed)

The organisation scope's correlated EXISTS and the "local" column ask, per supplier, whether one of a set
of organisations buys from it. With only the index on supplier_id, PostgreSQL probed by supplier and then
read the table for the organisation; this index answers from the index alone.

Revision ID: 0023
Revises: 0020
Create Date: 2026-11-27 18:45:00
"""

from alembic import op

revision = "0023"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supplier_relationships", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_relationships_supplier_org", ["supplier_id", "organisation_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("supplier_relationships", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_relationships_supplier_org")
