"""daily work (issue 13): users.locale holds zh_Hant (10 characters); annual certificates keep the
supplier's names and credit code as issued; a corrective action records who answered it

Revision ID: 0011
Revises: 0012
Create Date: 2026-11-27 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=5), type_=sa.String(length=10),
                              existing_nullable=True)
    with op.batch_alter_table("annual_certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_name_zh", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("supplier_name_en", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("credit_code", sa.String(length=18), nullable=True))
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_corrective_actions_submitted_by_id_users", "users", ["submitted_by_id"],
                                    ["id"], ondelete="SET NULL")
    # Certificates issued before: the names the supplier has now are the best record there is.
    for column in ("name_zh", "name_en", "credit_code"):
        target = "supplier_" + column if column != "credit_code" else column
        op.execute(
            f"UPDATE annual_certificates SET {target} = "
            f"(SELECT suppliers.{column} FROM suppliers WHERE suppliers.id = annual_certificates.supplier_id)"
        )


def downgrade() -> None:
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_corrective_actions_submitted_by_id_users", type_="foreignkey")
        batch_op.drop_column("submitted_by_id")
    with op.batch_alter_table("annual_certificates", schema=None) as batch_op:
        batch_op.drop_column("credit_code")
        batch_op.drop_column("supplier_name_en")
        batch_op.drop_column("supplier_name_zh")
    # Traditional Chinese does not fit the old column: those users fall back to simplified Chinese.
    op.execute("UPDATE users SET locale = 'zh' WHERE locale = 'zh_Hant'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=10), type_=sa.String(length=5),
                              existing_nullable=True)
