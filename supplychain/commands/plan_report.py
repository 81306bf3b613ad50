"""What the import commands print of a checked file, on stderr: "line N: column: message", like a compiler."""

from __future__ import annotations

import sys

import click
from flask_babel import gettext as _

from supplychain import db


def report(plan, warnings_too: bool = False) -> None:
    """The encoding the file was read as and its notes; when it has errors, every problem (and the warnings with
    `warnings_too`) and their count, then roll back and exit 1: nothing is saved."""
    if plan.encoding is not None:
        click.echo(_("Read as %(encoding)s.", encoding=plan.encoding.label), err=True)
    for note in plan.notes:
        click.echo(str(note), err=True)
    if plan.ok:
        return
    db.session.rollback()
    for problem in plan.errors + plan.warnings if warnings_too else plan.errors:
        click.echo(str(problem), err=True)
    click.echo(_("%(n)d errors on %(lines)d lines: nothing was saved.", n=len(plan.errors),
                 lines=len(plan.bad_lines)), err=True)
    sys.exit(1)
