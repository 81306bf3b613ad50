"""data safety: optimistic locks, soft deletes, race-proof keys, attachments in the database

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-27 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

# Records people edit: each gets an optimistic lock (version_id, bumped by SQLAlchemy on every UPDATE).
VERSIONED = (
    "suppliers", "supply_categories", "users", "certifications", "integrity_pledges", "training_sessions",
    "incidents", "corrective_actions", "blacklist_entries", "pledge_templates",
)
# Evidence records: deleted softly, with who, when and why.
SOFT_DELETED = ("certifications", "integrity_pledges", "training_sessions", "incidents", "corrective_actions")
WITHOUT_CODE = sa.text("credit_code IS NULL")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=False, server_default="1"))
    for table in SOFT_DELETED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("deletion_reason", sa.Text(), nullable=True))
            batch_op.create_index(f"ix_{table}_deleted_at", ["deleted_at"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_deleted_by_id_users", "users", ["deleted_by_id"], ["id"],
                                        ondelete="SET NULL")
    with op.batch_alter_table("integrity_pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature_key", sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint("uq_integrity_pledges_signature_key", ["signature_key"])
    op.create_index("uq_suppliers_name_key_without_code", "suppliers", ["name_key"], unique=True,
                    sqlite_where=WITHOUT_CODE, postgresql_where=WITHOUT_CODE)
    op.create_table(
        "attachment_blobs",
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"],
                                name="fk_attachment_blobs_attachment_id_attachments", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("attachment_id", name="pk_attachment_blobs"),
    )


def downgrade() -> None:
    op.drop_table("attachment_blobs")
    op.drop_index("uq_suppliers_name_key_without_code", table_name="suppliers")
    with op.batch_alter_table("integrity_pledges", schema=None) as batch_op:
        batch_op.drop_constraint("uq_integrity_pledges_signature_key", type_="unique")
        batch_op.drop_column("signature_key")
    for table in SOFT_DELETED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_deleted_by_id_users", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_deleted_at")
            batch_op.drop_column("deletion_reason")
            batch_op.drop_column("deleted_by_id")
            batch_op.drop_column("deleted_at")
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version_id")
