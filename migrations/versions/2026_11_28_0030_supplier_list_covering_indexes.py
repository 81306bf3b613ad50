"""the supplier list's indexes cover its counts and its default order (issues 9 and 14, list speed on PostgreSQL)

- `ix_suppliers_list_filters (status, region, province_code, search_text)` carries the supplier id on
  PostgreSQL (`INCLUDE (id)`): the per-region counts of a scope with a search and a status read the index
  alone (an index-only scan, then a semi-join on the scope's relationships by id) instead of the whole table.
  SQLite's indexes carry the rowid (the id) already: unchanged there.
- `ix_suppliers_registered_on_id (registered_on, id)` replaces `ix_suppliers_registered_on`: the list's
  default order (`registered_on DESC, id DESC`) is read from the index as it is, so a page at an offset reads
  its rows and no more; with the date alone PostgreSQL sorted every supplier of the newest date (10,000 in the
  bench) for each page. Same on SQLite, where the old index ended with the rowid anyway.

Revision ID: 0030
Revises: 0032
Create Date: 2026-11-28 00:00:00
"""

from alembic import op

revision = "0030"
down_revision = "0032"
branch_labels = None
depends_on = None

_FILTER_COLUMNS = ["status", "region", "province_code", "search_text"]


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_index("ix_suppliers_list_filters")
        batch_op.create_index("ix_suppliers_list_filters", _FILTER_COLUMNS, unique=False, postgresql_include=["id"])
        batch_op.drop_index("ix_suppliers_registered_on")
        batch_op.create_index("ix_suppliers_registered_on_id", ["registered_on", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_index("ix_suppliers_registered_on_id")
        batch_op.create_index("ix_suppliers_registered_on", ["registered_on"], unique=False)
        batch_op.drop_index("ix_suppliers_list_filters")
        batch_op.create_index("ix_suppliers_list_filters", _FILTER_COLUMNS, unique=False)
