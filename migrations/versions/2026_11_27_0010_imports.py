"""imports: a supplier's status_since (migrated supply base), column mappings per template name, past
evaluations brought over (evaluation_history)

Revision ID: 0010
Revises: 0013
Create Date: 2026-11-27 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0013"
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
    op.create_table(
        "evaluation_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(length=40), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evaluation_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_history_supplier_id"), ["supplier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_history_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evaluation_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_history_year"))
        batch_op.drop_index(batch_op.f("ix_evaluation_history_supplier_id"))
    op.drop_table("evaluation_history")
    with op.batch_alter_table("import_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mappings_updated_by_id"))
    op.drop_table("import_mappings")
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_column("status_since")
