"""audits and inspections (issue 11, part 3): versioned checklist templates, audits, findings and their
photos or reports

Revision ID: 0019
Revises: 0017
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_checklist_templates_created_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_templates"),
        sa.UniqueConstraint("code", "version", name="uq_checklist_templates_code_version"),
    )
    op.create_index("ix_checklist_templates_code", "checklist_templates", ["code"])
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["checklist_templates.id"],
                                name="fk_checklist_items_template_id_checklist_templates", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_items"),
    )
    op.create_index("ix_checklist_items_template_id", "checklist_items", ["template_id"])
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("actual_on", sa.Date(), nullable=True),
        sa.Column("auditors", sa.String(length=300), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name="fk_audits_supplier_id_suppliers"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_audits_organisation_id_organisations", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["template_id"], ["checklist_templates.id"],
                                name="fk_audits_template_id_checklist_templates", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_audits_created_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_audits"),
    )
    for column in ("supplier_id", "organisation_id", "kind", "planned_on", "actual_on", "status"):
        op.create_index(f"ix_audits_{column}", "audits", [column])
    op.create_table(
        "audit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("dimension", sa.String(length=15), nullable=False),
        sa.Column("impact", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("corrective_action_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"], name="fk_audit_findings_audit_id_audits"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name="fk_audit_findings_supplier_id_suppliers"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_audit_findings_organisation_id_organisations", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["corrective_action_id"], ["corrective_actions.id"],
                                name="fk_audit_findings_corrective_action_id_corrective_actions"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_audit_findings_created_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_findings"),
    )
    for column in ("audit_id", "supplier_id", "organisation_id", "severity", "dimension", "corrective_action_id"):
        op.create_index(f"ix_audit_findings_{column}", "audit_findings", [column])
    op.create_table(
        "audit_finding_attachments",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["audit_findings.id"],
                                name="fk_audit_finding_attachments_finding_id_audit_findings", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"],
                                name="fk_audit_finding_attachments_attachment_id_attachments", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("finding_id", "attachment_id", name="pk_audit_finding_attachments"),
    )


def downgrade() -> None:
    op.drop_table("audit_finding_attachments")
    for column in ("audit_id", "supplier_id", "organisation_id", "severity", "dimension", "corrective_action_id"):
        op.drop_index(f"ix_audit_findings_{column}", table_name="audit_findings")
    op.drop_table("audit_findings")
    for column in ("supplier_id", "organisation_id", "kind", "planned_on", "actual_on", "status"):
        op.drop_index(f"ix_audits_{column}", table_name="audits")
    op.drop_table("audits")
    op.drop_index("ix_checklist_items_template_id", table_name="checklist_items")
    op.drop_table("checklist_items")
    op.drop_index("ix_checklist_templates_code", table_name="checklist_templates")
    op.drop_table("checklist_templates")
