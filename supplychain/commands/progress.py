"""The import commands' progress bar (suppliers, evidence): on stderr, for files of 1,000 rows or more, fed by a
service's `progress(done, total)` callback."""

from __future__ import annotations

import sys

import click

MIN_ROWS = 1000  # smaller files are saved before a bar would say anything


class SavingBar:
    """`with SavingBar(label) as progress: service(..., progress=progress)`."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < MIN_ROWS:
                return
            self._bar = click.progressbar(length=total, label=self.label, show_pos=True, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def __enter__(self) -> SavingBar:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
            self._bar = None
