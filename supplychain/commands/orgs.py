"""`flask orgs …`: the organisations of the group from the command line."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

group = AppGroup("orgs", help="The organisations of the group (group, subsidiaries, projects).")


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_command(file: Path, dry_run: bool, lang: str):
    """Import organisations from a CSV or XLSX FILE (code,parent_code,name_zh,name_en,kind,home_province).

    All rows or none; importing again updates by code.
    """
    from flask_babel import force_locale
    from flask_babel import gettext as _
    from sqlalchemy.exc import IntegrityError

    from supplychain import db
    from supplychain.errors import Conflict
    from supplychain.services.registry import organisations

    with force_locale(lang):
        try:
            result = organisations.import_file(db.session, file.name, file.read_bytes(), None, dry_run=dry_run)
            if result.applied:
                db.session.commit()
        except (IntegrityError, Conflict):  # someone changed the organisations meanwhile
            db.session.rollback()
            click.echo(_("The organisations changed while importing; nothing was saved. Import the file again."),
                       err=True)
            sys.exit(1)
        if not result.ok:
            db.session.rollback()
            for error in result.errors:
                click.echo(str(error), err=True)
            click.echo(_("%(n)d errors on %(lines)d lines: nothing was saved.", n=len(result.errors),
                         lines=len(result.bad_lines)), err=True)
            sys.exit(1)
        if not result.applied:
            db.session.rollback()
            click.echo(_("Checked %(rows)d rows: %(created)d new organisations, %(updated)d to update, "
                         "%(unchanged)d unchanged. Nothing was saved (dry run).", rows=result.total_rows,
                         created=result.created, updated=result.updated, unchanged=result.unchanged))
            return
        click.echo(_("Imported %(rows)d rows: %(created)d new organisations, %(updated)d updated, "
                     "%(unchanged)d unchanged.", rows=result.total_rows, created=result.created,
                     updated=result.updated, unchanged=result.unchanged))


@group.command("list")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the names and labels.")
def list_command(lang: str):
    """The tree, indented: code, name, kind, home province, open or closed."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from supplychain import db, regions
    from supplychain.labels import ORGANISATION_KIND_LABELS
    from supplychain.services.registry import organisations

    with force_locale(lang):
        rows = organisations.list_rows(db.session)
        if not rows:
            click.echo(_("No organisations yet. Import them with: flask orgs import FILE"))
            return
        for row in rows:
            province = regions.find_province(row.home_province) if row.home_province else None
            province_name = (province.name_en if lang == "en" else province.name_zh) if province else "—"
            name = (row.name_en or row.name_zh) if lang == "en" else row.name_zh
            state = (_("open") if row.is_open
                     else _("closed on %(date)s", date=row.closed_on.isoformat()))
            kind = str(ORGANISATION_KIND_LABELS.get(row.kind, row.kind))
            click.echo(f"{'  ' * row.depth}{row.code}  {name}  [{kind}]  {province_name}  {state}")
