"""Outages (issue 14), each with a real unreachable port and a real hung listener on 127.0.0.1.

A hung listener accepts connections and never answers: without timeouts a request would wait
until gunicorn kills the worker. Every case must answer within a few seconds.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from contextlib import contextmanager

import pytest

from supplychain import db, jobs
from supplychain.extensions import limiter
from supplychain.models import BackgroundJob
from supplychain.services.evaluation import exports
from tests.factories import gen_user
from tests.web.helpers import csrf_token, login


def _free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def hung_listener():
    """A server on 127.0.0.1 that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
                accepted.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in accepted:
            conn.close()
        server.close()


@pytest.fixture
def other_app(app, database_url):
    """Build an app with other settings; afterwards the suite's app gets its database and limiter back."""
    from app import create_app

    def build(**config):
        # The limiter is one object per process: start each app as a fresh process would, storage alive.
        limiter._storage_dead = False
        return create_app(config={"DATABASE_URL": database_url, "SERVER_NAME": None,
                                  "DATABASE_CONNECT_TIMEOUT": 2, "REDIS_CONNECT_TIMEOUT": 1,
                                  "REDIS_SOCKET_TIMEOUT": 1, **config}, env="testing")

    yield build
    create_app(config={"DATABASE_URL": database_url}, env="testing")  # the limiter counts in memory again
    limiter._storage_dead = False
    db.bind(app.extensions["sqlalchemy_engine"])


def _post_login(client, email="nobody@example.com", language="en"):
    token = csrf_token(client.get("/auth/login").text)
    started = time.monotonic()
    response = client.post("/auth/login", data={"email": email, "password": "Correct-Horse-9",
                                                "csrf_token": token}, headers={"Accept-Language": language})
    return response, time.monotonic() - started


@pytest.mark.parametrize("database", ["unreachable", "hung"])
def test_a_database_that_is_down_or_hung_gives_a_clear_503_within_seconds(other_app, database):
    with hung_listener() as hung_port:
        port = _free_port() if database == "unreachable" else hung_port
        application = other_app(DATABASE_URL=f"postgresql://supplychain@127.0.0.1:{port}/supplychain")
        response, seconds = _post_login(application.test_client())
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.text and "nothing was saved" in response.text
    assert response.headers["Retry-After"]
    assert seconds < 10
    chinese, _seconds = _post_login(application.test_client(), language="zh-CN")
    assert chinese.status_code == 503 and "服务暂时不可用" in chinese.text


@pytest.mark.parametrize("redis", ["unreachable", "hung"])
def test_login_keeps_working_when_redis_is_down_or_hung(other_app, session, caplog, redis):
    user = gen_user(session, "procurement")
    session.commit()
    with hung_listener() as hung_port:
        port = _free_port() if redis == "unreachable" else hung_port
        application = other_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0", RATELIMIT_STORAGE_URI_SET=True)
        with caplog.at_level(logging.WARNING):
            response, seconds = _post_login(application.test_client(), user.email)
    assert response.status_code == 302, response.text
    assert seconds < 10
    assert any("falling back to in-memory storage" in record.getMessage() for record in caplog.records)


def test_a_hung_job_queue_fails_the_job_plainly_and_it_can_be_retried(other_app, session):
    user = gen_user(session, "admin")
    session.commit()
    with hung_listener() as port:
        application = other_app(REDIS_URL=f"redis://127.0.0.1:{port}/0")
        started = time.monotonic()
        with application.test_request_context():
            job_id = jobs.enqueue(db.session, application, exports.KIND, {"period": "2024"}, user).id
        seconds = time.monotonic() - started
    assert seconds < 10
    db.session.remove()
    job = db.session.get(BackgroundJob, job_id)
    assert job.status == "failed" and "queue unreachable" in job.error
    assert jobs.can_retry(job)
    client = application.test_client()
    login(client, user.email)
    page = client.get(f"/reports/exports/{job_id}")
    assert page.status_code == 200 and "queue unreachable" in page.text
