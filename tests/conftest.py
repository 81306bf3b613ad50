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

from supplychain import clock, db, migrate
from supplychain.models import Base

# Under pytest-xdist every worker gets its own database and Redis database number.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_NUMBER = int(WORKER[2:]) if WORKER.startswith("gw") and WORKER[2:].isdigit() else 0
if WORKER_NUMBER and os.environ.get("TEST_REDIS_URL"):
    _base, _, _number = os.environ["TEST_REDIS_URL"].rpartition("/")
    if _number.isdigit():
        os.environ["TEST_REDIS_URL"] = f"{_base}/{(int(_number) - WORKER_NUMBER) % 16}"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    if WORKER:
        url = _worker_database(url)
    return url


def _worker_database(url: str) -> str:
    """The worker's own PostgreSQL database next to the configured one (created when missing)."""
    from sqlalchemy.engine import make_url

    base = make_url(url)
    worker_url = base.set(database=f"{base.database}_{WORKER}")
    admin = db.make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": worker_url.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{worker_url.database}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means the same thing here
        pytest.fail(f"Test database server {base.host} is unreachable: {exc}", pytrace=False)
    finally:
        admin.dispose()
    return worker_url.render_as_string(hide_password=False)


@pytest.fixture
def module_today(request, monkeypatch):
    """The services' today (clock.today) pinned to the module's TODAY, which it took once when it was loaded, so
    a run that crosses midnight still agrees with the dates the module computed from it."""
    day = request.module.TODAY
    monkeypatch.setattr(clock, "today", lambda: day)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Argon2 with minimal cost in tests: the same code path, a fraction of the time per account."""
    from argon2 import PasswordHasher

    from supplychain.services.core import users

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


@pytest.fixture
def scratch_database(database_url, tmp_root):
    """The URL of a new empty database of the same kind as the test database (migrations, restores), dropped
    after the test on PostgreSQL; the test disposes of the engines it opened on it."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_root / f'migrations-{uuid.uuid4().hex}.sqlite3'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    from supplychain import jobs

    jobs.wait_all()  # a job a request started (e.g. the risk recompute after a spend batch) still writing
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
