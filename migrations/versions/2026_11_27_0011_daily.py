"""a user's interface language can be zh_Hant (traditional Chinese): users.locale grows to 10 characters

Revision ID: 0011
Revises: 0006
Create Date: 2026-11-27 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=5), type_=sa.String(length=10),
                              existing_nullable=True)


def downgrade() -> None:
    # Traditional Chinese does not fit the old column: those users fall back to simplified Chinese.
    op.execute("UPDATE users SET locale = 'zh' WHERE locale = 'zh_Hant'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=10), type_=sa.String(length=5),
                              existing_nullable=True)
