"""The migration chain runs from empty to head, back to base and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from supplychain import migrate
from supplychain.models import Base


def test_empty_to_head_to_base_to_head(scratch_database):
    url = scratch_database
    migrate.upgrade(url, "head")
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate.downgrade(url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url, "head")
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(database_url):
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _one_company_installation(engine) -> None:
    """What a single-company installation (revision 0006) holds: a buyer, a qualified supplier in one category
    with its pledge, and a supplier user."""
    now = "2026-01-05 08:00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO supply_categories (id, code, name_zh, name_en, active, requires_trial) "
                          "VALUES (1, 'equipment', '设备', 'Equipment', :t, :f)"), {"t": True, "f": False})
        conn.execute(text("INSERT INTO suppliers (id, name_zh, name_key, country, region, province_code, status, "
                          "registered_on, created_at, updated_at, search_text) VALUES (1, '重庆甲有限公司', "
                          "'重庆甲有限公司', 'CN', 'southwest', '500000', 'qualified', '2025-03-01', :n, :n, '')"),
                     {"n": now})
        conn.execute(text("INSERT INTO supplier_categories (supplier_id, category_id) VALUES (1, 1)"))
        conn.execute(text("INSERT INTO integrity_pledges (id, supplier_id, kind, signatory_name, signed_on, method, "
                          "created_at) VALUES (1, 1, 'integrity', '张三', '2025-03-02', 'paper', :n)"), {"n": now})
        for user_id, email, role in ((1, "buyer@example.com", "procurement"), (2, "s@example.com", "supplier")):
            conn.execute(text("INSERT INTO users (id, email, name, password_hash, role, active, session_version, "
                              "supplier_id, created_at, updated_at) VALUES (:id, :e, 'x', 'x', :r, :t, 1, :s, :n, :n)"),
                         {"id": user_id, "e": email, "r": role, "t": True, "s": 1 if role == "supplier" else None,
                          "n": now})


def test_an_existing_installation_becomes_one_root_holding_everything_and_back(scratch_database, monkeypatch):
    """Issue 9: the upgrade puts every existing record under one root organisation (its home province from
    HOME_PROVINCE in any form, stored as the code "local" compares with); the downgrade loses nothing."""
    monkeypatch.setenv("HOME_PROVINCE", "Chongqing Shi")
    url = scratch_database
    engine = create_engine(url)
    try:
        migrate.upgrade(url, "0006")
        _one_company_installation(engine)
        migrate.upgrade(url, "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code, kind, home_province, parent_id FROM organisations")).all() == [
                ("GROUP", "group", "500000", None)]
            assert conn.execute(text("SELECT role, organisation_id IS NULL FROM users ORDER BY id")).all() == [
                ("procurement", False), ("supplier", True)]
            assert conn.execute(text("SELECT organisation_id IS NOT NULL FROM integrity_pledges")).scalar_one()
            assert conn.execute(text("SELECT supplier_id, status FROM supplier_relationships")).all() == [(1, "active")]
            assert conn.execute(text("SELECT supplier_id, category_id, status FROM supplier_qualifications")).all() \
                == [(1, 1, "qualified")]
        migrate.downgrade(url, "0006")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM suppliers")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 2
            assert conn.execute(text("SELECT count(*) FROM integrity_pledges")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM supplier_categories")).scalar_one() == 1
            assert "organisations" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_home_province_naming_nothing_stops_the_upgrade(scratch_database, monkeypatch):
    monkeypatch.setenv("HOME_PROVINCE", "Atlantis")
    url = scratch_database
    migrate.upgrade(url, "0006")
    try:
        migrate.upgrade(url, "head")
    except RuntimeError as exc:
        assert "HOME_PROVINCE" in str(exc) and "Atlantis" in str(exc)
    else:
        raise AssertionError("the upgrade took a home province that names nothing")


def test_a_root_stored_with_a_province_name_gets_its_code(scratch_database, monkeypatch):
    """Installations migrated before 0032 kept HOME_PROVINCE as written (广东省): 0032 stores the code, so the
    group's local suppliers are counted again."""
    monkeypatch.delenv("HOME_PROVINCE", raising=False)
    url = scratch_database
    engine = create_engine(url)
    try:
        migrate.upgrade(url, "0024")
        with engine.begin() as conn:
            conn.execute(text("UPDATE organisations SET home_province = '广东省' WHERE code = 'GROUP'"))
        migrate.upgrade(url, "0032")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT home_province FROM organisations")).scalar_one() == "440000"
        migrate.downgrade(url, "0024")
        migrate.upgrade(url, "head")
    finally:
        engine.dispose()
