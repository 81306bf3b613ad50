"""risk-based due diligence foundation (issue 11): each supplier's risk tier, what each tier asks for, and the
supplier type (manufacturer, distributor, service provider, contractor)

Revision ID: 0016
Revises: 0011
Create Date: 2026-11-27 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supplier_risks",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=6), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name="fk_supplier_risks_supplier_id_suppliers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("supplier_id", name="pk_supplier_risks"),
    )
    op.create_index("ix_supplier_risks_tier", "supplier_risks", ["tier"])
    op.create_table(
        "risk_tier_settings",
        sa.Column("tier", sa.String(length=6), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=True),
        sa.Column("audit_interval_months", sa.Integer(), nullable=True),
        sa.Column("rescreen_interval_months", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["saq_questionnaires.id"],
                                name="fk_risk_tier_settings_questionnaire_id_saq_questionnaires", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name="fk_risk_tier_settings_updated_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("tier", name="pk_risk_tier_settings"),
    )
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_type", sa.String(length=20), server_default="manufacturer",
                                      nullable=False))
        batch_op.create_index("ix_suppliers_supplier_type", ["supplier_type"])
    # Suppliers in a contracting category were contractors all along (DOMAIN: engineering subcontracting).
    op.execute(
        "UPDATE suppliers SET supplier_type = 'contractor' WHERE id IN (SELECT sc.supplier_id FROM "
        "supplier_categories sc JOIN supply_categories c ON c.id = sc.category_id "
        "WHERE c.code = 'engineering' OR c.name_zh LIKE '%分包%')"
    )


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_index("ix_suppliers_supplier_type")
        batch_op.drop_column("supplier_type")
    op.drop_table("risk_tier_settings")
    op.drop_index("ix_supplier_risks_tier", table_name="supplier_risks")
    op.drop_table("supplier_risks")
