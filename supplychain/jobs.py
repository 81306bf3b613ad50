"""Background jobs: on RQ workers when REDIS_URL is set, else in a thread of the app process.

A job is a :class:`~supplychain.models.BackgroundJob` row; its kind (see ``_kinds``) splits the
work into parts. With RQ every part is an RQ job of its own, so several workers, on several
machines sharing the database and the export folder, work on one export at once; a last RQ job,
dependent on all parts, assembles the result. Without Redis, the same plan, parts and
assembly run one after another in a daemon thread (or in the caller, for the CLI).

Progress is counted in SQL (``progress_done = progress_done + n``), so parts running at once never
lose each other's counts. Each run has an attempt number; a retry starts a new attempt and
whatever a part of an older attempt still writes is ignored.

Worker command (see README "Reports and exports")::

    rq worker --url "$REDIS_URL" --worker-class supplychain.worker.AppWorker supplychain

The worker entry point (``supplychain.worker``) creates the app and hands it over with ``use_app``;
this module never imports the app factory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from supplychain import clock, db, scope
from supplychain.models import BackgroundJob, User
from supplychain.models.base import utcnow

log = logging.getLogger(__name__)

QUEUE = "supplychain"
PART_TIMEOUT = 3600  # seconds an RQ part may run
STALE_AFTER = timedelta(minutes=15)  # a running job silent this long has lost its process

_threads: dict[int, threading.Thread] = {}
_app = None  # the app of an RQ worker process, handed over by its entry point (see use_app)


class QueueUnavailable(Exception):
    """REDIS_URL is set but the queue cannot be reached."""


@dataclass(frozen=True)
class JobKind:
    """How a kind of job runs: plan the parts, run one part, assemble the result."""

    plan: Callable[[Session, BackgroundJob, Any], list]
    run_part: Callable[[Session, BackgroundJob, int, Any, Any, Callable[[int], None]], None]
    finish: Callable[[Session, BackgroundJob, Any], None]
    settings: Callable[[Any, BackgroundJob], Any]  # (app, job) -> the kind's settings


def _kinds() -> dict[str, JobKind]:
    from supplychain.services.evaluation import bulk, exports
    from supplychain.services.imports import import_jobs
    from supplychain.services.risk import campaigns, recompute_job

    return {exports.KIND: JobKind(exports.plan, exports.run_part, exports.finish, exports.settings_for_job),
            import_jobs.KIND: JobKind(import_jobs.plan, import_jobs.run_part, import_jobs.finish,
                                      import_jobs.settings_for_job),
            import_jobs.CHECK_KIND: JobKind(import_jobs.plan_check, import_jobs.run_check, import_jobs.finish,
                                            import_jobs.settings_for_job),
            import_jobs.EVIDENCE_KIND: JobKind(import_jobs.plan, import_jobs.run_evidence, import_jobs.finish,
                                               import_jobs.evidence_settings),
            import_jobs.EVIDENCE_CHECK_KIND: JobKind(import_jobs.plan_check, import_jobs.run_evidence_check,
                                                     import_jobs.finish, import_jobs.evidence_settings),
            bulk.APPROVE_KIND: JobKind(bulk.plan, bulk.run_part, bulk.finish, bulk.settings_for_job),
            bulk.SUBMIT_KIND: JobKind(bulk.plan, bulk.run_part, bulk.finish, bulk.settings_for_job),
            recompute_job.KIND: JobKind(recompute_job.plan, recompute_job.run_part, recompute_job.finish,
                                        recompute_job.settings_for_job),
            campaigns.KIND: JobKind(campaigns.plan, campaigns.run_part, campaigns.finish, campaigns.settings_for_job)}


KIND_NAMES = ("scorecard_export", "supplier_import", "supplier_import_check", "evidence_import",
              "evidence_import_check", "bulk_approve", "bulk_submit", "risk_recompute",
              "campaign_invite")


# --------------------------------------------------------------------------------------------- creating


def _now() -> datetime:
    return clock.now()


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def uses_rq(config) -> bool:
    """True when jobs go to RQ workers (REDIS_URL set)."""
    return bool(config.get("REDIS_URL"))


def _new_job(kind: str, params: dict, actor: User | None, backend: str, waiting_key: str | None = None
             ) -> BackgroundJob:
    return BackgroundJob(kind=kind, params=dict(params), status="queued", attempts=1, progress_done=0,
                         progress_total=0, backend=backend, created_by_id=getattr(actor, "id", None),
                         waiting_key=waiting_key)


def _backend(app) -> str:
    return "rq" if uses_rq(app.config) else "thread"


def enqueue(session: Session, app, kind: str, params: dict, actor: User | None) -> BackgroundJob:
    """Create a job and start it (RQ or thread); commits. A queue that cannot be reached fails the job."""
    if kind not in _kinds():
        raise ValueError(f"unknown job kind {kind!r}")
    job = _new_job(kind, params, actor, _backend(app))
    session.add(job)
    session.commit()
    _dispatch(session, app, job)
    return job


def waiting(session: Session, kind: str) -> BackgroundJob | None:
    """A job of this kind that is queued and not started yet (nor silent so long that it is lost), whoever
    started it."""
    queued = session.scalars(scope.unscoped(select(BackgroundJob).where(
        BackgroundJob.kind == kind, BackgroundJob.status == "queued", BackgroundJob.started_at.is_(None))
        .order_by(BackgroundJob.id)))
    return next((job for job in queued if not is_stale(job)), None)


def _holder(session: Session, kind: str) -> BackgroundJob | None:
    return session.scalar(scope.unscoped(select(BackgroundJob).where(BackgroundJob.waiting_key == kind)))


def enqueue_once(session: Session, app, kind: str, params: dict, actor: User | None) -> tuple[BackgroundJob, bool]:
    """Start a job unless one of the same kind is still waiting to start (it will read the same data then).

    Returns the job and whether it is new; commits. For work that only has to happen once after a change,
    however many changes come in before it starts (the risk recompute after spend batches).

    Truly once: the new job holds its kind in the unique `waiting_key` until it starts, so of two callers that
    both found nothing waiting (two batches committed at the same instant) the second's insert fails on the
    unique index (PostgreSQL makes it wait for the first to commit; SQLite writes one at a time) and it answers
    with the first one's job. A lost job (queued, silent longer than STALE_AFTER) gives its key up."""
    if kind not in _kinds():
        raise ValueError(f"unknown job kind {kind!r}")
    job = waiting(session, kind)
    if job is not None:
        return job, False
    lost = _holder(session, kind)
    if lost is not None and is_stale(lost):
        lost.waiting_key = None
    job = _new_job(kind, params, actor, _backend(app), waiting_key=kind)
    try:
        with session.begin_nested():  # only the job's insert is undone: the caller's changes are kept
            session.add(job)
    except IntegrityError:
        session.commit()
        holder = _holder(session, kind)
        if holder is not None:
            return holder, False
        return enqueue_once(session, app, kind, params, actor)  # it started in between: queue a new one
    session.commit()
    _dispatch(session, app, job)
    return job, True


