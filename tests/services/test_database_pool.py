"""The PostgreSQL connection pool pings only connections that sat idle (issue 10: no round trip per request).

Real connections, really terminated by the server (``pg_terminate_backend``), as a restart or a
firewall would drop them.
"""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from supplychain import db

# The SQLite run (no server connection to lose) tries the pool against the PostgreSQL of CI (.ci/run) instead.
POSTGRES_URL = db.database_url(
    {"DATABASE_URL": os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")}, "")


@pytest.fixture
def pooled(database_url):
    """An engine made as the app makes it, with a pool of real connections; disposed afterwards."""
    url = database_url if database_url.startswith("postgresql") else POSTGRES_URL
    probe = db.make_engine(url)
    try:
        with probe.connect():
            pass
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL at {url} is unreachable: {exc}")  # a failure under CI=true (tests/conftest.py)
    finally:
        probe.dispose()
    database_url = url
    engines = []

    def make(ping_after_idle: float):
        engine = db.make_engine(database_url, ping_after_idle=ping_after_idle)
        pings = []
        original = engine.dialect.do_ping
        engine.dialect.do_ping = lambda connection: pings.append(1) or original(connection)
        engines.append(engine)
        return engine, pings

    yield make
    for engine in engines:
        engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(engine, pid: int) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    for _ in range(50):  # wait until the server has really closed it
        with engine.connect() as conn:
            if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar():
                return
        time.sleep(0.05)


def test_a_connection_in_steady_use_is_not_pinged(pooled):
    engine, pings = pooled(ping_after_idle=30)
    first = _backend(engine)
    for _ in range(5):
        assert _backend(engine) == first
    assert pings == []


def test_a_connection_dropped_while_idle_is_replaced_before_a_request_gets_it(pooled):
    engine, pings = pooled(ping_after_idle=0.2)
    killer, _ = pooled(ping_after_idle=30)
    dropped = _backend(engine)
    _terminate(killer, dropped)
    time.sleep(0.3)
    assert _backend(engine) != dropped  # the ping found it dead and the pool connected afresh: no error
    assert pings


def test_a_connection_dropped_between_two_close_requests_fails_one_request_then_the_pool_recovers(pooled):
    engine, pings = pooled(ping_after_idle=30)
    killer, _ = pooled(ping_after_idle=30)
    dropped = _backend(engine)
    _terminate(killer, dropped)
    with pytest.raises(OperationalError):  # the app answers this one with its 503
        _backend(engine)
    assert _backend(engine) != dropped
    assert pings == []
