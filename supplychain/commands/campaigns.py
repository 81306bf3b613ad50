"""`flask campaigns …`: the daily reminders of questionnaire campaigns and the overdue consequences (for cron)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

group = AppGroup("campaigns", help="Questionnaire campaigns: reminders and overdue consequences.")


@group.command("remind")
@click.option("--no-mail", is_flag=True, help="Only notify in the app, even when SMTP is configured.")
@click.option("--no-consequences", is_flag=True, help="Send the reminders only; apply no overdue consequence.")
@click.option("--today", "today_text", default=None, metavar="YYYY-MM-DD", help="Pretend today is this day.")
def remind(no_mail: bool, no_consequences: bool, today_text: str | None):
    """Send the reminders due today in every open campaign, then apply the overdue consequences (run daily).

    Before the due date each recipient that has not submitted is reminded once, REMIND_BEFORE days ahead;
    after it, every REMIND_AFTER days. Each reminder is recorded (when, channel, by the schedule); running the
    command again the same day reminds nobody twice. Overdue HIGH-tier suppliers get the campaign's consequence
    once (a corrective action, or a status).
    """
    from sqlalchemy import func, select

    from supplychain import clock, db
    from supplychain.commands.notifications import tell_and_mail
    from supplychain.models import Notification
    from supplychain.services.risk import campaign_reminders

    try:
        today = date.fromisoformat(today_text) if today_text else clock.today()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    days = int(current_app.config.get("CORRECTIVE_ACTION_DAYS", 90))
    outcome = {}

    def run(now) -> int:
        before = db.session.scalar(select(func.count(Notification.id)))
        outcome["result"] = campaign_reminders.remind_all(db.session, today, now, days,
                                                          consequences=not no_consequences)
        return db.session.scalar(select(func.count(Notification.id))) - before  # the new notices

    tell_and_mail(run, no_mail)
    result = outcome["result"]
    click.echo(f"{result.campaigns} open campaigns: {result.reminders} reminders, "
               f"{result.consequences} overdue consequences applied.")


@group.command("list")
def list_campaigns():
    """The campaigns: id, status, due date, recipients, submitted, reviewed, title (tab-separated)."""
    from supplychain import db
    from supplychain.services.risk import campaigns

    found = campaigns.list_campaigns(db.session, limit=10_000)
    rates = campaigns.rates(db.session, [c.id for c in found])
    for campaign in found:
        r = rates[campaign.id]
        click.echo("\t".join(str(v) for v in (campaign.id, campaign.status, campaign.due_on.isoformat(),
                                               r.recipients, r.submitted, r.reviewed, campaign.title)))
