"""questionnaire campaigns (issue 11): a questionnaire version sent to a selection of suppliers with a due date,
its recipients and every reminder sent to them

Revision ID: 0018
Revises: 0022
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("remind_before_days", sa.Integer(), nullable=False),
        sa.Column("remind_after_days", sa.Integer(), nullable=False),
        sa.Column("overdue_consequence", sa.String(length=20), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_campaigns_organisation_id_organisations", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["saq_questionnaires.id"],
                                name="fk_campaigns_questionnaire_id_saq_questionnaires", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["job_id"], ["background_jobs.id"], name="fk_campaigns_job_id_background_jobs",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_campaigns_created_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
    )
    op.create_index("ix_campaigns_organisation_id", "campaigns", ["organisation_id"])
    op.create_index("ix_campaigns_status", "campaigns", ["status"])
    op.create_table(
        "campaign_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("consequence", sa.String(length=20), nullable=True),
        sa.Column("consequence_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name="fk_campaign_recipients_campaign_id_campaigns",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name="fk_campaign_recipients_supplier_id_suppliers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["response_id"], ["saq_responses.id"],
                                name="fk_campaign_recipients_response_id_saq_responses", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_recipients"),
        sa.UniqueConstraint("campaign_id", "supplier_id", name="uq_campaign_recipients_campaign_supplier"),
    )
    op.create_index("ix_campaign_recipients_campaign_id", "campaign_recipients", ["campaign_id"])
    op.create_index("ix_campaign_recipients_supplier_id", "campaign_recipients", ["supplier_id"])
    op.create_index("ix_campaign_recipients_response_id", "campaign_recipients", ["response_id"])
    op.create_table(
        "campaign_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["campaign_recipients.id"],
                                name="fk_campaign_reminders_recipient_id_campaign_recipients", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name="fk_campaign_reminders_sent_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_reminders"),
    )
    op.create_index("ix_campaign_reminders_recipient_id", "campaign_reminders", ["recipient_id"])


def downgrade() -> None:
    op.drop_index("ix_campaign_reminders_recipient_id", table_name="campaign_reminders")
    op.drop_table("campaign_reminders")
    op.drop_index("ix_campaign_recipients_response_id", table_name="campaign_recipients")
    op.drop_index("ix_campaign_recipients_supplier_id", table_name="campaign_recipients")
    op.drop_index("ix_campaign_recipients_campaign_id", table_name="campaign_recipients")
    op.drop_table("campaign_recipients")
    op.drop_index("ix_campaigns_status", table_name="campaigns")
    op.drop_index("ix_campaigns_organisation_id", table_name="campaigns")
    op.drop_table("campaigns")
