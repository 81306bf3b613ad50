"""`flask notifications …` and `flask pledges expiring`: reminders told once, e-mail now or as a daily digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from supplychain import clock

group = AppGroup("notifications", help="Notifications: e-mail the pending ones, send the daily digest.")
pledges_group = AppGroup("pledges", help="Integrity pledges of suppliers.")


def _now() -> datetime:
    return clock.now()


def tell_and_mail(remind: Callable[[datetime], int], no_mail: bool) -> None:
    """Write the notifications `remind` makes, commit, then e-mail the immediate ones when SMTP is set."""
    from supplychain import db
    from supplychain.services.daily_work import notifications

    now = _now()
    told = remind(now)
    db.session.commit()
    click.echo(f"{told} new notifications (nobody is told twice).", err=True)
    sender = None if no_mail else notifications.smtp_sender(current_app.config)
    if sender is None:
        if not no_mail:
            click.echo("No MAIL_SERVER configured: nothing e-mailed.", err=True)
        return
    sent = notifications.send_email(db.session, current_app.config, sender, now, "email")
    db.session.commit()
    click.echo(f"{sent} e-mails sent.", err=True)


@group.command("send")
def send():
    """E-mail every notification not yet e-mailed to users who want e-mail at once (for cron)."""
    click.echo(f"{_send_due('email')} e-mails sent.", err=True)


@group.command("digest")
def digest():
    """Send each user who chose the daily digest one e-mail with their new notifications (run once a day)."""
    click.echo(f"{_send_due('digest')} digests sent.", err=True)


def _send_due(mode: str) -> int:
    """E-mail what is due in MODE ("email" or "digest") and commit; how many were sent. Needs a mail server."""
    from supplychain import db
    from supplychain.services.daily_work import notifications

    sender = notifications.smtp_sender(current_app.config)
    if sender is None:
        raise click.ClickException("No MAIL_SERVER configured.")
    sent = notifications.send_email(db.session, current_app.config, sender, _now(), mode)
    db.session.commit()
    return sent


@pledges_group.command("expiring")
@click.option("--days", type=click.IntRange(0, 3650), default=None,
              help="Days ahead (default: the CERT_EXPIRY_WARNING_DAYS setting, 60).")
@click.option("--no-mail", is_flag=True, help="Only notify in the app, even when SMTP is configured.")
@click.option("--today", "today_text", default=None, metavar="YYYY-MM-DD", help="Pretend today is this day.")
def pledges_expiring(days: int | None, no_mail: bool, today_text: str | None):
    """List pledges due for renewal (validity ending within DAYS or ended, not yet renewed) and remind once.

    One tab-separated line per pledge on standard output; the buyer who recorded it (else every buyer)
    and the supplier are notified like certificate expiry: once per pledge and state.
    """
    from supplychain import db
    from supplychain.services.daily_work import inbox, notifications

    try:
        today = date.fromisoformat(today_text) if today_text else clock.today()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    days = int(current_app.config["CERT_EXPIRY_WARNING_DAYS"]) if days is None else days
    rows = inbox.pledges_due(db.session, today, days)
    for pledge, supplier in rows:
        state = "expired" if pledge.valid_until < today else f"{(pledge.valid_until - today).days}d"
        click.echo("\t".join((pledge.valid_until.isoformat(), state, pledge.kind, supplier.name_zh,
                              supplier.credit_code or "-", pledge.signatory_name)))
    click.echo(f"{len(rows)} pledges due for renewal within {days} days.", err=True)
    tell_and_mail(lambda now: notifications.remind_pledges(db.session, rows, today, now), no_mail)
