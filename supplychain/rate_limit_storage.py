"""Rate-limit storages that cost less per call: memory without a thread per hit, Redis in one round trip.

limits' ``MemoryStorage`` starts a 10 ms timer thread on every hit to sweep expired counters, so at a
few API calls per 10 ms every call starts a thread: 0.2 ms on an idle machine, several ms when the
cores are busy (issue 10's look-up p95). This storage keeps one sweeper thread that sweeps once a
second instead. Limits count exactly as before: reading a counter checks its expiry itself; the sweep
only frees memory. It registers the same ``memory`` scheme, so ``RATELIMIT_STORAGE_URI = "memory://"``
uses it once this module is imported (``supplychain.extensions`` does). ``redis://`` gets
``OneTripRedisStorage``: one round trip per limited call instead of three.
"""

from __future__ import annotations

import threading
import time
import weakref

from limits.storage import MemoryStorage, RedisStorage

SWEEP_SECONDS = 1.0


def _sweep_until_gone(storage_ref: weakref.ref, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_SECONDS):
        storage = storage_ref()
        if storage is None:  # the app that used it is gone: so is this thread
            return
        storage._MemoryStorage__expire_events()
        del storage


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` with one sweeper thread per storage instead of one timer thread per hit."""

    STORAGE_SCHEME = ["memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._stop = threading.Event()
        # MemoryStorage starts a new timer whenever ``self.timer`` is not alive; the sweeper always is.
        self.timer = threading.Thread(target=_sweep_until_gone, args=(weakref.ref(self), self._stop),
                                      name="rate-limit-sweeper", daemon=True)
        self.timer.start()
        weakref.finalize(self, self._stop.set)


# The counter and its time to live in one call: limits' own script returns only the counter.
_INCR_EXPIRE_TTL = """
local current = redis.call("incrby", KEYS[1], ARGV[2])
if tonumber(current) == tonumber(ARGV[2]) then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""
# How long the figures of a hit answer the rate-limit headers of the same request (seconds).
HEADER_FIGURES_SECONDS = 1.0


class OneTripRedisStorage(RedisStorage):
    """``redis://`` whose hit also brings back the window's expiry, so a limited call costs one Redis round trip.

    Flask-Limiter counts a call (one script) and then, for the ``X-RateLimit-*`` headers, reads the
    counter (``GET``) and its expiry (``TTL``): three round trips per API call, each a wait on a busy
    machine (issue 10). Here the hit returns the counter and its time to live together, and the next
    ``get`` and ``get_expiry`` of the same key in the same thread, within a second, answer from them,
    once each; any other read goes to Redis as before. Counting itself is unchanged (the same INCRBY and
    EXPIRE in one script).
    """

    STORAGE_SCHEME = ["redis"]

    def initialize_storage(self, uri: str) -> None:
        """limits' scripts, and the one that also returns the time to live."""
        super().initialize_storage(uri)
        self.lua_incr_expire_ttl = self.get_connection().register_script(_INCR_EXPIRE_TTL)
        self._last_hit = threading.local()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count a hit; keep its counter and expiry for this request's headers."""
        current, ttl = self.lua_incr_expire_ttl([self.prefixed_key(key)], [expiry, amount])
        self._last_hit.figures = {"key": key, "at": time.monotonic(), "get": int(current),
                                  "get_expiry": max(int(ttl), 0) + time.time()}
        return int(current)

    def _from_last_hit(self, key: str, what: str):
        figures = getattr(self._last_hit, "figures", None)
        if (figures is None or figures["key"] != key or what not in figures
                or time.monotonic() - figures["at"] > HEADER_FIGURES_SECONDS):
            return None
        return figures.pop(what)

    def get(self, key: str) -> int:
        """The counter: from this thread's hit just before, else from Redis."""
        value = self._from_last_hit(key, "get")
        return super().get(key) if value is None else value

    def get_expiry(self, key: str) -> float:
        """When the window ends: from this thread's hit just before, else from Redis."""
        value = self._from_last_hit(key, "get_expiry")
        return super().get_expiry(key) if value is None else value
