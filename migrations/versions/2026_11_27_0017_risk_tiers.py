"""inherent risk tiers (issue 11, part 1): factor weights and tier thresholds, region risk, category risk

Two new tables (the one row of weights and thresholds is created by the service on first use) and a
risk level on every supply category. Categories that are high risk by nature (engineering
subcontracting, environmental services) start high; everything else starts low.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 17:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _versioned(table: str) -> list:
    return [
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=f"fk_{table}_updated_by_id_users",
                                ondelete="SET NULL"),
    ]


def upgrade() -> None:
    op.create_table(
        "risk_scoring",
        sa.Column("id", sa.Integer(), nullable=False),
        *[sa.Column(f"weight_{factor}", sa.Integer(), nullable=False) for factor in (
            "category", "region", "spend_share", "single_source", "incidents", "expired_licences")],
        sa.Column("high_from", sa.Integer(), nullable=False),
        sa.Column("medium_from", sa.Integer(), nullable=False),
        *_versioned("risk_scoring"),
        sa.PrimaryKeyConstraint("id", name="pk_risk_scoring"),
    )
    op.create_table(
        "region_risks",
        sa.Column("area", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=6), nullable=False),
        *_versioned("region_risks"),
        sa.PrimaryKeyConstraint("area", name="pk_region_risks"),
    )
    with op.batch_alter_table("supply_categories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_level", sa.String(length=6), server_default="low", nullable=False))
    op.execute("UPDATE supply_categories SET risk_level = 'high' "
               "WHERE code IN ('engineering', 'environmental_services') OR name_zh LIKE '%分包%'")


def downgrade() -> None:
    with op.batch_alter_table("supply_categories", schema=None) as batch_op:
        batch_op.drop_column("risk_level")
    op.drop_table("region_risks")
    op.drop_table("risk_scoring")
