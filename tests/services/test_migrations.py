"""The migration chain runs from empty to head, back to base and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from supplychain import migrate
from supplychain.models import Base


def _scratch_database(database_url: str, tmp_root):
    """A new empty database of the same kind as the test database."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_root / f'migrations-{uuid.uuid4().hex}.sqlite3'}", None
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(database_url).set(database=name).render_as_string(hide_password=False), (admin, name)


def test_empty_to_head_to_base_to_head(database_url, tmp_root):
    url, cleanup = _scratch_database(database_url, tmp_root)
    try:
        migrate.upgrade(url, "head")
        engine = create_engine(url)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(url, "head")
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        engine.dispose()
    finally:
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_models_and_migrations_agree(database_url):
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
