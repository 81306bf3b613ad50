"""external screening, structured (issue 11 part 4): one result per supplier, per list, per check, and the
supplier's legal representative; the integrity screenings' three booleans become results

Each old screening becomes three results of the same day, by the same person, with the same source and
note: the national list of seriously dishonest enterprises, the principal's bribery record and the pledge
refusal, each "listed" or "clear". The latest result per list feeds the red lines as the latest screening
did, so every evaluation keeps its outcome. Downgrading folds the three checks of a day back into one
screening; results of the other lists have no place there and are dropped.

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

# (list code, old boolean column): the migrated checks, in the order they are inserted.
CHECKS = (("serious_dishonesty", "on_dishonest_list"), ("principal_bribery", "principal_bribery_conviction"),
          ("pledge_refusal", "integrity_pledge_refused"))


def upgrade() -> None:
    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("list_code", sa.String(length=30), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("source_reference", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"],
                                name="fk_screening_results_attachment_id_attachments", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["checked_by_id"], ["users.id"], name="fk_screening_results_checked_by_id_users",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name="fk_screening_results_supplier_id_suppliers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_screening_results"),
    )
    op.create_index("ix_screening_results_supplier_id", "screening_results", ["supplier_id"])
    op.create_index("ix_screening_results_checked_on", "screening_results", ["checked_on"])
    op.create_index("ix_screening_results_supplier_list_checked", "screening_results",
                    ["supplier_id", "list_code", "checked_on"])
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_representative", sa.String(length=100), nullable=True))
    for code, column in CHECKS:
        op.execute(
            "INSERT INTO screening_results (supplier_id, list_code, checked_on, result, source_reference, note, "
            f"checked_by_id, created_at) SELECT supplier_id, '{code}', checked_on, "
            f"CASE WHEN {column} THEN 'listed' ELSE 'clear' END, source, note, checked_by_id, created_at "
            "FROM integrity_screenings ORDER BY id"
        )
    op.drop_index("ix_integrity_screenings_checked_on", table_name="integrity_screenings")
    op.drop_index("ix_integrity_screenings_supplier_id", table_name="integrity_screenings")
    op.drop_table("integrity_screenings")


def downgrade() -> None:
    op.create_table(
        "integrity_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("on_dishonest_list", sa.Boolean(), nullable=False),
        sa.Column("principal_bribery_conviction", sa.Boolean(), nullable=False),
        sa.Column("integrity_pledge_refused", sa.Boolean(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["checked_by_id"], ["users.id"], name="fk_integrity_screenings_checked_by_id_users",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"],
                                name="fk_integrity_screenings_supplier_id_suppliers", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_integrity_screenings"),
    )
    op.create_index("ix_integrity_screenings_checked_on", "integrity_screenings", ["checked_on"])
    op.create_index("ix_integrity_screenings_supplier_id", "integrity_screenings", ["supplier_id"])
    flags = ", ".join(
        f"MAX(CASE WHEN list_code = '{code}' AND result = 'listed' THEN 1 ELSE 0 END) = 1" for code, _column in CHECKS)
    codes = ", ".join(f"'{code}'" for code, _column in CHECKS)
    op.execute(
        "INSERT INTO integrity_screenings (supplier_id, on_dishonest_list, principal_bribery_conviction, "
        "integrity_pledge_refused, checked_on, checked_by_id, source, note, created_at) "
        f"SELECT supplier_id, {flags}, checked_on, MAX(checked_by_id), MAX(SUBSTR(source_reference, 1, 200)), "
        f"MAX(note), MIN(created_at) FROM screening_results WHERE list_code IN ({codes}) "
        "GROUP BY supplier_id, checked_on"
    )
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_column("legal_representative")
    op.drop_index("ix_screening_results_supplier_list_checked", table_name="screening_results")
    op.drop_index("ix_screening_results_checked_on", table_name="screening_results")
    op.drop_index("ix_screening_results_supplier_id", table_name="screening_results")
    op.drop_table("screening_results")