def create_inline(session: Session, kind: str, params: dict, actor: User | None = None) -> BackgroundJob:
    """Create a job the caller runs itself with :func:`run_inline` (the CLI without Redis); commits."""
    job = _new_job(kind, params, actor, "inline")
    session.add(job)
    session.commit()
    return job


def _dispatch(session: Session, app, job: BackgroundJob) -> None:
    if job.backend == "rq":
        try:
            _queue(app.config["REDIS_URL"], app.config).enqueue(
                "supplychain.jobs.rq_start",
                job.id,
                job.attempts,
                job_timeout=PART_TIMEOUT,
                description=f"{job.kind} #{job.id}",
            )
        except Exception as exc:  # noqa: BLE001 - any Redis failure means the same to the user
            _fail(session, job.id, job.attempts, f"queue unreachable: {exc}")
        return
    job_id, attempt = job.id, job.attempts
    thread = threading.Thread(
        target=_thread_main, args=(app, job_id, attempt), name=f"job-{job_id}", daemon=True
    )
    _threads[job_id] = thread
    thread.start()


def _queue(url: str, config=None):
    from redis import Redis
    from rq import Queue

    from supplychain.outages import redis_options

    # Short timeouts: a Redis that is down or hung fails the job plainly (retryable), not the request.
    return Queue(QUEUE, connection=Redis.from_url(url, **redis_options(config or {})))


