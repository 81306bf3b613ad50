"""supplier search column and the list page's covering index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 23:58:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.String(length=420), nullable=False, server_default=""))
    # Existing rows: the same lower-cased "name_zh name_en credit_code" the application writes.
    op.execute(
        "UPDATE suppliers SET search_text = lower(name_zh || coalesce(' ' || name_en, '') "
        "|| coalesce(' ' || credit_code, ''))"
    )
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.create_index("ix_suppliers_list_filters", ["region", "status", "province_code", "search_text"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_index("ix_suppliers_list_filters")
        batch_op.drop_column("search_text")
