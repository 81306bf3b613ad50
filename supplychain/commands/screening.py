"""`flask screening import FILE`: external screening results in bulk (issue 11 part 4)."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from supplychain.commands import plan_report

group = AppGroup("screening", help="External screening results (dishonest lists, ratings, sanctions).")


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_code", default=None,
              help="Import as this organisation: only suppliers its subtree buys from (default: the whole group).")
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "gb18030", "big5hkscs", "cp950", "utf-16"]),
              default=None, help="Read a CSV in this encoding instead of detecting it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_command(file: Path, org_code: str | None, dry_run: bool, encoding: str | None, lang: str):
    """Import screening results from a CSV or XLSX FILE: every row checked, all rows saved or none.

    Columns (English or Chinese headers): credit_code (or supplier, the registered name), list_code,
    checked_on (YYYY-MM-DD), result (clear / listed, or green / blue / yellow / red / black for the
    environmental credit rating), source_reference, findings. List codes: serious_dishonesty,
    abnormal_operations, judgment_debtor, wage_arrears, safety_dishonesty, environmental_rating, sanctions,
    principal_bribery, pledge_refusal.
    """
    from flask_babel import force_locale

    from supplychain import db, scope

    with force_locale(lang):
        try:
            _run(file, org_code, dry_run, encoding)
        finally:  # the command line's session goes back to the whole group
            scope.activate(db.session, scope.EVERYTHING)


def _run(file: Path, org_code: str | None, dry_run: bool, encoding: str | None) -> None:
    """Check and save the file within the --org scope; print every problem or a summary."""
    from flask_babel import gettext as _

    from supplychain import db, scope
    from supplychain.clock import today
    from supplychain.services.risk import screening_import

    if org_code:
        organisation = scope.organisation_by_code(db.session, org_code)
        if organisation is None:
            click.echo(f"--org: {_('Unknown organisation %(code)s.', code=org_code)}", err=True)
            sys.exit(2)
        scope.activate(db.session, scope.for_organisation(db.session, organisation))
    plan, saved = screening_import.import_file(db.session, file.name, file.read_bytes(), None, today(),
                                               dry_run=dry_run, encoding=encoding)
    plan_report.report(plan)
    plan_report.finish(plan, saved)
