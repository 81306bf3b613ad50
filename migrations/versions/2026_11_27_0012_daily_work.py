"""daily work: pinyin in the supplier search text, notifications and their deliveries, e-mail settings,
requests for a second person's approval of high-impact actions, a trigram index for supplier search

Revision ID: 0012
Revises: 0015
Create Date: 2026-11-27 15:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0015"
branch_labels = None
depends_on = None

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _search_text(name_zh, name_en, code, with_pinyin):
    # A copy of supplychain.services.registry.supplier_search.search_text as of this revision (migrations stay fixed).
    parts = [name_zh, name_en, code]
    han = "".join(_HAN.findall(name_zh or ""))
    if with_pinyin and han:
        from pypinyin import Style, lazy_pinyin

        parts += ["".join(lazy_pinyin(han, errors="ignore")),
                  "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore"))]
    return " ".join(part for part in parts if part).lower()[: 1500 if with_pinyin else 420]


def _rewrite_search_text(with_pinyin):
    bind = op.get_bind()
    suppliers = sa.table("suppliers", sa.column("id", sa.Integer), sa.column("name_zh", sa.String),
                         sa.column("name_en", sa.String), sa.column("credit_code", sa.String),
                         sa.column("search_text", sa.String))
    rows = bind.execute(sa.select(suppliers.c.id, suppliers.c.name_zh, suppliers.c.name_en,
                                  suppliers.c.credit_code)).all()
    updates = [{"sid": row.id, "text": _search_text(row.name_zh, row.name_en, row.credit_code, with_pinyin)}
               for row in rows]
    if updates:
        bind.execute(suppliers.update().where(suppliers.c.id == sa.bindparam("sid"))
                     .values(search_text=sa.bindparam("text")), updates)


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.alter_column("search_text", existing_type=sa.String(length=420), type_=sa.String(length=1500),
                              existing_nullable=False)
    _rewrite_search_text(with_pinyin=True)
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index("ix_suppliers_search_trgm", "suppliers", ["search_text"], unique=False,
                    postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"})

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=270), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name=op.f("fk_notifications_supplier_id_suppliers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("recipient", "key", name="uq_notifications_recipient_key"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_supplier_id"), ["supplier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name=op.f("fk_notification_deliveries_notification_id_notifications"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
    )
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_deliveries_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_deliveries_notification_id"), ["notification_id"],
                              unique=False)

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_mode", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )

    op.create_table(
        "action_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_action_requests_decided_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_action_requests_requested_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name=op.f("fk_action_requests_supplier_id_suppliers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_requests")),
    )
    with op.batch_alter_table("action_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_requests_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_requests_supplier_id"), ["supplier_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_requests_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_action_requests_status"))
    op.drop_table("action_requests")
    op.drop_table("notification_settings")
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_notification_id"))
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_channel"))
    op.drop_table("notification_deliveries")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_user_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_kind"))
        batch_op.drop_index(batch_op.f("ix_notifications_created_at"))
    op.drop_table("notifications")
    op.drop_index("ix_suppliers_search_trgm", table_name="suppliers")
    _rewrite_search_text(with_pinyin=False)
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.alter_column("search_text", existing_type=sa.String(length=1500), type_=sa.String(length=420),
                              existing_nullable=False)
