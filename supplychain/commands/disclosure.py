"""`flask disclosure --year 2024 --format csv|xlsx|pdf --out FILE`: the yearly supply-chain disclosure."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

LANGUAGES = {"both": ("zh", "en"), "zh": ("zh",), "zh_Hant": ("zh_Hant",), "en": ("en",),
             "zh_Hant+en": ("zh_Hant", "en")}


@click.command("disclosure")
@with_appcontext
@click.option("--year", required=True, help="The reporting year (2000 to this year).")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx", "pdf"]), required=True)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write."
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(sorted(LANGUAGES)),
    default="both",
    show_default=True,
    help="Languages of the file: simplified (zh) or traditional (zh_Hant) Chinese, English, or both.",
)
@click.option("--org", "org_code", default=None,
              help="Report for this organisation and its descendants (default: the whole group).")
def command(year: str, file_format: str, out: Path, language: str, org_code: str | None):
    """Write a reporting year's disclosure (HKEX B5.1-B5.4, GRI 308/414, KPI table) as CSV, XLSX or PDF."""
    from flask_babel import gettext as _

    from supplychain import db, scope
    from supplychain.errors import ValidationFailed
    from supplychain.services import disclosure, scorecards
    from supplychain.views import today

    config = current_app.config
    settings = scorecards.settings_from(config)
    boundary = None
    if org_code:
        organisation = scope.organisation_by_code(db.session, org_code)
        if organisation is None:
            click.echo(f"--org: {_('Unknown organisation %(code)s.', code=org_code)}", err=True)
            sys.exit(2)
        boundary = scope.narrow_to_boundary(db.session, organisation.id)
    try:
        data, _name, _type = disclosure.export(
            db.session,
            year,
            file_format,
            today(),
            boundary,
            config["COMPANY_NAME"],
            LANGUAGES[language],
            settings.font_path,
            settings.zone(),
            disclosure.settings_from(config),
        )
    except ValidationFailed as failed:
        for field, messages in failed.errors.items():
            for message in messages:
                click.echo(f"--{field}: {message}", err=True)
        sys.exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(_("Disclosure %(year)s written to %(path)s.", year=year, path=out))
