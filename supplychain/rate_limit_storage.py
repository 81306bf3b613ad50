"""In-memory rate-limit counters that do not start a thread per call (the default install's storage).

limits' ``MemoryStorage`` starts a 10 ms timer thread on every hit to sweep expired counters, so at a
few API calls per 10 ms every call starts a thread: 0.2 ms on an idle machine, several ms when the
cores are busy (issue 10's look-up p95). This storage keeps one sweeper thread that sweeps once a
second instead. Limits count exactly as before: reading a counter checks its expiry itself; the sweep
only frees memory. It registers the same ``memory`` scheme, so ``RATELIMIT_STORAGE_URI = "memory://"``
uses it once this module is imported (``supplychain.extensions`` does).
"""

from __future__ import annotations

import threading
import weakref

from limits.storage import MemoryStorage

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
