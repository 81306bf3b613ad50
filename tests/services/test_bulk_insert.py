"""bulk_insert stores exactly what SQLAlchemy Core's insert stores: dates, timestamps, JSON (also shared and
null), booleans, numbers and Python-side defaults, on SQLite and PostgreSQL (issue 15 speed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from supplychain.bulk_insert import execute_in_turn, insert_rows, pipelined, reserve_ids
from supplychain.models import AuditEntry, Supplier, SupplierContact, SupplierRisk
from tests.factories import gen_supplier


def _stored(session, table, leave_out=("id",)) -> list[tuple]:
    """The rows as the driver reads them back (no result processing), without the columns left out."""
    names = [column.name for column in table.c if column.name not in leave_out]
    order = "id" if "id" in table.c else names[0]
    sql = f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {order}"
    return [tuple(row) for row in session.connection().exec_driver_sql(sql)]


def _both_ways(session, table, rows, leave_out=("id",)) -> tuple[list, list]:
    session.execute(delete(table))  # what the factories wrote
    session.execute(insert(table), rows)
    through_core = _stored(session, table, leave_out)
    session.execute(delete(table))
    insert_rows(session, table, rows)
    return through_core, _stored(session, table, leave_out)


def test_audit_rows_are_stored_as_core_stores_them(session):
    supplier = gen_supplier(session)
    at = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    shared = {"organisation_id": [None, 7]}
    rows = [{"at": at, "actor_id": None, "actor_email": None, "action": "create", "entity_type": "supplier",
             "entity_id": supplier.id, "supplier_id": supplier.id, "changes": changes, "note": note}
            for changes, note in ((shared, "import a.csv"), (shared, None), ({"name_zh": [None, "重庆“引号”"],
                                  "registered_on": [None, "2024-05-06"], "n": [1.5, 2]}, "导入"), ({}, ""))]
    core, fast = _both_ways(session, AuditEntry.__table__, rows)
    assert fast == core and len(fast) == 4


def test_suppliers_with_defaults_and_dates_are_stored_as_core_stores_them(session):
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    rows = [{"name_zh": f"批量{n}有限公司", "name_key": f"批量{n}", "credit_code": None, "search_text": f"批量{n}",
             "country": "CN", "province_code": "500000", "region": "southwest", "city": None, "address": None,
             "legal_representative": None, "status_since": None, "registered_on": date(2024, 2, 29 - n),
             "created_at": at, "updated_at": at} for n in range(3)]  # status, type, version from the defaults
    core, fast = _both_ways(session, Supplier.__table__, rows)
    assert fast == core
    assert session.execute(select(Supplier.status, Supplier.supplier_type, Supplier.version_id)).first() == (
        "registered", "manufacturer", 1)


def test_returning_gives_every_inserted_row(session):
    at = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [{"name_zh": f"返回{n}有限公司", "name_key": f"返回{n}", "region": "southwest",
             "registered_on": date(2024, 1, 1), "created_at": at, "updated_at": at}
            for n in range(2500)]  # more than one statement's worth
    returned = insert_rows(session, Supplier.__table__, rows, ("id", "name_key"))
    stored = dict(session.execute(select(Supplier.name_key, Supplier.id)).all())
    assert sorted(returned) == sorted((supplier_id, key) for key, supplier_id in stored.items())
    assert len(returned) == 2500


def test_a_duplicate_key_is_an_integrity_error_on_every_path(session):
    """A race lost during a bulk insert (COPY on PostgreSQL, INSERT elsewhere) reads as SQLAlchemy's
    IntegrityError, which the import and registration handle as "created meanwhile"."""
    at = datetime(2026, 3, 1, tzinfo=UTC)
    row = {"name_zh": "重复有限公司", "name_key": "重复", "credit_code": "91500000MA5U7XXXXX", "region": "southwest",
           "registered_on": date(2024, 1, 1), "created_at": at, "updated_at": at}
    insert_rows(session, Supplier.__table__, [row])
    for returning in ((), ("id",)):
        with pytest.raises(IntegrityError), session.begin_nested():
            insert_rows(session, Supplier.__table__, [dict(row, name_key=f"重复{len(returning)}")], returning)


def _supplier_rows(names: list[str]) -> list[dict]:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    return [{"name_zh": f"{name}有限公司", "name_key": name, "credit_code": None, "region": "southwest",
             "registered_on": date(2024, 1, 1), "created_at": at, "updated_at": at} for name in names]


def test_rows_handed_to_the_pipeline_are_there_for_the_next_statement(session):
    """pipelined(): the COPYs run in a thread (PostgreSQL), but whatever the caller runs next sees them."""
    with pipelined(session):
        insert_rows(session, Supplier.__table__, _supplier_rows([f"管道{n}" for n in range(3000)]))
        ids = insert_rows(session, Supplier.__table__, _supplier_rows(["管道末"]), ("id",))
        assert session.scalar(select(func.count(Supplier.id))) == 3001
        insert_rows(session, SupplierContact.__table__, [{"supplier_id": ids[0][0], "position": 0, "name": "王伟"}])
    session.commit()
    assert session.scalar(select(func.count(SupplierContact.id))) == 1


def test_a_failed_copy_in_the_pipeline_is_raised_to_the_caller_and_saves_nothing(session):
    insert_rows(session, Supplier.__table__, _supplier_rows(["已有"]))
    session.commit()
    with pytest.raises(IntegrityError), pipelined(session):
        insert_rows(session, Supplier.__table__, _supplier_rows(["新甲", "已有", "新乙"]))  # a duplicate name
        insert_rows(session, Supplier.__table__, _supplier_rows(["新丙"]))
    session.rollback()
    assert session.scalars(select(Supplier.name_key)).all() == ["已有"]


def test_reserved_ids_go_to_the_rows_inserted_later_in_the_block(session):
    """reserve_ids(): a first import takes its relationships' ids before the suppliers' COPY and index builds are
    queued, and the rows inserted later get exactly those ids (PostgreSQL; elsewhere the database hands them out)."""
    with pipelined(session):
        reserve_ids(session, Supplier.__table__, 3)
        other = gen_supplier(session)  # through the ORM, which asks the sequence itself
        reserved = insert_rows(session, Supplier.__table__, _supplier_rows(["预留甲", "预留乙", "预留丙"]),
                               ("id", "name_key"))
    session.commit()
    by_name = dict(session.execute(select(Supplier.name_key, Supplier.id)).tuples().all())
    assert sorted(reserved) == sorted((by_name[name], name) for name in ("预留甲", "预留乙", "预留丙"))
    if session.get_bind().dialect.name == "postgresql":  # taken before the other row's id
        assert max(supplier_id for supplier_id, _name in reserved) < other.id


def test_statements_in_turn_run_after_the_rows_queued_before_them(session):
    """execute_in_turn(): an index built in the pipeline's thread (PostgreSQL) is there for what comes next."""
    with pipelined(session):
        insert_rows(session, Supplier.__table__, _supplier_rows([f"轮到{n}" for n in range(500)]))
        execute_in_turn(session, ["CREATE INDEX ix_test_turn ON suppliers (city, name_key)"])
        insert_rows(session, Supplier.__table__, _supplier_rows(["轮到末"]))
    assert session.scalar(select(func.count(Supplier.id))) == 501
    assert "ix_test_turn" in {index["name"] for index in inspect(session.connection()).get_indexes("suppliers")}
    session.rollback()


def test_a_failing_statement_in_turn_fails_the_block(session):
    """A unique index over rows queued before it is refused (so they were in first), and the error reaches the
    caller as a failing COPY's does."""
    with pytest.raises(IntegrityError), pipelined(session):
        insert_rows(session, Supplier.__table__, _supplier_rows(["同区甲", "同区乙"]))
        execute_in_turn(session, ["CREATE UNIQUE INDEX ux_test_region ON suppliers (region)"])
    session.rollback()
    assert session.scalar(select(func.count(Supplier.id))) == 0


def test_risk_rows_sharing_one_factors_list(session):
    suppliers = [gen_supplier(session) for _ in range(3)]
    factors = [{"factor": "region", "points": 0.0, "args": {"area": "overseas"}}]
    now = datetime(2026, 3, 1, 9, 0, 0, 1, tzinfo=UTC)
    rows = [{"supplier_id": s.id, "tier": "low", "score": 12.5, "factors": factors, "computed_at": now}
            for s in suppliers]
    core, fast = _both_ways(session, SupplierRisk.__table__, rows)
    assert fast == core and len(fast) == 3
