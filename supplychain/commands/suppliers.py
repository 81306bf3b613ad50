"""`flask suppliers …`: the supplier registry from the command line."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from supplychain import clock
from supplychain.commands import plan_report
from supplychain.commands.progress import SavingBar

group = AppGroup("suppliers", help="The supplier registry.")  # AppGroup: every command runs in an app context


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "gb18030", "big5hkscs", "cp950", "utf-16"]),
              default=None, help="Read a CSV in this encoding instead of detecting it.")
@click.option("--template", "template", default=None,
              help="Read the columns with the mapping saved under this template name in the web import.")
@click.option("--blank-erases", is_flag=True, help="Empty cells erase stored values (off: they keep them).")
@click.option("--accept-warnings", is_flag=True,
              help="Import although there are warnings (e.g. a province that differs from the credit code).")
@click.option("--migration", is_flag=True,
              help="Migrate an existing supply base: also bring over status, status_since, qualified_categories.")
@click.option("--reason", default="", help="Why / from where the statuses come (required with --migration).")
@click.option("--org", "org_code", default="",
              help="Organisation code(s) that buy from the suppliers of rows without an `org` cell "
                   "(default: the root of the group).")
def import_command(file: Path, dry_run: bool, lang: str, encoding: str | None, template: str | None,
                   blank_erases: bool, accept_warnings: bool, migration: bool, reason: str, org_code: str):
    """Import suppliers from a CSV or XLSX FILE: all rows or none; importing again updates by credit code."""
    from flask_babel import force_locale
    from flask_babel import gettext as _
    from sqlalchemy.exc import IntegrityError

    from supplychain import db
    from supplychain.import_labels import field_title
    from supplychain.services.imports import import_mappings, importer

    options = importer.ImportOptions(blank_erases=blank_erases, migration=migration, reason=reason,
                                     default_org=org_code)
    with force_locale(lang):
        mapping = import_mappings.get(db.session, "suppliers", template) if template else None
        if template and not mapping:
            click.echo(_("No saved column mapping is called %(name)s.", name=template), err=True)
            sys.exit(1)
        try:
            with SavingBar(_("Saving")) as progress:
                plan, result = importer.import_file(db.session, file.name, file.read_bytes(), None, clock.today(),
                                                    dry_run=dry_run, options=options, encoding=encoding,
                                                    mapping=mapping, accept_warnings=accept_warnings,
                                                    progress=progress)
            if result is not None:
                db.session.commit()
        except IntegrityError:  # another import or user registered the same credit code meanwhile
            db.session.rollback()
            click.echo(_("The registry changed while importing; nothing was saved. Check the file again."),
                       err=True)
            sys.exit(1)
        plan_report.report(plan, warnings_too=True)
        if result is None and plan.warnings and not dry_run:
            db.session.rollback()
            click.echo(_("%(n)d warnings: nothing was saved. Check them, then import again with "
                         "--accept-warnings.", n=len(plan.warnings)), err=True)
            sys.exit(1)
        if result is None:
            db.session.rollback()
            click.echo(_("Checked %(rows)d rows: %(created)d new suppliers and %(updated)d updates. "
                         "Nothing was saved (dry run).", rows=plan.total_rows, created=len(plan.creates),
                         updated=len(plan.updates)))
            for row in plan.changed_updates[:200]:
                for change in row.changes:
                    click.echo(f"line {row.line}: {field_title(change.field)}: {change.old!r} -> {change.new!r}")
            return
        click.echo(_("Imported %(rows)d rows: %(created)d new suppliers, %(updated)d updated, "
                     "%(unchanged)d unchanged.", rows=plan.total_rows, created=result.created,
                     updated=result.updated, unchanged=result.unchanged))
        if result.statuses:
            click.echo(_("%(n)d statuses brought over from the existing supply base.", n=result.statuses))
