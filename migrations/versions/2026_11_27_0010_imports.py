"""imports: a supplier's status_since (migrated supply base) and column mappings per template name

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-27 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_since", sa.Date(), nullable=True))
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "name", name="uq_import_mappings_kind_name"),
    )
    with op.batch_alter_table("import_mappings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_mappings_updated_by_id"), ["updated_by_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mappings_updated_by_id"))
    op.drop_table("import_mappings")
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_column("status_since")
