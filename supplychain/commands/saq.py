"""`flask saq …`: the self-assessment questionnaire from the command line."""

import click
from flask.cli import AppGroup

from supplychain import clock

group = AppGroup("saq", help="The supplier self-assessment questionnaire.")  # AppGroup: in an app context


@group.command("load-default")
def load_default_command():
    """Load and publish the shipped questionnaire (Chinese and English) unless it is already there."""
    from supplychain import db
    from supplychain.services.evidence import saq

    questionnaire = saq.load_default(db.session, clock.now())
    db.session.commit()
    if questionnaire is None:
        click.echo("The default questionnaire is already loaded.")
    else:
        click.echo(f"Loaded and published {questionnaire.code} v{questionnaire.version}: "
                   f"{len(questionnaire.questions)} questions.")


@group.command("scores")
@click.option("--supplier", "supplier_id", type=int, required=True, help="Supplier number.")
def scores_command(supplier_id: int):
    """The reviewed theme scores the scoring engine reads for a supplier today."""
    from supplychain import db
    from supplychain.services.evidence import saq

    scores = saq.reviewed_theme_scores(db.session, [supplier_id], clock.today()).get(supplier_id)
    if not scores:
        click.echo("No reviewed self-assessment.")
        return
    for theme, score in scores.items():
        click.echo(f"{theme}\t{score}")
