"""`flask suppliers …`: the supplier registry from the command line."""

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

group = AppGroup("suppliers", help="The supplier registry.")  # AppGroup: every command runs in an app context


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_command(file: Path, dry_run: bool, lang: str):
    """Import suppliers from a CSV or XLSX FILE: all rows or none; importing again updates by credit code."""
    from flask_babel import force_locale
    from flask_babel import gettext as _
    from sqlalchemy.exc import IntegrityError

    from supplychain import db
    from supplychain.services import importer

    with force_locale(lang):
        try:
            plan, result = importer.import_file(db.session, file.name, file.read_bytes(), None, date.today(),
                                                dry_run=dry_run)
            if result is not None:
                db.session.commit()
        except IntegrityError:  # another import or user registered the same credit code meanwhile
            db.session.rollback()
            click.echo(_("The registry changed while importing; nothing was saved. Check the file again."),
                       err=True)
            sys.exit(1)
        if not plan.ok:
            db.session.rollback()
            # "line N: column: message", like a compiler: the same shape in every language, easy to grep.
            for error in plan.errors:
                click.echo(str(error), err=True)
            click.echo(_("%(n)d errors on %(lines)d lines: nothing was saved.", n=len(plan.errors),
                         lines=len(plan.bad_lines)), err=True)
            sys.exit(1)
        if result is None:
            db.session.rollback()
            click.echo(_("Checked %(rows)d rows: %(created)d new suppliers and %(updated)d updates. "
                         "Nothing was saved (dry run).", rows=plan.total_rows, created=len(plan.creates),
                         updated=len(plan.updates)))
            return
        click.echo(_("Imported %(rows)d rows: %(created)d new suppliers, %(updated)d updated, "
                     "%(unchanged)d unchanged.", rows=plan.total_rows, created=result.created,
                     updated=result.updated, unchanged=result.unchanged))
