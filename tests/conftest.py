"""Shared fixtures: one app and one migrated database per run, emptied after every test that used it.

The database is TEST_DATABASE_URL when set (CI runs the suite again on PostgreSQL), otherwise a
temporary SQLite file. Under CI=true an unreachable database is a failure, never a skip.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text

from supplychain import db, migrate
from supplychain.models import Base


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Argon2 with minimal cost in tests: the same code path, a fraction of the time per account."""
    from argon2 import PasswordHasher

    from supplychain.services import users

    original = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = original


@pytest.fixture(scope="session")
def tmp_root():
    """A temporary folder for the run: SQLite file, instance folder, uploads."""
    with tempfile.TemporaryDirectory(prefix="supplychain-tests-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def database_url(tmp_root) -> str:
    """The test database, migrated from empty to head once per run."""
    url = _database_url(tmp_root)
    engine = db.make_engine(url)
    try:
        with engine.begin() as conn:
            if url.startswith("postgresql"):
                # Start from an empty schema even if a previous run was interrupted.
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means the same thing here
        pytest.fail(f"Test database {url} is unreachable: {exc}", pytrace=False)
    finally:
        engine.dispose()
    migrate.upgrade(url, "head")
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_root):
    """The application, with CSRF on, bound to the test database."""
    from app import create_app

    os.environ.setdefault("INSTANCE_PATH", str(tmp_root / "instance"))
    application = create_app(
        config={"DATABASE_URL": database_url, "UPLOAD_FOLDER": str(tmp_root / "uploads"), "SERVER_NAME": None},
        env="testing",
    )
    return application


def _empty_tables(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "organisations":  # a tree: cut the parent links before deleting
                conn.execute(table.update().values(parent_id=None))
            conn.execute(table.delete())


@pytest.fixture
def session(app):
    """The scoped session (plain SQLAlchemy, no app context); every table is emptied after the test.

    No app context stays pushed: a request in the test client would reuse it, and with it `g`.
    """
    yield db.session
    db.session.rollback()
    db.session.remove()
    _empty_tables(app.extensions["sqlalchemy_engine"])


@pytest.fixture
def client(app, session):
    """A test client with CSRF on; log in with tests.web.helpers.login."""
    return app.test_client()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI must run everything (services, Chromium, fonts)."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"
