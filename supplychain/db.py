"""Engine and scoped session for plain SQLAlchemy 2.x, shared by the web app, the CLI, jobs and tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session, sessionmaker

session = scoped_session(sessionmaker(expire_on_commit=False))


def database_url(settings: dict, instance_path: str) -> str:
    """The configured DATABASE_URL, or the SQLite file in the instance folder."""
    url = settings.get("DATABASE_URL")
    if url:
        # Accept the common postgres:// and postgresql:// spellings and use psycopg 3.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'supplychain.sqlite3'}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout so a web request and a job can share it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def bind(engine: Engine) -> None:
    """Point the scoped session at an engine."""
    session.remove()
    session.configure(bind=engine)


def init_app(app) -> Engine:
    """Create the engine for a Flask app and remove the session at the end of every request."""
    url = database_url(app.config, app.instance_path)
    engine = make_engine(url)
    bind(engine)
    app.extensions["sqlalchemy_engine"] = engine
    app.config["SQLALCHEMY_URL"] = url

    @app.teardown_appcontext
    def _remove_session(_exc=None):
        session.remove()

    return engine
