"""what a report editor enters: baselines, restatements, targets, the policy register, narratives (issue 12)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclosure_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_disclosure_figures_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["entered_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_disclosure_figures_entered_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_figures")),
        sa.UniqueConstraint("organisation_id", "year", "code", "kind", name="uq_disclosure_figures_entry"),
    )
    with op.batch_alter_table("disclosure_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_figures_organisation_id"), ["organisation_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_figures_year"), ["year"], unique=False)


    op.create_table(
        "supply_chain_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("title_zh", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_supply_chain_policies_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"],
                                name=op.f("fk_supply_chain_policies_attachment_id_attachments")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_supply_chain_policies_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_chain_policies")),
    )
    with op.batch_alter_table("supply_chain_policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supply_chain_policies_organisation_id"), ["organisation_id"],
                              unique=False)
    op.create_table(
        "disclosure_narratives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_disclosure_narratives_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_narratives")),
        sa.UniqueConstraint("organisation_id", "year", "section", "language", name="uq_disclosure_narratives_entry"),
    )
    with op.batch_alter_table("disclosure_narratives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_narratives_organisation_id"), ["organisation_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_narratives_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("disclosure_narratives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_narratives_year"))
        batch_op.drop_index(batch_op.f("ix_disclosure_narratives_organisation_id"))
    op.drop_table("disclosure_narratives")
    with op.batch_alter_table("supply_chain_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supply_chain_policies_organisation_id"))
    op.drop_table("supply_chain_policies")
    with op.batch_alter_table("disclosure_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_figures_year"))
        batch_op.drop_index(batch_op.f("ix_disclosure_figures_organisation_id"))
    op.drop_table("disclosure_figures")
