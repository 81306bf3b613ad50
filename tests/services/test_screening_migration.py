"""Migration 0020 turns each integrity screening's three booleans into three structured results, and back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import create_engine, text

from supplychain import migrate

NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
_SAMPLE = {sa.Integer: 1, sa.String: "x", sa.Text: "x", sa.Boolean: False, sa.Date: date(2026, 1, 1),
           sa.DateTime: NOW, sa.Float: 0.0, sa.JSON: {}}


def _insert(conn, table_name: str, **values) -> int:
    """A row with the given values and a placeholder in every other required column."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        row[column.name] = next(v for t, v in _SAMPLE.items() if isinstance(column.type, t))
    return conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()


def test_booleans_become_results_and_come_back(scratch_database):
    url = scratch_database
    migrate.upgrade(url, "0016")
    engine = create_engine(url)
    with engine.begin() as conn:
        first = _insert(conn, "suppliers", name_zh="甲", name_key="甲", credit_code=None)
        second = _insert(conn, "suppliers", name_zh="乙", name_key="乙", credit_code=None)
        for supplier_id, checked_on, dishonest, bribery, refused in (
                (first, date(2025, 3, 1), True, False, False), (first, date(2026, 1, 5), False, False, True),
                (second, date(2025, 9, 9), False, True, False)):
            _insert(conn, "integrity_screenings", supplier_id=supplier_id, checked_on=checked_on,
                    on_dishonest_list=dishonest, principal_bribery_conviction=bribery,
                    integrity_pledge_refused=refused, source="信用中国", note="查询", created_at=NOW)
    engine.dispose()
    migrate.upgrade(url, "0020")
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT supplier_id, list_code, checked_on, result, source_reference, note "
                                 "FROM screening_results ORDER BY supplier_id, checked_on, list_code")).all()
        assert "integrity_screenings" not in sa.inspect(conn).get_table_names()
    engine.dispose()
    found = [(s, code, str(day), result) for s, code, day, result, *_ in rows]
    assert found == [
        (first, "pledge_refusal", "2025-03-01", "clear"), (first, "principal_bribery", "2025-03-01", "clear"),
        (first, "serious_dishonesty", "2025-03-01", "listed"),
        (first, "pledge_refusal", "2026-01-05", "listed"), (first, "principal_bribery", "2026-01-05", "clear"),
        (first, "serious_dishonesty", "2026-01-05", "clear"),
        (second, "pledge_refusal", "2025-09-09", "clear"), (second, "principal_bribery", "2025-09-09", "listed"),
        (second, "serious_dishonesty", "2025-09-09", "clear"),
    ]
    assert {(source, note) for *_, source, note in rows} == {("信用中国", "查询")}
    migrate.downgrade(url, "0016")
    engine = create_engine(url)
    with engine.connect() as conn:
        back = conn.execute(text(
            "SELECT supplier_id, checked_on, on_dishonest_list, principal_bribery_conviction, "
            "integrity_pledge_refused, source FROM integrity_screenings ORDER BY supplier_id, checked_on")).all()
    engine.dispose()
    assert [(s, str(day), bool(a), bool(b), bool(c), source) for s, day, a, b, c, source in back] == [
        (first, "2025-03-01", True, False, False, "信用中国"),
        (first, "2026-01-05", False, False, True, "信用中国"),
        (second, "2025-09-09", False, True, False, "信用中国")]
