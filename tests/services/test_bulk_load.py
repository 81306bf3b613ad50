"""A first import builds the indexes that refuse nothing (on PostgreSQL the trigram index, and the foreign keys
under the new suppliers too) at its end (supplychain/bulk_load.py, issue 15 speed): the data and the schema
afterwards are exactly those of an ordinary import, a failed one leaves the schema as it was, and a busy
PostgreSQL registry is loaded the ordinary way."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from supplychain import bulk_load, db, migrate
from supplychain.models import (
    AuditEntry,
    Supplier,
    SupplierContact,
    SupplierQualification,
    SupplierRelationship,
    SupplierRisk,
    relationship_categories,
    supplier_categories,
)
from supplychain.services.imports import importer
from tests.conftest import _empty_tables
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_supplier, gen_user
from tests.services.test_import_organisations import TODAY

HEADER = "name_zh,credit_code,country,province,categories,contact_name,status,status_since,qualified_categories,org"


@pytest.fixture(scope="module")
def fresh_url(database_url, tmp_root):
    """A database of these tests' own: a first import records the size of the tables it indexed (a handful of
    rows here) in the planner's statistics, and autovacuum may be off, so the other tests' large imports
    would be planned as if the tables were tiny (a sequential scan per deleted supplier)."""
    if not database_url.startswith("postgresql"):
        path = tmp_root / "first-import.sqlite3"
        path.unlink(missing_ok=True)
        migrate.upgrade(f"sqlite:///{path}", "head")
        yield f"sqlite:///{path}"
        return
    url = make_url(database_url)
    url = url.set(database=f"{url.database}_first_import")
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                          poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    fresh = url.render_as_string(hide_password=False)
    migrate.upgrade(fresh, "head")
    yield fresh
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{url.database}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def session(fresh_url):
    """A session on that database (this module's own `session`), emptied after each test."""
    engine = db.make_engine(fresh_url)
    with Session(engine) as fresh:
        yield fresh
        fresh.rollback()
    _empty_tables(engine)
    engine.dispose()


def _file(count: int, start: int = 0) -> bytes:
    lines = [HEADER] + [f"重庆首批{n}有限公司,{gen_credit_code()},CN,500000,equipment,王伟,qualified,2024-03-01,"
                        f"equipment,CQ" for n in range(start, start + count)]
    return "\n".join(lines).encode()


def _schema(session) -> list[tuple]:
    """Every constraint and index of the database, as the database describes them."""
    if session.get_bind().dialect.name == "postgresql":
        sql = ("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
               "WHERE connamespace = 'public'::regnamespace UNION ALL "
               "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
    else:
        sql = "SELECT tbl_name, name, sql FROM sqlite_master WHERE type IN ('index', 'table')"
    return sorted(tuple(row) for row in session.execute(text(sql)))


def _import(session, data: bytes):
    plan, result = importer.import_file(session, "first.csv", data, gen_user(session, "admin"), TODAY,
                                        options=importer.ImportOptions(migration=True, reason="平台迁移"))
    assert result is not None, [str(error) for error in plan.errors]
    session.commit()
    summary = session.scalars(select(AuditEntry.changes).where(AuditEntry.entity_type == "supplier_import")).one()
    return result, summary


def _counts(session) -> list[int]:
    return [session.scalar(select(func.count()).select_from(table)) for table in (
        Supplier.__table__, SupplierContact.__table__, supplier_categories, SupplierRelationship.__table__,
        relationship_categories, SupplierQualification.__table__, SupplierRisk.__table__)]


def _empty_registry(session, monkeypatch) -> list[tuple]:
    """A category and an organisation, no supplier, first imports from 5 rows; the schema as it is then."""
    monkeypatch.setattr(bulk_load, "MIN_ROWS", 5)
    gen_category(session)
    gen_organisation(session, "CQ")
    session.commit()
    return _schema(session)


def test_a_first_import_saves_everything_and_leaves_every_key_and_index_as_it_was(session, monkeypatch):
    before = _empty_registry(session, monkeypatch)

    result, summary = _import(session, _file(6))

    postgresql = session.get_bind().dialect.name == "postgresql"
    assert result.created == 6
    assert summary["deferred_checks"] is True
    # Each supplier with its contact, category, relationship (and its category), qualification and risk tier.
    assert _counts(session) == [6] * 7
    assert _schema(session) == before
    if postgresql:  # the keys are enforced again: a contact of no supplier is refused
        session.add(SupplierContact(supplier_id=10**9, position=0, name="无主"))
        try:
            session.flush()
            raise AssertionError("a contact of a missing supplier was accepted")
        except IntegrityError:
            session.rollback()


def test_a_first_import_that_fails_leaves_every_index_as_it_was(session, monkeypatch):
    before = _empty_registry(session, monkeypatch)
    admin = gen_user(session, "admin")
    session.commit()
    plan = importer.plan_file(session, "first.csv", _file(6), admin, TODAY,
                              options=importer.ImportOptions(migration=True, reason="平台迁移"))
    assert plan.ok, [str(error) for error in plan.errors]

    def broken(*_args, **_kwargs):  # the last step of saving fails, after every row went in
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.risk_recompute, "refresh", broken)
    with pytest.raises(RuntimeError):
        importer.apply_plan(session, plan, admin, source="first.csv")
    session.rollback()

    assert _schema(session) == before
    assert _counts(session) == [0] * 7


def test_an_import_smaller_than_the_registry_is_checked_row_by_row(session, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_ROWS", 2)
    gen_category(session)
    gen_organisation(session, "CQ")
    for _ in range(4):
        gen_supplier(session)
    session.commit()

    result, summary = _import(session, _file(3))

    assert result.created == 3 and "deferred_checks" not in summary


def test_a_registry_someone_is_reading_is_loaded_the_ordinary_way(session, monkeypatch, fresh_url):
    monkeypatch.setattr(bulk_load, "MIN_ROWS", 2)
    monkeypatch.setattr(bulk_load, "LOCK_TIMEOUT", "200ms")
    gen_category(session)
    gen_organisation(session, "CQ")
    session.commit()
    before = _schema(session)
    reader = create_engine(fresh_url, poolclass=NullPool)
    with reader.connect() as connection:
        if connection.dialect.name == "postgresql":  # an open transaction that has read the registry
            connection.execute(select(func.count()).select_from(Supplier.__table__))

        result, summary = _import(session, _file(3))

        connection.rollback()
    reader.dispose()
    # SQLite's readers see the registry as it was (WAL) and hold nothing the import needs.
    assert result.created == 3 and ("deferred_checks" in summary) is (session.get_bind().dialect.name == "sqlite")
    assert _counts(session) == [3] * 7
    assert _schema(session) == before


def test_saving_a_large_import_is_not_cut_off_by_the_statement_timeout(session):
    """The timeout guards requests; an import's statements grow with its file (one COPY of all its suppliers)."""
    gen_category(session)
    gen_organisation(session, "CQ")
    session.commit()
    admin = gen_user(session, "admin")
    plan = importer.plan_file(session, "big.csv", _file(4000), admin, TODAY,
                              options=importer.ImportOptions(migration=True, reason="平台迁移"))
    assert plan.ok, [str(error) for error in plan.errors[:3]]
    if session.get_bind().dialect.name == "postgresql":  # as the app's engine sets it, but far shorter
        session.execute(text("SET LOCAL statement_timeout = '100ms'"))

    result = importer.apply_plan(session, plan, admin, source="big.csv")
    session.commit()

    assert result.created == 4000 and _counts(session) == [4000] * 7
