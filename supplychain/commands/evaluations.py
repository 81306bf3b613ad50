"""`flask evaluations …`: a category's periodic evaluations for a period, the default schemes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from supplychain import clock
from supplychain.commands.refused import exit_refused

group = AppGroup("evaluations", help="Supplier evaluations and scoring schemes.")


@group.command("start-periodic")
@click.argument("category")
@click.argument("year", type=int)
@click.option("--half", type=click.IntRange(1, 2), default=None, help="The half-year (1 or 2).")
@click.option("--quarter", type=click.IntRange(1, 4), default=None, help="The quarter (1 to 4).")
def start_periodic(category: str, year: int, half: int | None, quarter: int | None):
    """Start a draft periodic evaluation of every qualified supplier of CATEGORY (its code) for YEAR.

    Suppliers blacklisted or already evaluated for an overlapping period are listed as skipped.
    """
    from sqlalchemy import select

    from supplychain import db
    from supplychain.errors import ValidationFailed
    from supplychain.models import SupplyCategory
    from supplychain.services.evaluation import evaluations

    if half and quarter:
        raise click.UsageError("give --half or --quarter, not both")
    period_type, index = ("half", half) if half else ("quarter", quarter) if quarter else ("year", 1)
    found = db.session.scalar(select(SupplyCategory).where(SupplyCategory.code == category.strip().lower()))
    try:
        result = evaluations.bulk_create(
            db.session, found.id if found else None, period_type, year, index, None, clock.today()
        )
    except ValidationFailed as failed:
        exit_refused(failed)
    db.session.commit()
    for supplier, reason in result.skipped:
        click.echo(f"skipped\t{supplier.id}\t{supplier.name_zh}\t{reason}")
    click.echo(f"Started {len(result.created)} evaluations, skipped {len(result.skipped)}.", err=True)


@group.command("seed-schemes")
def seed_schemes():
    """Store version 1 of the default admission and periodic schemes (config/schemes.py) when missing."""
    from supplychain import db
    from supplychain.services.evaluation import schemes

    schemes.ensure_defaults(db.session)
    db.session.commit()
    for line in schemes.list_lines(db.session):
        click.echo(f"{line.code}\tv{line.current.version}\t{line.current.name_zh}")
