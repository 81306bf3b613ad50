"""Large supplier and evidence imports as background jobs (issue 15): the request stages the file and returns at
once; a job (RQ worker or a thread of the app, supplychain.jobs) checks it for the preview, or checks and saves
it, all rows or none, and reports progress as rows are checked and saved.

The import runs in a session of its own, so the job's progress row can be updated meanwhile. SQLite lets
only one connection write at a time, so there the progress is kept in memory (a thread of the same
process runs the job) and written to the job row when the import has committed.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from supplychain.import_labels import column_title, problem_text
from supplychain.importing.columns import Header
from supplychain.models import BackgroundJob, User
from supplychain.services.core import attachments
from supplychain.services.imports import evidence_import, importer

KIND = "supplier_import"
CHECK_KIND = "supplier_import_check"  # the preview's check of a large file, before anything is saved
EVIDENCE_KIND = "evidence_import"  # a large file of past evidence, saved
EVIDENCE_CHECK_KIND = "evidence_import_check"  # ... and checked for its preview
KINDS = (KIND, CHECK_KIND, EVIDENCE_KIND, EVIDENCE_CHECK_KIND)
SHOWN = 1000  # errors, warnings and notes kept on a check job for its page
SHOWN_CHANGES = 200
_live: dict[int, tuple[int, int]] = {}  # job id -> (rows saved, rows) while an import runs in this process
_lock = threading.Lock()
ERRORS_KEPT = 500  # problems kept on the job for the page; the count says how many there were



class _Progress:
    """Rows done, reported to the live table of this process and, except on SQLite (its one writer is busy
    with the import itself), as the job's progress; `finish` brings the job's count up to the total."""

    def __init__(self, job_id: int, step, sqlite: bool) -> None:
        self.job_id, self.step, self.sqlite, self.reported = job_id, step, sqlite, 0

    def __call__(self, done: int, total: int) -> None:
        with _lock:
            _live[self.job_id] = (done, total)
        if not self.sqlite:
            self.step(done - self.reported)
            self.reported = done

    def finish(self, total: int) -> None:
        self.step(max(0, total - self.reported))


def settings_for_job(app, job: BackgroundJob) -> dict:
    """Nothing from the app's settings is needed beyond what the job's params carry."""
    return {}


def plan(session: Session, job: BackgroundJob, settings: dict) -> list[int]:
    """One part: an all-or-nothing import cannot be split over workers."""
    job.progress_total = int((job.params or {}).get("rows") or 0)
    return [0]


def live_progress(job: BackgroundJob) -> tuple[int, int]:
    """(rows saved, rows) of a job: from memory while it runs in this process, else from its row."""
    with _lock:
        found = _live.get(job.id)
    return found if found else (job.progress_done or 0, job.progress_total or 0)


@contextmanager
def _working(session: Session, job: BackgroundJob, step, remove: tuple[str, ...] = ()):
    """A session of its own for one job, the job's parameters, the user who started it and the progress
    reporter, in that user's language. Whatever was not committed is rolled back; `remove` names the
    parameters whose staged files are deleted afterwards."""
    from flask_babel import force_locale

    params = dict(job.params or {})
    work = Session(bind=session.get_bind())
    progress = _Progress(job.id, step, work.get_bind().dialect.name == "sqlite")
    try:
        actor = work.get(User, params["user_id"]) if params.get("user_id") else None
        with force_locale(params.get("lang") or "zh"):
            yield work, params, actor, progress
    finally:
        work.rollback()
        work.close()
        with _lock:
            _live.pop(job.id, None)
        for name in remove:
            if params.get(name):
                Path(params[name]).unlink(missing_ok=True)


def run_part(session: Session, job: BackgroundJob, index: int, payload, settings: dict, step) -> None:
    """Read, check and save the staged file in a session of its own; the result (or every problem) on the job."""
    with _working(session, job, step, remove=("path",)) as (work, params, actor, progress):
        plan_, result = importer.import_file(
            work, params.get("filename") or "", Path(params["path"]).read_bytes(), actor,
            date.fromisoformat(params["today"]), options=importer.ImportOptions(**params.get("options", {})),
            encoding=params.get("encoding") or None, mapping=params.get("mapping") or None,
            accept_warnings=bool(params.get("accept_warnings")), progress=progress)
        if result is None:
            work.rollback()
            problems = plan_.errors or plan_.warnings
            job.result = {"ok": False, "count": len(problems),
                          "errors": [problem_text(error, plan_.header) for error in problems[:ERRORS_KEPT]]}
        else:
            work.commit()
            job.result = {"ok": True, "rows": plan_.total_rows, "created": result.created,
                          "updated": result.updated, "unchanged": result.unchanged,
                          "statuses": result.statuses}
            job.progress_total = plan_.total_rows  # the estimate of the rows gives way to the count
            progress.finish(plan_.total_rows)


def finish(session: Session, job: BackgroundJob, settings: dict) -> None:
    """The result was set by the part; nothing to assemble."""


def summary(plan: importer.ImportPlan) -> dict:
    """What the preview page shows of a plan, as plain data a job can keep (texts in the reader's language)."""
    problems = partial(_problems, header=plan.header)
    return {
        "ok": plan.ok, "rows": plan.total_rows, "creates": len(plan.creates), "updates": len(plan.updates),
        "changed": len(plan.changed_updates), "bad_lines": len(plan.bad_lines),
        "errors": problems(plan.errors), "error_count": len(plan.errors),
        "warnings": problems(plan.warnings), "warning_count": len(plan.warnings),
        "notes": problems(plan.notes), "note_count": len(plan.notes),
        "encoding": plan.encoding.label if plan.encoding else None,
        "encoding_certain": bool(plan.encoding.certain) if plan.encoding else True,
        "ignored": list(plan.ignored_columns),
        "changes": [[row.line, row.supplier_id, row.clean.name_zh, [[c.field, c.old, c.new] for c in row.changes]]
                    for row in plan.changed_updates[:SHOWN_CHANGES]],
    }


def run_check(session: Session, job: BackgroundJob, index: int, payload, settings: dict, step) -> None:
    """Read and check a staged file (nothing is written); the preview's summary goes on the job."""
    with _working(session, job, step) as (work, params, actor, progress):
        plan_ = importer.plan_file(
            work, params.get("filename") or "", Path(params["path"]).read_bytes(), actor,
            date.fromisoformat(params["today"]), importer.ImportOptions(**params.get("options", {})),
            params.get("encoding") or None, params.get("mapping") or None, progress=progress)
        job.result = summary(plan_) | {"token": params.get("token")}
        job.progress_total = plan_.total_rows
        progress.finish(plan_.total_rows)


def plan_check(session: Session, job: BackgroundJob, settings: dict) -> list[int]:
    """One part; the total is the estimated number of rows until the file is read."""
    job.progress_total = int((job.params or {}).get("rows") or 0)
    return [0]


def evidence_settings(app, job: BackgroundJob) -> dict:
    """Where the scans of a pledge file are stored, and how large one may be (the app's settings)."""
    return {"store": attachments.Store.from_settings(app.config, app.instance_path)}


def _problems(found, header: Header | None, vocabulary: str = "suppliers") -> list[list]:
    """The first problems as [line, column as the user knows it (in the words of the file's kind), message], in
    the reader's language."""
    return [[e.line, column_title(e.field, header, vocabulary), str(e.message)] for e in found[:SHOWN]]


def evidence_summary(plan: evidence_import.EvidencePlan) -> dict:
    """What the evidence preview shows of a plan, as plain data a job can keep (texts in the reader's language)."""
    return {"ok": plan.ok, "kind": plan.kind, "rows": plan.total_rows, "count": plan.count,
            "errors": _problems(plan.errors, plan.header, plan.kind), "error_count": len(plan.errors),
            "warnings": _problems(plan.warnings, plan.header, plan.kind), "warning_count": len(plan.warnings),
            "notes": _problems(plan.notes, plan.header, plan.kind), "note_count": len(plan.notes),
            "encoding": plan.encoding.label if plan.encoding else None}


def _evidence_inputs(params: dict) -> tuple[bytes, bytes | None]:
    scans = params.get("scans_path")
    return Path(params["path"]).read_bytes(), (Path(scans).read_bytes() if scans else None)


def run_evidence_check(session: Session, job: BackgroundJob, index: int, payload, settings: dict, step) -> None:
    """Read and check a staged evidence file (nothing is written); the preview's summary goes on the job."""
    with _working(session, job, step) as (work, params, actor, progress):
        data, scans = _evidence_inputs(params)
        plan_ = evidence_import.plan_file(
            work, params["kind"], params.get("filename") or "", data, date.fromisoformat(params["today"]),
            params.get("encoding") or None, params.get("mapping") or None, scans_zip=scans,
            max_scan_bytes=settings["store"].max_bytes,
            actor=actor, progress=progress)
        job.result = evidence_summary(plan_) | {"token": params.get("token") if plan_.ok and plan_.count else None}
        job.progress_total = plan_.total_rows
        progress.finish(plan_.total_rows)


def run_evidence(session: Session, job: BackgroundJob, index: int, payload, settings: dict, step) -> None:
    """Check the staged evidence file again and save every record, or none; the result (or every problem, by
    line and column) on the job. The staged files are removed."""
    with _working(session, job, step, remove=("path", "scans_path")) as (work, params, actor, progress):
        data, scans = _evidence_inputs(params)
        plan_, saved = evidence_import.import_file(
            work, params["kind"], params.get("filename") or "", data, actor, date.fromisoformat(params["today"]),
            encoding=params.get("encoding") or None, mapping=params.get("mapping") or None, scans_zip=scans,
            store=settings["store"],
            accept_warnings=bool(params.get("accept_warnings")), progress=progress)
        if saved is None:
            work.rollback()
            job.result = evidence_summary(plan_) | {"ok": False, "saved": 0}
            job.progress_total = plan_.total_rows
        else:
            work.commit()
            job.result = evidence_summary(plan_) | {"saved": saved}
            job.progress_total = plan_.count
            progress.finish(plan_.count)
