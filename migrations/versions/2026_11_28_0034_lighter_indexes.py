"""indexes that cost every insert and served no query

Every row added to these tables wrote an entry into each of these indexes; none of them narrowed a query:
- `deleted_at` of the five soft-deleted tables (certificates, pledges, training sessions, incidents,
  corrective actions): every list and figure asks `deleted_at IS NULL`, true of nearly every row, so no plan
  used the index; only the trash asks for removed rows. The index now holds those rows only (a partial
  index), so a row added alive writes nothing into it and the trash still reads it.
- `integrity_pledges.kind`: three values in a table of hundreds of thousands of rows; pledges are always
  asked for by supplier (or by validity), with the kind as a filter.
- `supplier_relationships.supplier_id`, `supplier_qualifications.supplier_id` and
  `training_attendances.session_id`: each is the first column of another index on the table
  (`ix_supplier_relationships_supplier_org`, `uq_supplier_qualifications_pair`,
  `uq_training_attendances_session_supplier`), which answers the same look-ups.

Importing 100,000 pledges wrote 300,000 index entries fewer (docs/speed.md).

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-28 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

SOFT_DELETED = ("certifications", "integrity_pledges", "training_sessions", "incidents", "corrective_actions")
REMOVED = sa.text("deleted_at IS NOT NULL")
REDUNDANT = (("integrity_pledges", "kind"), ("supplier_relationships", "supplier_id"),
             ("supplier_qualifications", "supplier_id"), ("training_attendances", "session_id"))


def upgrade() -> None:
    for table in SOFT_DELETED:
        op.drop_index(f"ix_{table}_deleted_at", table_name=table)
        op.create_index(f"ix_{table}_deleted_at", table, ["deleted_at"], sqlite_where=REMOVED,
                        postgresql_where=REMOVED)
    for table, column in REDUNDANT:
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in REDUNDANT:
        op.create_index(f"ix_{table}_{column}", table, [column])
    for table in SOFT_DELETED:
        op.drop_index(f"ix_{table}_deleted_at", table_name=table)
        op.create_index(f"ix_{table}_deleted_at", table, ["deleted_at"])
