"""organisations' home provinces as GB/T 2260 codes (issues 9 and 15: "广东省" must not mean zero local suppliers)

Migration 0007 stored HOME_PROVINCE as written in the environment for the root organisation. "Local" compares an
organisation's home province with the suppliers' province codes, so a root created with HOME_PROVINCE=广东省,
CN-GD or 440300 counted no local supplier. This stores every organisation's home province as the code of the
province it names; a value naming no province stops the upgrade with a message saying how to correct it.
Downgrade keeps the codes (they are what the earlier schema expects too).

Revision ID: 0032
Revises: 0029
Create Date: 2026-11-28 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from supplychain.regions import find_province

    bind = op.get_bind()
    organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("code", sa.String),
                             sa.column("home_province", sa.String))
    rows = bind.execute(sa.select(organisations.c.id, organisations.c.code, organisations.c.home_province)
                        .where(organisations.c.home_province.is_not(None))).all()
    for row in rows:
        if not row.home_province.strip():
            continue
        province = find_province(row.home_province)
        if province is None:
            raise RuntimeError(
                f"organisation {row.code}: the home province {row.home_province!r} names no province; set it to a "
                f"GB/T 2260 code (e.g. UPDATE organisations SET home_province = '440000' WHERE code = '{row.code}') "
                "and upgrade again")
        if province.code != row.home_province:
            bind.execute(organisations.update().where(organisations.c.id == row.id)
                         .values(home_province=province.code))


def downgrade() -> None:
    pass  # the codes are valid home provinces before this revision too
