"""`flask disclosure --year 2024 --format csv|xlsx|pdf --out FILE`: the yearly supply-chain disclosure."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

LANGUAGES = {"both": ("zh", "en"), "zh": ("zh",), "zh_Hant": ("zh_Hant",), "en": ("en",),
             "zh_Hant+en": ("zh_Hant", "en")}
# The option that typed a field, where their names differ.
OPTION_OF_FIELD = {"superseded_by_id": "superseded_by"}


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
@click.option("--population", type=click.Choice(["in_supply_chain", "registered", "with_spend"]), default=None,
              help="Who B5.1 counts (default: the setting DISCLOSURE_B5_1_POPULATION).")
@click.option("--layout", type=click.Choice(["seven", "hk_macao_overseas", "overseas_by_country"]), default=None,
              help="B5.1's region table (default: the setting DISCLOSURE_REGION_LAYOUT).")
def command(year: str, file_format: str, out: Path, language: str, org_code: str | None, population: str | None,
            layout: str | None):
    """Write a reporting year's disclosure (HKEX B5.1-B5.4, GRI 308/414, KPI table) as CSV, XLSX or PDF."""
    from flask_babel import gettext as _

    from supplychain import db, scope
    from supplychain.clock import today
    from supplychain.errors import ValidationFailed
    from supplychain.services.disclosure import definitions, downloads
    from supplychain.services.evaluation import scorecards

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
        data, _name, _type = downloads.export(
            db.session,
            year,
            file_format,
            today(),
            boundary,
            config["COMPANY_NAME"],
            LANGUAGES[language],
            settings.font_path,
            settings.zone(),
            definitions.with_choices(definitions.settings_from(config), population, layout),
        )
    except ValidationFailed as failed:
        for field, messages in failed.errors.items():
            for message in messages:
                click.echo(f"--{field}: {message}", err=True)
        sys.exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(_("Disclosure %(year)s written to %(path)s.", year=year, path=out))


@click.group("disclosure-figures")
def figures_group():
    """Baselines, restatements and targets a report editor enters beside the computed disclosure."""


@figures_group.command("set")
@with_appcontext
@click.option("--year", required=True)
@click.option("--code", required=True, help="A figure code, e.g. KPI.total_suppliers.")
@click.option("--kind", required=True, type=click.Choice(["baseline", "restatement", "target"]))
@click.option("--value", required=True)
@click.option("--source", default="", help="Where a baseline comes from (required for a baseline).")
@click.option("--reason", default="", help="Why (required for a baseline and a restatement).")
@click.option("--by", "entered_by", required=True, help="Who enters the figure.")
@click.option("--org", "org_code", default=None, help="The boundary (default: the whole group).")
def set_figure(year, code, kind, value, source, reason, entered_by, org_code):
    """Enter or replace a baseline, restatement or target (audited; all or nothing)."""
    from supplychain import db
    from supplychain.clock import today
    from supplychain.errors import ValidationFailed
    from supplychain.services.disclosure import definitions, entries

    organisation_id = _organisation_id(org_code)
    data = entries.FigureData(year, code, kind, value, source, reason, entered_by, organisation_id)
    try:
        entries.save(db.session, data, None, today(), definitions.SPEC_BY_CODE)
    except ValidationFailed as failed:
        _refuse(failed)
    db.session.commit()
    click.echo(f"{year} {code} {kind} = {value}")


@figures_group.command("policy")
@with_appcontext
@click.option("--title-zh", required=True)
@click.option("--title-en", default="")
@click.option("--number", required=True, help="The document number, e.g. 集团采〔2023〕12号.")
@click.option("--effective-on", required=True, help="YYYY-MM-DD")
@click.option("--file", "file_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The policy document (PDF, PNG or JPEG).")
@click.option("--org", "org_code", default=None, help="The issuing organisation (default: the group).")
@click.option("--ended-on", default=None, help="Repealed or superseded: the last day in force (YYYY-MM-DD).")
@click.option("--superseded-by", "superseded_by", type=int, default=None,
              help="The id of the registered policy that replaces it (needs --ended-on).")
def add_policy(title_zh, title_en, number, effective_on, file_path, org_code, ended_on, superseded_by):
    """Register a supply-chain policy (audited); the disclosure's B5 names the policies in force."""
    from supplychain import db
    from supplychain.errors import ValidationFailed
    from supplychain.services.core import attachments
    from supplychain.services.disclosure import entries

    organisation_id = _organisation_id(org_code)
    (day, ended), bad_dates = _days(effective_on=effective_on, ended_on=ended_on)
    upload = attachments.Upload(file_path.name, file_path.read_bytes()) if file_path else None
    store = attachments.Store.from_settings(current_app.config, current_app.instance_path)
    data = entries.PolicyData(title_zh, title_en, number, day, organisation_id, ended, superseded_by)
    try:
        if bad_dates:  # every problem at once: the dates typed, and the policy's own
            problems = entries.policy_problems(db.session, data, upload, store)[0]
            raise ValidationFailed({**problems, **bad_dates})
        policy = entries.add_policy(db.session, data, None, upload, store)
    except ValidationFailed as failed:
        _refuse(failed)
    db.session.commit()
    click.echo(f"#{policy.id} {policy.number} {policy.title_zh}")


