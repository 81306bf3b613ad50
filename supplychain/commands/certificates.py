"""`flask certificates …`: the certificate expiry list for cron, with e-mails when SMTP is configured."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from supplychain import clock

group = AppGroup("certificates", help="Certificates and licences of suppliers.")


@group.command("expiring")
@click.option("--days", type=click.IntRange(0, 3650), default=None,
              help="Days ahead (default: the CERT_EXPIRY_WARNING_DAYS setting, 60).")
@click.option("--no-mail", is_flag=True, help="Only list, even when SMTP is configured.")
@click.option("--today", "today_text", default=None, metavar="YYYY-MM-DD", help="Pretend today is this day.")
def expiring(days: int | None, no_mail: bool, today_text: str | None):
    """List certificates expiring within DAYS or expired (renewed ones left out).

    One tab-separated line per certificate on standard output, a summary on standard error. Each buyer
    and the supplier (portal accounts and contacts) is notified once per certificate and state (in the
    app; by e-mail when MAIL_SERVER is set, or in the daily digest): a second run tells nobody again.
    """
    from supplychain import db
    from supplychain.services.evidence import certifications

    try:
        today = date.fromisoformat(today_text) if today_text else clock.today()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    config = current_app.config
    days = int(config["CERT_EXPIRY_WARNING_DAYS"]) if days is None else days
    rows = certifications.expiry_list(db.session, today, certifications.ExpiryFilters(days=days))
    for row in rows:
        cert = row.cert
        left = "expired" if row.status == "expired" else f"{row.days_left}d"
        click.echo("\t".join((cert.expires_on.isoformat(), left, row.status, row.supplier.name_zh,
                              row.supplier.credit_code or "-", certifications.type_label(cert), cert.number,
                              cert.issuer)))
    expired = sum(1 for row in rows if row.status == "expired")
    soon = len(rows) - expired
    click.echo(f"{len(rows)} certificates: {soon} expiring within {days} days, {expired} expired.", err=True)
    from supplychain.commands.notifications import tell_and_mail
    from supplychain.services.daily_work import notifications

    def remind(now):
        return notifications.remind_certificates(db.session, rows, today, now)

    tell_and_mail(remind, no_mail)
