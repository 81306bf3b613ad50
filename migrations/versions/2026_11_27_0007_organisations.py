"""the group: organisations, supplier relationships, per-category qualification, records by organisation

An existing installation becomes one root organisation (code GROUP; name and home province from
COMPANY_NAME and HOME_PROVINCE when set; HOME_PROVINCE in any form the app reads, stored as its GB/T 2260
code, and refused when it names no province) that holds every existing record: staff users, pledges,
trainings, incidents, corrective actions and evaluations are assigned to it, every supplier gets a
relationship with it, and every supplier whose status is a qualification status is qualified with
that status for the categories it lists (the admission evaluation that decided it is linked where
one exists). Downgrade removes the group structure and keeps every other record.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 14:40:00
"""

import os
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

RECORD_TABLES = ("integrity_pledges", "training_sessions", "incidents", "corrective_actions", "evaluations")
QUALIFICATION_STATUSES = ("trial", "qualified", "conditional", "suspended", "exited", "rejected")
ENDED_STATUSES = ("exited", "blacklisted", "rejected")


def _timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("home_province", sa.String(length=6), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["parent_id"], ["organisations.id"], name="fk_organisations_parent_id_organisations",
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("code", name="uq_organisations_code"),
    )
    op.create_index("ix_organisations_parent_id", "organisations", ["parent_id"])
    op.create_table(
        "supplier_relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("since_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name="fk_supplier_relationships_buyer_id_users",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_supplier_relationships_organisation_id_organisations", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"],
                                name="fk_supplier_relationships_supplier_id_suppliers", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_relationships"),
        sa.UniqueConstraint("organisation_id", "supplier_id", name="uq_supplier_relationships_org_supplier"),
    )
    op.create_index("ix_supplier_relationships_org_supplier", "supplier_relationships",
                    ["organisation_id", "supplier_id", "status"])
    op.create_index("ix_supplier_relationships_supplier_id", "supplier_relationships", ["supplier_id"])
    op.create_table(
        "supplier_relationship_categories",
        sa.Column("relationship_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["supply_categories.id"],
                                name="fk_relationship_categories_category",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["relationship_id"], ["supplier_relationships.id"],
                                name="fk_relationship_categories_relationship",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("relationship_id", "category_id", name="pk_supplier_relationship_categories"),
    )
    op.create_index("ix_supplier_relationship_categories_category_id", "supplier_relationship_categories",
                    ["category_id"])
    op.create_table(
        "supplier_qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("since_on", sa.Date(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["category_id"], ["supply_categories.id"],
                                name="fk_supplier_qualifications_category_id_supply_categories", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name="fk_supplier_qualifications_evaluation_id_evaluations", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"],
                                name="fk_supplier_qualifications_supplier_id_suppliers", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_qualifications"),
        sa.UniqueConstraint("supplier_id", "category_id", name="uq_supplier_qualifications_pair"),
    )
    op.create_index("ix_supplier_qualifications_supplier_id", "supplier_qualifications", ["supplier_id"])
    op.create_index("ix_supplier_qualifications_category_id", "supplier_qualifications", ["category_id"])

    for table in ("users", *RECORD_TABLES, "scheme_versions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
            batch_op.create_index(f"ix_{table}_organisation_id", ["organisation_id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_organisation_id_organisations", "organisations",
                                        ["organisation_id"], ["id"], ondelete="RESTRICT")
    _move_existing_data_into_root()


def _home_province() -> str:
    """HOME_PROVINCE as the app reads it ("广东省", "CN-GD", "44" → "440000"); stored as written, a name would
    match no supplier's province code and the group would have no local supplier."""
    from supplychain.regions import resolve_province_code

    try:
        return resolve_province_code(os.environ.get("HOME_PROVINCE") or "500000")
    except ValueError as exc:
        raise RuntimeError(f"HOME_PROVINCE: {exc}") from None


def _move_existing_data_into_root() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    orgs = sa.Table("organisations", meta, autoload_with=bind)
    now = datetime.now(UTC)
    bind.execute(orgs.insert().values(
        code="GROUP", name_zh=os.environ.get("COMPANY_NAME") or "示例集团有限公司", name_en=os.environ.get("COMPANY_NAME_EN"),
        kind="group", home_province=_home_province(), version_id=1,
        created_at=now, updated_at=now,
    ))
    root_id = bind.execute(sa.select(orgs.c.id).where(orgs.c.code == "GROUP")).scalar_one()
    bind.execute(sa.text("UPDATE users SET organisation_id = :root WHERE role <> 'supplier'"), {"root": root_id})
    for table in RECORD_TABLES:
        bind.execute(sa.text(f"UPDATE {table} SET organisation_id = :root"), {"root": root_id})  # noqa: S608

    suppliers = sa.Table("suppliers", meta, autoload_with=bind)
    links = sa.Table("supplier_categories", meta, autoload_with=bind)
    evaluations = sa.Table("evaluations", meta, autoload_with=bind)
    relationships = sa.Table("supplier_relationships", meta, autoload_with=bind)
    relationship_categories = sa.Table("supplier_relationship_categories", meta, autoload_with=bind)
    qualifications = sa.Table("supplier_qualifications", meta, autoload_with=bind)

    categories: dict[int, list[int]] = {}
    for supplier_id, category_id in bind.execute(sa.select(links.c.supplier_id, links.c.category_id)):
        categories.setdefault(supplier_id, []).append(category_id)
    admissions = {
        (row.supplier_id, row.category_id): row.id
        for row in bind.execute(
            sa.select(evaluations.c.id, evaluations.c.supplier_id, evaluations.c.category_id)
            .where(evaluations.c.kind == "admission", evaluations.c.status == "final")
            .order_by(evaluations.c.id)
        )
    }
    for supplier in bind.execute(sa.select(suppliers.c.id, suppliers.c.status, suppliers.c.registered_on)):
        since = supplier.registered_on or date.today()
        ended = supplier.status in ENDED_STATUSES
        result = bind.execute(relationships.insert().values(
            organisation_id=root_id, supplier_id=supplier.id, status="ended" if ended else "active",
            since_on=since, version_id=1, created_at=now, updated_at=now,
        ))
        relationship_id = result.inserted_primary_key[0]
        for category_id in categories.get(supplier.id, []):
            bind.execute(relationship_categories.insert().values(relationship_id=relationship_id,
                                                                 category_id=category_id))
            if supplier.status in QUALIFICATION_STATUSES:
                bind.execute(qualifications.insert().values(
                    supplier_id=supplier.id, category_id=category_id, status=supplier.status, since_on=since,
                    evaluation_id=admissions.get((supplier.id, category_id)),
                    note="migrated from the supplier's status", created_at=now, updated_at=now,
                ))


def downgrade() -> None:
    for table in ("scheme_versions", *reversed(RECORD_TABLES), "users"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_organisation_id_organisations", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_organisation_id")
            batch_op.drop_column("organisation_id")
    op.drop_index("ix_supplier_qualifications_category_id", table_name="supplier_qualifications")
    op.drop_index("ix_supplier_qualifications_supplier_id", table_name="supplier_qualifications")
    op.drop_table("supplier_qualifications")
    op.drop_index("ix_supplier_relationship_categories_category_id", table_name="supplier_relationship_categories")
    op.drop_table("supplier_relationship_categories")
    op.drop_index("ix_supplier_relationships_supplier_id", table_name="supplier_relationships")
    op.drop_index("ix_supplier_relationships_org_supplier", table_name="supplier_relationships")
    op.drop_table("supplier_relationships")
    op.drop_index("ix_organisations_parent_id", table_name="organisations")
    op.drop_table("organisations")