def can_retry(job: BackgroundJob, now: datetime | None = None) -> bool:
    """Failed, finished with failed items, or running without a sign of life for a long time."""
    now = now or _now()
    if job.status == "failed":
        return True
    if job.status == "finished":
        return bool(job.failures)
    last = _aware(job.heartbeat_at or job.started_at or job.created_at)
    return last is not None and now - last > STALE_AFTER


def is_stale(job: BackgroundJob, now: datetime | None = None) -> bool:
    """Queued or running but silent for longer than STALE_AFTER."""
    return job.status in ("queued", "running") and can_retry(job, now)


def retry(session: Session, app, job: BackgroundJob, inline: bool = False) -> BackgroundJob:
    """Run a job again as a new attempt (raises ValueError when it cannot be retried); commits.

    inline=True only resets it: the caller runs it with :func:`run_inline` (the CLI without Redis)."""
    if not can_retry(job):
        raise ValueError("this job cannot be retried")
    job.attempts = (job.attempts or 0) + 1
    job.status = "queued"
    job.progress_done = 0
    job.progress_total = 0
    job.result = None
    job.error = None
    job.output_path = None
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.backend = "inline" if inline else _backend(app)
    session.commit()
    if not inline:
        _dispatch(session, app, job)
    return job


def wait(job_id: int, timeout: float = 60) -> bool:
    """Wait for the in-process thread of a job (tests, CLI); True when it is done."""
    thread = _threads.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def wait_all(timeout: float = 60) -> None:
    """Wait for every job thread of this process (the tests empty the database after each test)."""
    for job_id in list(_threads):
        wait(job_id, timeout)


# --------------------------------------------------------------------------------------------- running


def _current(session: Session, job_id: int, attempt: int) -> BackgroundJob | None:
    """The job, if this attempt is still the current one."""
    session.expire_all()
    job = session.get(BackgroundJob, job_id)
    if job is None or job.attempts != attempt:
        return None
    # A job sees what the person who started it may see (a subsidiary's export holds only its records).
    creator = session.get(User, job.created_by_id) if job.created_by_id else None
    scope.activate(session, scope.for_organisation(session, creator.organisation)
                   if creator is not None and creator.is_staff else scope.EVERYTHING)
    return job


def add_progress(session: Session, job_id: int, count: int) -> None:
    """Count finished items of a job (atomic in SQL) and commit."""
    session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id)
        .values(progress_done=BackgroundJob.progress_done + count, heartbeat_at=utcnow())
    )
    session.commit()


def _start(session: Session, job_id: int, attempt: int) -> BackgroundJob | None:
    job = _current(session, job_id, attempt)
    if job is None:
        return None
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    job.waiting_key = None  # started: the next change queues a new one
    session.commit()
    return job


def _fail(session: Session, job_id: int, attempt: int, message: str) -> None:
    session.rollback()
    job = _current(session, job_id, attempt)
    if job is None:
        return
    job.status = "failed"
    job.waiting_key = None
    job.error = message[:2000]
    job.finished_at = utcnow()
    session.commit()


def _finish(session: Session, app, job: BackgroundJob, kind: JobKind) -> None:
    kind.finish(session, job, kind.settings(app, job))
    job.status = "finished"
    job.finished_at = job.heartbeat_at = utcnow()
    session.commit()


def run_inline(
    session: Session, app, job_id: int, progress: Callable[[int, int], None] | None = None
) -> BackgroundJob:
    """Run a job's plan, parts and assembly in the calling thread; progress(done, total) after each item."""
    attempt = session.get(BackgroundJob, job_id).attempts
    job = _start(session, job_id, attempt)
    if job is None:
        raise ValueError(f"job {job_id} is not current")
    kind = _kinds()[job.kind]
    try:
        settings = kind.settings(app, job)
        parts = kind.plan(session, job, settings)
        session.commit()
        total, done = job.progress_total, [0]

        def step(count: int) -> None:
            add_progress(session, job_id, count)
            done[0] += count
            if progress is not None:
                progress(done[0], total)

        for index, payload in enumerate(parts):
            kind.run_part(session, job, index, payload, settings, step)
        _finish(session, app, job, kind)
    except Exception as exc:
        log.exception("job %s failed", job_id)
        _fail(session, job_id, attempt, f"{type(exc).__name__}: {exc}")
    session.expire_all()
    return session.get(BackgroundJob, job_id)


