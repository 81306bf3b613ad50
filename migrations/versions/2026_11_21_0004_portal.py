"""portal: invitations, portal members, registry change requests, self-assessment questionnaires and responses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 23:18:35.120724
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('grants_admin', sa.Boolean(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invitations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_invitations_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_invitations_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('saq_questionnaires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('intro_zh', sa.Text(), nullable=True),
    sa.Column('intro_en', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_saq_questionnaires_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saq_questionnaires')),
    sa.UniqueConstraint('code', 'version', name='uq_saq_questionnaires_code_version')
    )
    with op.batch_alter_table('saq_questionnaires', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saq_questionnaires_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_saq_questionnaires_status'), ['status'], unique=False)

    op.create_table('portal_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_portal_members_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_portal_members_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_portal_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_portal_members_user_id'))
    )
    with op.batch_alter_table('portal_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_members_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('saq_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('theme', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('qtype', sa.String(length=10), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('help_zh', sa.Text(), nullable=True),
    sa.Column('help_en', sa.Text(), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('number_bands', sa.JSON(), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=True),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['saq_questionnaires.id'], name=op.f('fk_saq_questions_questionnaire_id_saq_questionnaires'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saq_questions')),
    sa.UniqueConstraint('questionnaire_id', 'code', name='uq_saq_questions_questionnaire_code')
    )
    with op.batch_alter_table('saq_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saq_questions_questionnaire_id'), ['questionnaire_id'], unique=False)

    op.create_table('saq_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submit_count', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('theme_scores', sa.JSON(), nullable=True),
    sa.Column('total_score', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['saq_questionnaires.id'], name=op.f('fk_saq_responses_questionnaire_id_saq_questionnaires'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_saq_responses_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_saq_responses_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_saq_responses_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saq_responses'))
    )
    with op.batch_alter_table('saq_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saq_responses_questionnaire_id'), ['questionnaire_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saq_responses_reviewed_on'), ['reviewed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_saq_responses_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_saq_responses_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('old_name_zh', sa.String(length=200), nullable=False),
    sa.Column('new_name_zh', sa.String(length=200), nullable=False),
    sa.Column('old_name_en', sa.String(length=200), nullable=True),
    sa.Column('new_name_en', sa.String(length=200), nullable=True),
    sa.Column('old_credit_code', sa.String(length=18), nullable=True),
    sa.Column('new_credit_code', sa.String(length=18), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_supplier_change_requests_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_supplier_change_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_supplier_change_requests_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_change_requests_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_change_requests'))
    )
    with op.batch_alter_table('supplier_change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_change_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_change_requests_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('saq_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('number_value', sa.Float(), nullable=True),
    sa.Column('text_value', sa.Text(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('review_state', sa.String(length=15), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_saq_answers_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['question_id'], ['saq_questions.id'], name=op.f('fk_saq_answers_question_id_saq_questions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['response_id'], ['saq_responses.id'], name=op.f('fk_saq_answers_response_id_saq_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_saq_answers_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saq_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name='uq_saq_answers_response_question')
    )
    with op.batch_alter_table('saq_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saq_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saq_answers_response_id'), ['response_id'], unique=False)

    op.create_table('saq_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('label_zh', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['saq_questions.id'], name=op.f('fk_saq_options_question_id_saq_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saq_options')),
    sa.UniqueConstraint('question_id', 'value', name='uq_saq_options_question_value')
    )
    with op.batch_alter_table('saq_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saq_options_question_id'), ['question_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saq_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saq_options_question_id'))

    op.drop_table('saq_options')
    with op.batch_alter_table('saq_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saq_answers_response_id'))
        batch_op.drop_index(batch_op.f('ix_saq_answers_question_id'))

    op.drop_table('saq_answers')
    with op.batch_alter_table('supplier_change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_change_requests_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_change_requests_status'))

    op.drop_table('supplier_change_requests')
    with op.batch_alter_table('saq_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saq_responses_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_saq_responses_status'))
        batch_op.drop_index(batch_op.f('ix_saq_responses_reviewed_on'))
        batch_op.drop_index(batch_op.f('ix_saq_responses_questionnaire_id'))

    op.drop_table('saq_responses')
    with op.batch_alter_table('saq_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saq_questions_questionnaire_id'))

    op.drop_table('saq_questions')
    with op.batch_alter_table('portal_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_members_supplier_id'))

    op.drop_table('portal_members')
    with op.batch_alter_table('saq_questionnaires', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saq_questionnaires_status'))
        batch_op.drop_index(batch_op.f('ix_saq_questionnaires_code'))

    op.drop_table('saq_questionnaires')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_email'))

    op.drop_table('invitations')
