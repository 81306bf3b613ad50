"""`flask scorecards …`: export a period's scorecards as a ZIP with a progress bar; retry a failed export."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

group = AppGroup("scorecards", help="Scorecards of final evaluations.")
POLL_SECONDS = 0.5


def _echo_errors(errors: dict) -> None:
    for field, messages in errors.items():
        for message in messages:
            click.echo(f"--{field}: {message}", err=True)


def _follow(job_id: int, inline: bool) -> object:
    """Run (inline) or watch (RQ) a job with a progress bar; returns the job when it stops."""
    from supplychain import db, jobs
    from supplychain.models import BackgroundJob

    app = current_app._get_current_object()
    bar = None

    def show(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total:
            bar = click.progressbar(length=total, label="scorecards", show_pos=True, file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        if inline:
            job = jobs.run_inline(db.session, app, job_id, show)
        else:
            while True:
                db.session.expire_all()
                job = db.session.get(BackgroundJob, job_id)
                show(job.progress_done, job.progress_total)
                if job.status in ("finished", "failed"):
                    break
                time.sleep(POLL_SECONDS)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if bar is not None and not sys.stderr.isatty():
        # Not a terminal (a log, a pipe): the bar draws nothing, so say where it got to.
        click.echo(f"scorecards {bar.pos}/{bar.length}", err=True)
    return job


def _report(job, out: Path | None) -> None:
    """Copy the ZIP to --out and say what happened; exit 1 when the job or a supplier failed."""
    from flask_babel import gettext as _

    from supplychain.services.evaluation import exports

    if job.status == "failed":
        click.echo(_("Export #%(id)d failed: %(error)s", id=job.id, error=job.error), err=True)
        click.echo(_("Run it again with: flask scorecards retry %(id)d", id=job.id), err=True)
        sys.exit(1)
    result = job.result or {}
    if result.get("empty"):
        click.echo(_("No final evaluations match this period and these filters: there is nothing to export."))
        return
    path = exports.output_file(job, exports.export_folder(current_app.config, current_app.instance_path))
    if path is not None and out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
    click.echo(_("%(n)d scorecards exported to %(path)s.", n=result.get("exported", 0), path=out or path))
    failures = job.failures
    if failures:
        click.echo(_("%(n)d suppliers failed:", n=len(failures)), err=True)
        for failure in failures:
            click.echo(
                f"  {failure.get('supplier_id') or '-'}\t{failure.get('supplier_name_zh') or ''}\t"
                f"E{failure.get('evaluation_id')}\t{failure.get('error')}",
                err=True,
            )
        click.echo(_("Run it again with: flask scorecards retry %(id)d", id=job.id), err=True)
        sys.exit(1)


@group.command("export")
@click.option("--period", required=True, help="2024, 2024-H1 or 2024-Q3.")
@click.option("--category", default="", help="Supply category code.")
@click.option(
    "--region",
    default="",
    help="Region key: north, northeast, east, central, south, southwest, northwest, overseas.",
)
@click.option("--grade", default="", help="Grade key (excellent, qualified, conditional, unqualified…).")
@click.option("--lang", "language", default="both", show_default=True, help="zh, en or both.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The ZIP to write."
)
@click.option(
    "--base-url",
    default=None,
    help="Where the verification page is served (QR codes); default PUBLIC_BASE_URL.",
)
@click.option("--in-process", is_flag=True, help="Run here even when REDIS_URL is set.")
def export_command(
    period: str,
    category: str,
    region: str,
    grade: str,
    language: str,
    out: Path,
    base_url: str | None,
    in_process: bool,
):
    """Export every final evaluation's scorecard of a period into one ZIP (with index.csv and index.xlsx)."""
    from supplychain import db, jobs
    from supplychain.clock import today
    from supplychain.errors import ValidationFailed
    from supplychain.services.evaluation import exports, scorecards

    raw = {"period": period, "category": category, "region": region, "grade": grade, "language": language}
    try:
        filters = exports.parse_filters(db.session, raw, today())
    except ValidationFailed as failed:
        _echo_errors(failed.errors)
        sys.exit(2)
    params = {
        **filters.as_params(),
        "base_url": scorecards.settings_from(current_app.config, base_url, explicit=bool(base_url)).base_url,
        "explicit_base_url": bool(base_url),
    }
    inline = in_process or not jobs.uses_rq(current_app.config)
    if inline:
        job = jobs.create_inline(db.session, exports.KIND, params)
    else:
        job = jobs.enqueue(db.session, current_app._get_current_object(), exports.KIND, params, None)
        click.echo(f"job {job.id} queued on RQ ({jobs.QUEUE}); waiting for the workers…", err=True)
    _report(_follow(job.id, inline), out)


@group.command("retry")
@click.argument("job_id", type=int)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Copy the ZIP here."
)
def retry_command(job_id: int, out: Path | None):
    """Run a failed export (or one with failed suppliers) again."""
    from flask_babel import gettext as _

    from supplychain import db, jobs
    from supplychain.services.evaluation import exports

    job = exports.get_job(db.session, job_id)
    if job is None or not jobs.can_retry(job):
        click.echo(_("Only a failed export, or one with failed suppliers, can be run again."), err=True)
        sys.exit(2)
    inline = not jobs.uses_rq(current_app.config)
    jobs.retry(db.session, current_app._get_current_object(), job, inline=inline)
    _report(_follow(job_id, inline), out)


@group.command("jobs")
@click.option("--limit", default=20, show_default=True)
def jobs_command(limit: int):
    """The latest exports: id, status, progress, filters."""
    from supplychain import db
    from supplychain.services.evaluation import exports

    for job in exports.page(db.session, limit).jobs:
        params = exports.filters_summary(job.params or {})
        filters = " ".join(f"{k}={v}" for k, v in params.items() if v)
        click.echo(
            f"{job.id}\t{job.status}\t{job.progress_done}/{job.progress_total}\t{len(job.failures)} failed"
            f"\t{filters}\t{job.error or ''}"
        )
