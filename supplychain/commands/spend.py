"""`flask spend …` and `flask receipts …`: purchasing data from the command line."""

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup

RECOMPUTE_WAIT_SECONDS = 3600
MAX_SHOWN = 500  # a file with a wrong column can fail every line: show the first ones and count the rest

group = AppGroup("spend", help="The spend ledger (what each organisation paid each supplier, by month).")


def _import(kind: str, file: Path, lang: str) -> None:
    """Import a spend or receipts file as one batch; print every bad line (up to MAX_SHOWN) or a summary."""
    from flask import current_app
    from flask_babel import force_locale
    from flask_babel import gettext as _
    from sqlalchemy.exc import IntegrityError

    from supplychain import db, jobs
    from supplychain.services.purchasing import receipts, spend
    from supplychain.services.purchasing.batches import BatchRejected
    from supplychain.services.risk import recompute_job

    service = spend if kind == "spend" else receipts
    with force_locale(lang):
        started = time.perf_counter()
        try:
            result = service.import_file(db.session, file.name, file.read_bytes(), None)
            db.session.commit()
        except BatchRejected as rejected:
            db.session.rollback()
            # "line N (external id): column: message", the same shape in every language, easy to grep.
            for error in rejected.lines[:MAX_SHOWN]:
                click.echo(str(error), err=True)
            if len(rejected.lines) > MAX_SHOWN:
                click.echo(_("… and %(n)d more errors.", n=len(rejected.lines) - MAX_SHOWN), err=True)
            lines = {error.line for error in rejected.lines}
            click.echo(_("%(n)d errors on %(lines)d lines: nothing was saved.", n=len(rejected.lines),
                         lines=len(lines)), err=True)
            sys.exit(1)
        except IntegrityError:  # another import saved some of the same lines meanwhile
            db.session.rollback()
            click.echo(_("The ledger changed while importing; nothing was saved. Import the file again."), err=True)
            sys.exit(1)
        seconds = time.perf_counter() - started
        click.echo(_("Imported %(rows)d lines: %(created)d new, %(unchanged)d already in the ledger "
                     "(%(seconds).1f s).", rows=result.total, created=result.created, unchanged=result.unchanged,
                     seconds=seconds))
        if service is spend and result.created:
            # Every supplier's share of spend moved: one whole risk recompute in the background (see the API).
            job, new = jobs.enqueue_once(db.session, current_app._get_current_object(), recompute_job.KIND, {}, None)
            click.echo(_("Every supplier's risk tier is recomputed in the background (job %(id)d).", id=job.id)
                       if new else _("A risk recompute job (%(id)d) is already queued; it will count this spend.",
                                     id=job.id))
            # Without Redis the job runs in a thread of this process: let it finish before the command exits.
            jobs.wait(job.id, timeout=RECOMPUTE_WAIT_SECONDS)


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_command(file: Path, lang: str):
    """Import spend lines from a CSV or XLSX FILE: all lines or none; importing again changes nothing.

    Columns (English or Chinese headers): external_id, organisation, credit_code (or supplier_id), category,
    month (YYYY-MM), amount, currency, order_count.
    """
    _import("spend", file, lang)


receipts_group = AppGroup("receipts", help="Purchase receipts (due and received dates, quantities accepted).")


@receipts_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
def import_receipts_command(file: Path, lang: str):
    """Import receipt lines from a CSV or XLSX FILE: all lines or none; importing again changes nothing.

    Columns (English or Chinese headers): external_id, organisation, credit_code (or supplier_id), category,
    po_line, due_on, received_on (YYYY-MM-DD), quantity_received, quantity_accepted, quantity_rejected.
    """
    _import("receipts", file, lang)
