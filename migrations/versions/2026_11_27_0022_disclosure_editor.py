"""the disclosure editor's web forms: optimistic locks on entered figures, policies and narratives; the figures
of a year as published, so a later change shows up against them (issue 12)

Revision ID: 0022
Revises: 0019
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0019"
branch_labels = None
depends_on = None

TABLES = ("disclosure_figures", "supply_chain_policies", "disclosure_narratives")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version_id", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "disclosure_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_disclosure_publications_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_disclosure_publications_published_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_publications")),
        sa.UniqueConstraint("organisation_id", "year", name="uq_disclosure_publications_entry"),
    )
    with op.batch_alter_table("disclosure_publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_publications_organisation_id"), ["organisation_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("disclosure_publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_publications_organisation_id"))
    op.drop_table("disclosure_publications")
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version_id")
