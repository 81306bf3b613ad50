"""Engine and scoped session for plain SQLAlchemy 2.x, shared by the web app, the CLI, jobs and tests."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import MANYTOONE, ORMExecuteState, Session, scoped_session, sessionmaker, with_loader_criteria

from supplychain.models.base import SoftDeleteMixin

session = scoped_session(sessionmaker(expire_on_commit=False))
# Seconds; settings DATABASE_CONNECT_TIMEOUT and DATABASE_STATEMENT_TIMEOUT override them.
CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT = 20
# A pooled PostgreSQL connection idle longer than this (seconds; setting DATABASE_PING_AFTER_IDLE) is pinged
# before a request gets it; 0 pings on every checkout. Connections are replaced after POOL_RECYCLE seconds.
PING_AFTER_IDLE = 10
POOL_RECYCLE = 1800


@event.listens_for(Session, "do_orm_execute")
def _hide_soft_deleted(state: ORMExecuteState) -> None:
    """Every ORM SELECT (lists, figures, relationship loads) leaves softly deleted evidence out.

    Pages for auditors and admins ask for them with ``execution_options(include_deleted=True)``.
    A many-to-one load still finds its deleted parent: an action keeps showing the incident it came from.
    """
    if not state.is_select or state.is_column_load or state.execution_options.get("include_deleted"):
        return
    if state.is_relationship_load and getattr(getattr(state.loader_strategy_path, "prop", None),
                                              "direction", None) is MANYTOONE:
        return
    state.statement = state.statement.options(
        with_loader_criteria(SoftDeleteMixin, lambda cls: cls.deleted_at.is_(None), include_aliases=True,
                             propagate_to_loaders=False)
    )


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


def ping_idle_connections(engine: Engine, after_seconds: float) -> None:
    """Check a pooled connection that sat idle for ``after_seconds`` before handing it out; replace it if dead.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: with a session per request, one round trip
    more per request, however busy the pool (issue 10's API p95). A connection in steady use is known
    alive, so only an idle one is pinged (a restarted server or a firewall drops idle connections).
    A dead one raises ``DisconnectionError``: the pool discards it and connects afresh (up to three times).
    A connection that dies in use (a server restart between two close requests) fails that request with
    the 503 answer, and SQLAlchemy then drops every older connection of the pool, so the next request
    gets a new one.
    """

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < after_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()  # the ping opened a transaction: leave the connection as it was
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(str(error)) from error


def json_text(value: object) -> str:
    """The text of a JSON column's value, as every engine writes it (audit changes, risk factors, payloads).

    orjson rather than the standard library: a large import writes a JSON object per audit entry and per risk
    tier, and encoding them was about a second of a 100,000-supplier import (docs/speed.md). Compact, UTF-8
    rather than \\u escapes, integer keys written as strings as the standard library does.
    """
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# Both ways through orjson (create_engine's json_serializer and json_deserializer).
JSON_OPTIONS = {"json_serializer": json_text, "json_deserializer": orjson.loads}


def make_engine(url: str, connect_timeout: float | None = None, statement_timeout: float | None = None,
                ping_after_idle: float | None = None) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout so a web request and a job can share it.

    PostgreSQL gets no JIT compilation, a connect timeout and a statement timeout (seconds), so an unreachable or hung
    database server costs a request a few seconds and a clear error, never a worker killed at 30 s, and
    a ping only for connections that sat idle (``ping_idle_connections``).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **JSON_OPTIONS)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 32 MiB of page cache instead of 2: a large import's index pages stay in memory instead of being
            # spilled to the file and read back (taken only as pages are used; bench/README.md).
            cursor.execute("PRAGMA cache_size=-32768")
            cursor.close()

        return engine
    connect_args: dict = {}
    if url.startswith("postgresql"):
        connect = connect_timeout if connect_timeout is not None else CONNECT_TIMEOUT
        statement = statement_timeout if statement_timeout is not None else STATEMENT_TIMEOUT
        # No JIT compilation: the app's statements run in milliseconds to a second, and PostgreSQL's cost
        # estimate of a count over 100,000 suppliers (the dashboard's "local") triggered 1.8 s of compiling
        # for a 1 s query (issue 14, docs/speed.md).
        options = ["-c jit=off"]
        if statement:
            options.append(f"-c statement_timeout={int(float(statement) * 1000)}")
        connect_args = {"connect_timeout": max(1, int(connect)), "options": " ".join(options)}
    engine = create_engine(url, pool_recycle=POOL_RECYCLE, connect_args=connect_args, **JSON_OPTIONS,
                           pool_timeout=max(1, int(connect_timeout or CONNECT_TIMEOUT)))
    ping_idle_connections(engine, PING_AFTER_IDLE if ping_after_idle is None else float(ping_after_idle))
    return engine


def no_statement_timeout(session: Session) -> None:
    """Lift the statement timeout for the rest of this transaction (PostgreSQL; nothing elsewhere).

    For saving a large import: one COPY carries all of a file's suppliers, and a first import builds an index
    over the whole registry again (bulk_load), so its statements grow with the file. The timeout guards
    requests against a hung server; an import is a deliberate long write, run as a job or from the command
    line, and shows its progress."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL statement_timeout = 0"))


def bind(engine: Engine) -> None:
    """Point the scoped session at an engine."""
    session.remove()
    session.configure(bind=engine)


def init_app(app) -> Engine:
    """Create the engine for a Flask app and remove the session at the end of every request."""
    url = database_url(app.config, app.instance_path)
    engine = make_engine(url, app.config.get("DATABASE_CONNECT_TIMEOUT"), app.config.get("DATABASE_STATEMENT_TIMEOUT"),
                         app.config.get("DATABASE_PING_AFTER_IDLE"))
    bind(engine)
    app.extensions["sqlalchemy_engine"] = engine
    app.config["SQLALCHEMY_URL"] = url

    @app.teardown_appcontext
    def _remove_session(_exc=None):
        session.remove()

    return engine
