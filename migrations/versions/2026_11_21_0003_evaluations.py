"""evaluations: scheme versions, integrity screenings, evaluations and approvals, annual certificates

corrective_actions.evaluation_id stays a plain integer: the foreign key would change the evidence model.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 23:13:51.169528
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('integrity_screenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('on_dishonest_list', sa.Boolean(), nullable=False),
    sa.Column('principal_bribery_conviction', sa.Boolean(), nullable=False),
    sa.Column('integrity_pledge_refused', sa.Boolean(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_integrity_screenings_checked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_integrity_screenings_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_screenings'))
    )
    with op.batch_alter_table('integrity_screenings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_screenings_checked_on'), ['checked_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_screenings_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('scheme_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['supply_categories.id'], name=op.f('fk_scheme_versions_category_id_supply_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_scheme_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_versions')),
    sa.UniqueConstraint('code', 'version', name='uq_scheme_versions_code_version')
    )
    with op.batch_alter_table('scheme_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_versions_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheme_versions_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheme_versions_kind'), ['kind'], unique=False)

    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('scheme_version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period_type', sa.String(length=10), nullable=True),
    sa.Column('period_year', sa.Integer(), nullable=True),
    sa.Column('period_index', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('manual_scores', sa.JSON(), nullable=False),
    sa.Column('manual_notes', sa.JSON(), nullable=False),
    sa.Column('editor_ids', sa.JSON(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('required_levels', sa.Integer(), nullable=False),
    sa.Column('approved_levels', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('rejection_comment', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('social_non_compliance', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('trial_outcome', sa.String(length=10), nullable=True),
    sa.Column('trial_recorded_on', sa.Date(), nullable=True),
    sa.Column('trial_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['supply_categories.id'], name=op.f('fk_evaluations_category_id_supply_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scheme_version_id'], ['scheme_versions.id'], name=op.f('fk_evaluations_scheme_version_id_scheme_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_evaluations_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_evaluations_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_finalised_at'), ['finalised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_grade'), ['grade'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_period_year'), ['period_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_scheme_version_id'), ['scheme_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('annual_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('certificate_number', sa.String(length=40), nullable=False),
    sa.Column('verification_code', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_annual_certificates_evaluation_id_evaluations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_annual_certificates_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_certificates')),
    sa.UniqueConstraint('certificate_number', name=op.f('uq_annual_certificates_certificate_number')),
    sa.UniqueConstraint('supplier_id', 'year', name='uq_annual_certificates_supplier_year'),
    sa.UniqueConstraint('verification_code', name=op.f('uq_annual_certificates_verification_code'))
    )
    with op.batch_alter_table('annual_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_certificates_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_certificates_year'), ['year'], unique=False)

    op.create_table('evaluation_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_evaluation_approvals_approver_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_approvals_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_approvals'))
    )
    with op.batch_alter_table('evaluation_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_approvals_approver_id'), ['approver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_approvals_evaluation_id'), ['evaluation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evaluation_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_approvals_evaluation_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_approvals_approver_id'))

    op.drop_table('evaluation_approvals')
    with op.batch_alter_table('annual_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_certificates_year'))
        batch_op.drop_index(batch_op.f('ix_annual_certificates_supplier_id'))

    op.drop_table('annual_certificates')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_status'))
        batch_op.drop_index(batch_op.f('ix_evaluations_scheme_version_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_period_year'))
        batch_op.drop_index(batch_op.f('ix_evaluations_outcome'))
        batch_op.drop_index(batch_op.f('ix_evaluations_kind'))
        batch_op.drop_index(batch_op.f('ix_evaluations_grade'))
        batch_op.drop_index(batch_op.f('ix_evaluations_finalised_at'))
        batch_op.drop_index(batch_op.f('ix_evaluations_category_id'))

    op.drop_table('evaluations')
    with op.batch_alter_table('scheme_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_versions_kind'))
        batch_op.drop_index(batch_op.f('ix_scheme_versions_code'))
        batch_op.drop_index(batch_op.f('ix_scheme_versions_category_id'))

    op.drop_table('scheme_versions')
    with op.batch_alter_table('integrity_screenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_screenings_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_screenings_checked_on'))

    op.drop_table('integrity_screenings')