@figures_group.command("end-policy")
@with_appcontext
@click.argument("policy_id", type=int)
@click.option("--ended-on", required=True, help="Repealed or superseded: the last day in force (YYYY-MM-DD).")
@click.option("--superseded-by", "superseded_by", type=int, default=None,
              help="The id of the registered policy that replaces it.")
def end_policy(policy_id, ended_on, superseded_by):
    """End a registered policy (repealed, or superseded by another): as the policy form, checked and audited;
    the disclosure of a year names the policies in force during it."""
    from flask_babel import gettext as _

    from supplychain import db
    from supplychain.errors import ValidationFailed
    from supplychain.models import SupplyChainPolicy
    from supplychain.services.disclosure import entries

    policy = db.session.get(SupplyChainPolicy, policy_id)
    if policy is None:
        click.echo(f"POLICY_ID: {_('No registered policy #%(id)d.', id=policy_id)}", err=True)
        sys.exit(2)
    (ended,), bad_dates = _days(ended_on=ended_on)
    if not bad_dates and ended is None:
        bad_dates["ended_on"] = [_("Enter the last day the policy was in force.")]
    data = entries.PolicyData(policy.title_zh, policy.title_en or "", policy.number, policy.effective_on,
                              policy.organisation_id, ended, superseded_by)
    try:
        if bad_dates:  # every problem at once: the date typed, and the policy's own
            raise ValidationFailed({**entries.policy_problems(db.session, data, existing=policy)[0], **bad_dates})
        entries.update_policy(db.session, policy, data, None)
    except ValidationFailed as failed:
        _refuse(failed)
    db.session.commit()
    replaced = f" → #{superseded_by}" if superseded_by else ""
    click.echo(f"#{policy.id} {policy.number} {policy.title_zh}: {ended.isoformat()}{replaced}")


@figures_group.command("narrative")
@with_appcontext
@click.option("--year", required=True)
@click.option("--section", required=True, help="KPI, B5, B5.1 … GRI 414-2")
@click.option("--lang", "language", required=True, type=click.Choice(["zh", "en"]))
@click.option("--text", required=True)
@click.option("--by", "entered_by", required=True)
@click.option("--org", "org_code", default=None, help="The boundary (default: the whole group).")
def set_narrative(year, section, language, text, entered_by, org_code):
    """Replace the drafted narrative of a section; the page warns where its numbers disagree with the figures."""
    from supplychain import db
    from supplychain.clock import today
    from supplychain.errors import ValidationFailed
    from supplychain.services.disclosure import definitions, entries

    data = entries.NarrativeData(year, section, language, text, entered_by, _organisation_id(org_code))
    try:
        entries.save_narrative(db.session, data, None, today(), [c for c, _z, _e in definitions.SECTIONS])
    except ValidationFailed as failed:
        _refuse(failed)
    db.session.commit()
    click.echo(f"{year} {section} {language}")


def _organisation_id(org_code: str | None) -> int | None:
    from flask_babel import gettext as _

    from supplychain import db, scope
    from supplychain.services.disclosure.entries import boundary_key

    if not org_code:
        return None
    organisation = scope.organisation_by_code(db.session, org_code)
    if organisation is None:
        click.echo(f"--org: {_('Unknown organisation %(code)s.', code=org_code)}", err=True)
        sys.exit(2)
    return boundary_key(organisation)  # the root's entries are the whole group's


def _days(**raw: str | None) -> tuple[tuple, dict[str, list]]:
    """The dates typed (YYYY-MM-DD; None when empty), in order, and a message per option that is not one."""
    from datetime import date

    from flask_babel import gettext as _

    days, errors = [], {}
    for name, value in raw.items():
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            days.append(None)
            errors[name] = [_("Not a date: %(value)s. Write it as YYYY-MM-DD.", value=value)]
    return tuple(days), errors


def _refuse(failed) -> None:
    from supplychain import db

    db.session.rollback()
    for field, messages in failed.errors.items():
        for message in messages:
            click.echo(f"--{OPTION_OF_FIELD.get(field, field).replace('_', '-')}: {message}", err=True)
    sys.exit(2)
