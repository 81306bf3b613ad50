"""What the import commands print of a checked file, on stderr: "line N: column: message", like a compiler, the
column named as the file heads it with its label in the chosen language (import_labels.problem_text)."""

from __future__ import annotations

import sys

import click
from flask_babel import gettext as _

from supplychain import db
from supplychain.import_labels import problem_text


def report(plan, warnings_too: bool = False) -> None:
    """The encoding the file was read as, its notes and (with `warnings_too`) its warnings; when it has errors,
    every problem too and their count, then roll back and exit 1: nothing is saved."""
    if plan.encoding is not None:
        click.echo(_("Read as %(encoding)s.", encoding=plan.encoding.label), err=True)
    for note in plan.notes:
        click.echo(problem_text(note, plan.header), err=True)
    if plan.ok:
        for warning in plan.warnings if warnings_too else ():
            click.echo(problem_text(warning, plan.header), err=True)
        return
    db.session.rollback()
    for problem in plan.errors + plan.warnings if warnings_too else plan.errors:
        click.echo(problem_text(problem, plan.header), err=True)
    click.echo(_("%(n)d errors on %(lines)d lines: nothing was saved.", n=len(plan.errors),
                 lines=len(plan.bad_lines)), err=True)
    sys.exit(1)


def finish(plan, saved: int | None) -> None:
    """After a checked import: commit and say how many records were imported, or (a dry run, ``saved`` None)
    roll back and say how many would have been."""
    if saved is None:
        db.session.rollback()
        click.echo(_("Checked %(rows)d rows: %(n)d records would be saved. Nothing was saved (dry run).",
                     rows=plan.total_rows, n=plan.count))
        return
    db.session.commit()
    click.echo(_("Imported %(n)d records from %(rows)d rows.", n=saved, rows=plan.total_rows))
