"""`flask evidence import KIND FILE`: past evidence in bulk (issue 15)."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from supplychain.commands import plan_report
from supplychain.commands.progress import SavingBar

group = AppGroup("evidence", help="Due-diligence evidence.")


@group.command("import")
@click.argument("kind", type=click.Choice(["pledges", "certificates", "training", "evaluations"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scans", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A ZIP of the pledges' scans (PDF, PNG or JPEG), named in the file's scan column.")
@click.option("--org", "default_org", default="",
              help="Pledges: code of the group's organisation that signed the rows without an org column "
                   "(default: the root).")
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "gb18030", "big5hkscs", "cp950", "utf-16"]),
              default=None, help="Read a CSV in this encoding instead of detecting it.")
@click.option("--template", "template", default=None,
              help="A column mapping saved in the web import's preview for this kind of file.")
@click.option("--accept-warnings", is_flag=True, help="Import although there are warnings.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_command(kind: str, file: Path, scans: Path | None, default_org: str, dry_run: bool,
                   encoding: str | None, template: str | None, accept_warnings: bool, lang: str):
    """Import pledges, certificates, training attendance or past evaluations from a CSV or XLSX FILE: every
    row checked, all rows saved or none; rows already recorded are skipped."""
    from flask import current_app
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from supplychain import clock, db
    from supplychain.services.core import attachments
    from supplychain.services.imports import evidence_import, import_mappings

    store = attachments.Store.from_settings(current_app.config, current_app.instance_path)
    with force_locale(lang):
        mapping = import_mappings.get(db.session, kind, template) if template else None
        if template and not mapping:
            click.echo(_("No saved column mapping is called %(name)s.", name=template), err=True)
            sys.exit(1)
        with SavingBar(_("Saving")) as progress:
            plan, saved = evidence_import.import_file(
                db.session, kind, file.name, file.read_bytes(), None, clock.today(), dry_run=dry_run,
                encoding=encoding, mapping=mapping, scans_zip=scans.read_bytes() if scans else None, store=store,
                accept_warnings=accept_warnings, default_org=default_org, progress=progress)
        plan_report.report(plan, warnings_too=True)
        if saved is None and plan.warnings and not dry_run:
            db.session.rollback()
            click.echo(_("%(n)d warnings: nothing was saved. Check them, then import again with "
                         "--accept-warnings.", n=len(plan.warnings)), err=True)
            sys.exit(1)
        plan_report.finish(plan, saved)
