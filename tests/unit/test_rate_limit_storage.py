"""The memory:// rate-limit storage: limits count and expire as before, without a thread started per call."""

from __future__ import annotations

import threading
import time

from limits import parse, strategies
from limits.storage import storage_from_string

from supplychain import extensions  # noqa: F401 - registers the storage, as the app does
from supplychain.rate_limit_storage import SweptMemoryStorage


def test_memory_uri_gives_the_swept_storage_and_limits_still_hold_and_expire():
    storage = storage_from_string("memory://")
    assert isinstance(storage, SweptMemoryStorage)
    limiter = strategies.FixedWindowRateLimiter(storage)
    limit = parse("3/second")
    assert [limiter.hit(limit, "client") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "other")  # per key
    time.sleep(1.05)
    assert limiter.hit(limit, "client")  # the window is over


def test_calls_start_no_threads():
    storage = storage_from_string("memory://")
    limiter = strategies.MovingWindowRateLimiter(storage)
    limit = parse("1000/minute")
    sweeper = storage.timer
    for _ in range(10):
        limiter.hit(limit, "client")
        time.sleep(0.015)  # limits' own storage starts a new 10 ms timer thread on the next hit
    assert storage.timer is sweeper and sweeper.is_alive()
    assert sum(t.name == "rate-limit-sweeper" and t is sweeper for t in threading.enumerate()) == 1
