"""Python's cycle collector paused around a bulk load.

Reading and checking a large file keeps hundreds of thousands of small objects alive (rows, dicts,
dates, decimals). The cycle collector then runs again and again and walks them all each time, without
finding anything to free: a 300,000-line spend file took a fifth longer with it on. The loaders create
no reference cycles worth collecting, so they pause it and the previous state comes back afterwards
(also on an exception). It is process-wide: another thread of the same worker defers its cycle
collection until then; reference counting frees memory as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
