"""`flask risk …`: inherent risk tiers (issue 11) from the command line."""

import csv
import sys
import time

import click
from flask.cli import AppGroup

group = AppGroup("risk", help="Inherent risk tiers of the suppliers (high, medium, low).")


@group.command("recompute")
def recompute_command():
    """Recompute every supplier's tier from its current inputs and the weights in force."""
    from supplychain import db
    from supplychain.services.risk import recompute

    started = time.perf_counter()
    computed = recompute.recompute_all(db.session)
    db.session.commit()
    click.echo(f"Recomputed the risk tiers of {computed} suppliers in {time.perf_counter() - started:.1f} s.")


@group.command("tiers")
@click.option("--format", "output_format", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--org", "org_code", default=None,
              help="Only the suppliers this organisation and its descendants buy from (default: the whole group).")
@click.option("--tier", type=click.Choice(["high", "medium", "low"]), default=None, help="Only this tier.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the tiers and reasons.")
def tiers_command(output_format: str, org_code: str | None, tier: str | None, lang: str):
    """Print supplier, credit code, tier, score and reasons, riskiest first."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from supplychain import db, scope
    from supplychain.services.risk import reasons, tier_lists

    with force_locale(lang):
        if org_code:
            organisation = scope.organisation_by_code(db.session, org_code)
            if organisation is None:
                click.echo(f"--org: {_('Unknown organisation %(code)s.', code=org_code)}", err=True)
                sys.exit(2)
            scope.narrow_to_boundary(db.session, organisation.id)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["supplier", "credit_code", "tier", "score", "reasons"])
        for row in tier_lists.rows(db.session, tier):
            explained = "; ".join(
                f"{reasons.FACTOR_LABELS.get(entry['factor'], entry['factor'])} +{entry['points']:g}: "
                f"{reasons.reason_text(entry, lang)}"
                for entry in row.factors if entry.get("points"))
            writer.writerow([row.name, row.credit_code, row.tier,
                             f"{row.score:.1f}", explained])
