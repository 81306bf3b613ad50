"""The Redis the RQ and rate-limit tests use: TEST_REDIS_URL, required and reachable under CI=true."""

from __future__ import annotations

import os

import pytest


def redis_url() -> str:
    """TEST_REDIS_URL after a ping; skips locally without it, fails under CI=true (nothing optional there)."""
    url = os.environ.get("TEST_REDIS_URL")
    in_ci = os.environ.get("CI") == "true"
    if not url:
        if in_ci:
            pytest.fail("TEST_REDIS_URL must be set under CI=true: the RQ path is not optional there", pytrace=False)
        pytest.skip("TEST_REDIS_URL not set: the RQ path runs in CI (.ci/run) or with a local Redis")
    from redis import Redis

    try:
        Redis.from_url(url).ping()
    except Exception as exc:  # noqa: BLE001 - any connection failure means the same here
        if in_ci:
            pytest.fail(f"Redis at {url} is unreachable: {exc}", pytrace=False)
        pytest.skip(f"Redis at {url} is unreachable: {exc}")
    return url


def empty_queue(url: str):
    """The RQ queue of background jobs on the Redis at `url`, emptied of what an earlier run left in it."""
    from redis import Redis
    from rq import Queue

    from supplychain import jobs

    queue = Queue(jobs.QUEUE, connection=Redis.from_url(url))
    queue.empty()
    return queue


def work_burst(app, session, queue) -> None:
    """Run everything in the queue with a burst SimpleWorker in this process, then let `session` read afresh."""
    from rq import SimpleWorker

    from supplychain import db

    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    db.session.remove()
    session.expire_all()
