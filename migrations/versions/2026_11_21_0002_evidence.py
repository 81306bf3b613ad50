"""evidence: attachments, pledges and templates, certifications, training, incidents, corrective actions, blacklist, category requirements

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:10:50.679847
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pledge_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_templates')),
    sa.UniqueConstraint('kind', 'version', name='uq_pledge_templates_kind_version')
    )
    with op.batch_alter_table('pledge_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_templates_kind'), ['kind'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_topic'), ['topic'], unique=False)

    op.create_table('category_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['supply_categories.id'], name=op.f('fk_category_requirements_category_id_supply_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_requirements')),
    sa.UniqueConstraint('category_id', 'kind', 'value', name='uq_category_requirements_entry')
    )
    with op.batch_alter_table('category_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_requirements_category_id'), ['category_id'], unique=False)

    op.create_table('training_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('names', sa.Text(), nullable=True),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_attendances_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_training_attendances_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendances')),
    sa.UniqueConstraint('session_id', 'supplier_id', name='uq_training_attendances_session_supplier')
    )
    with op.batch_alter_table('training_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendances_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendances_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_attachments_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('blacklist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('since_on', sa.Date(), nullable=False),
    sa.Column('until_on', sa.Date(), nullable=True),
    sa.Column('social_noncompliance', sa.Boolean(), nullable=False),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_blacklist_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_blacklist_entries_lifted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_blacklist_entries_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blacklist_entries'))
    )
    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blacklist_entries_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_blacklist_entries_since_on'), ['since_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_blacklist_entries_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blacklist_entries_terminated_on'), ['terminated_on'], unique=False)

    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_incidents_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_incidents_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_severity'), ['severity'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('cert_type', sa.String(length=40), nullable=False),
    sa.Column('other_name', sa.String(length=200), nullable=True),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verification_method', sa.String(length=30), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_certifications_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_certifications_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_certifications_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_certifications_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certifications'))
    )
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certifications_cert_type'), ['cert_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_certifications_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_certifications_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('corrective_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('submission_note', sa.Text(), nullable=True),
    sa.Column('evidence_attachment_id', sa.Integer(), nullable=True),
    sa.Column('verification_note', sa.Text(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_corrective_actions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_attachment_id'], ['attachments.id'], name=op.f('fk_corrective_actions_evidence_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_corrective_actions_incident_id_incidents')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_corrective_actions_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_corrective_actions_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrective_actions'))
    )
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrective_actions_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_actions_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_actions_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_actions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_actions_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('integrity_pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('signatory_name', sa.String(length=100), nullable=False),
    sa.Column('signatory_title', sa.String(length=100), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('text_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_integrity_pledges_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_integrity_pledges_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_integrity_pledges_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['template_id'], ['pledge_templates.id'], name=op.f('fk_integrity_pledges_template_id_pledge_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_pledges'))
    )
    with op.batch_alter_table('integrity_pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_pledges_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_pledges_signed_on'), ['signed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_pledges_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_pledges_template_id'), ['template_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('integrity_pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_pledges_template_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_pledges_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_pledges_signed_on'))
        batch_op.drop_index(batch_op.f('ix_integrity_pledges_kind'))

    op.drop_table('integrity_pledges')
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrective_actions_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_corrective_actions_status'))
        batch_op.drop_index(batch_op.f('ix_corrective_actions_incident_id'))
        batch_op.drop_index(batch_op.f('ix_corrective_actions_evaluation_id'))
        batch_op.drop_index(batch_op.f('ix_corrective_actions_due_on'))

    op.drop_table('corrective_actions')
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certifications_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_certifications_expires_on'))
        batch_op.drop_index(batch_op.f('ix_certifications_cert_type'))

    op.drop_table('certifications')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_incidents_severity'))
        batch_op.drop_index(batch_op.f('ix_incidents_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_incidents_category'))

    op.drop_table('incidents')
    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_terminated_on'))
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_since_on'))
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_credit_code'))

    op.drop_table('blacklist_entries')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))

    op.drop_table('attachments')
    with op.batch_alter_table('training_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendances_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendances_session_id'))

    op.drop_table('training_attendances')
    with op.batch_alter_table('category_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_requirements_category_id'))

    op.drop_table('category_requirements')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_topic'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_held_on'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('pledge_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_templates_kind'))

    op.drop_table('pledge_templates')
