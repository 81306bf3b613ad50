"""purchasing data: the spend ledger and purchase receipts

Two new tables, filled by batches from the group's ERPs and platforms (and `flask spend import`).
Nothing existing changes; downgrade drops both tables.

Revision ID: 0014
Revises: 0010
Create Date: 2026-11-27 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0010"
branch_labels = None
depends_on = None


def _common() -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
    ]


def _tail(table: str) -> list:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=f"fk_{table}_organisation_id_organisations", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name=f"fk_{table}_supplier_id_suppliers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["category_id"], ["supply_categories.id"],
                                name=f"fk_{table}_category_id_supply_categories", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("external_id", name=f"uq_{table}_external_id"),
    ]


def upgrade() -> None:
    op.create_table(
        "spend_lines",
        *_common(),
        sa.Column("month_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        *_tail("spend_lines"),
        sa.UniqueConstraint("organisation_id", "supplier_id", "category_id", "month_on",
                            name="uq_spend_lines_org_supplier_category_month"),
    )
    op.create_index("ix_spend_lines_supplier_id", "spend_lines", ["supplier_id"])
    op.create_index("ix_spend_lines_month_currency", "spend_lines", ["month_on", "currency", "supplier_id"])
    op.create_table(
        "receipt_lines",
        *_common(),
        sa.Column("po_line", sa.String(length=100), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("quantity_received", sa.Numeric(18, 3), nullable=False),
        sa.Column("quantity_accepted", sa.Numeric(18, 3), nullable=False),
        sa.Column("quantity_rejected", sa.Numeric(18, 3), nullable=False),
        *_tail("receipt_lines"),
    )
    op.create_index("ix_receipt_lines_supplier_received", "receipt_lines", ["supplier_id", "received_on"])


def downgrade() -> None:
    op.drop_index("ix_receipt_lines_supplier_received", table_name="receipt_lines")
    op.drop_table("receipt_lines")
    op.drop_index("ix_spend_lines_month_currency", table_name="spend_lines")
    op.drop_index("ix_spend_lines_supplier_id", table_name="spend_lines")
    op.drop_table("spend_lines")
