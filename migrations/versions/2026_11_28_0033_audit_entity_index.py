"""one index on audit_entries (entity_type, entity_id) instead of one on each

A record's history is always asked for by its type and id together (audit.for_entity, the scope's audit
branches, the disclosure's status history). The index on entity_type alone told a few dozen types apart in
a table of millions of rows and was kept up on every change for nothing; the one on entity_id alone mixed
every kind of record. One index on both serves every look-up and every change writes one index entry fewer.

Revision ID: 0033
Revises: 0031
Create Date: 2026-11-28 08:20:00
"""

from alembic import op

revision = "0033"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.drop_index("ix_audit_entries_entity_type")
        batch_op.drop_index("ix_audit_entries_entity_id")


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_entity_id", ["entity_id"], unique=False)
        batch_op.create_index("ix_audit_entries_entity_type", ["entity_type"], unique=False)
        batch_op.drop_index("ix_audit_entries_entity")