def _thread_main(app, job_id: int, attempt: int) -> None:
    with app.app_context():
        try:
            if _current(db.session, job_id, attempt) is not None:
                run_inline(db.session, app, job_id)
        finally:
            db.session.remove()


# --------------------------------------------------------------------------------------------- RQ


def use_app(app) -> None:
    """The worker entry point (supplychain.worker.AppWorker) hands over the app its jobs run in."""
    global _app
    _app = app


def _worker_app():
    """The Flask app of this worker process: the current one (tests) or the one its entry point gave."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        raise RuntimeError("no app for the job: start RQ workers with --worker-class supplychain.worker.AppWorker")
    return _app


def _in_app(function: Callable, *args) -> Any:
    app = _worker_app()
    from flask import has_app_context

    if has_app_context():
        return function(app, *args)
    with app.app_context():
        try:
            return function(app, *args)
        finally:
            db.session.remove()


def rq_start(job_id: int, attempt: int) -> None:
    """RQ: plan the job, enqueue one RQ job per part and the assembly after them."""
    _in_app(_rq_start, job_id, attempt)


def _rq_start(app, job_id: int, attempt: int) -> None:
    from rq import Queue
    from rq.job import Dependency, Job

    session = db.session
    job = _start(session, job_id, attempt)
    if job is None:
        return
    kind = _kinds()[job.kind]
    try:
        settings = kind.settings(app, job)
        parts = kind.plan(session, job, settings)
        session.commit()
        if not parts:
            _finish(session, app, job, kind)
            return
        from rq import get_current_job

        current = get_current_job()
        queue = Queue(QUEUE, connection=current.connection) if current else _queue(app.config["REDIS_URL"])
        part_jobs: list[Job] = [
            queue.enqueue(
                "supplychain.jobs.rq_part",
                job_id,
                attempt,
                index,
                payload,
                job_timeout=PART_TIMEOUT,
                description=f"{job.kind} #{job_id} part {index + 1}/{len(parts)}",
            )
            for index, payload in enumerate(parts)
        ]
        queue.enqueue(
            "supplychain.jobs.rq_finish",
            job_id,
            attempt,
            job_timeout=PART_TIMEOUT,
            depends_on=Dependency(jobs=part_jobs, allow_failure=True),
            description=f"{job.kind} #{job_id} assembly",
        )
    except Exception as exc:
        log.exception("job %s failed while planning", job_id)
        _fail(session, job_id, attempt, f"{type(exc).__name__}: {exc}")


def rq_part(job_id: int, attempt: int, index: int, payload: Any) -> None:
    """RQ: run one part of a job (a part of an attempt that has been superseded does nothing)."""
    _in_app(_rq_part, job_id, attempt, index, payload)


def _rq_part(app, job_id: int, attempt: int, index: int, payload: Any) -> None:
    session = db.session
    job = _current(session, job_id, attempt)
    if job is None or job.status != "running":
        return
    kind = _kinds()[job.kind]
    kind.run_part(
        session,
        job,
        index,
        payload,
        kind.settings(app, job),
        lambda count: add_progress(session, job_id, count),
    )


def rq_finish(job_id: int, attempt: int) -> None:
    """RQ: assemble the result once every part has run (or failed)."""
    _in_app(_rq_finish, job_id, attempt)


def _rq_finish(app, job_id: int, attempt: int) -> None:
    session = db.session
    job = _current(session, job_id, attempt)
    if job is None or job.status != "running":
        return
    try:
        _finish(session, app, job, _kinds()[job.kind])
    except Exception as exc:
        log.exception("job %s failed while assembling", job_id)
        _fail(session, job_id, attempt, f"{type(exc).__name__}: {exc}")
