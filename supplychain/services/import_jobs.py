"""Large supplier imports as a background job (issue 15): the request stages the file and returns at once;
a job (RQ worker or a thread of the app, supplychain.jobs) checks and saves it, all rows or none, and
reports progress as rows are saved.

The import runs in a session of its own, so the job's progress row can be updated meanwhile. SQLite lets
only one connection write at a time, so there the progress is kept in memory (a thread of the same
process runs the job) and written to the job row when the import has committed.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from supplychain.models import BackgroundJob, User
from supplychain.services import importer

KIND = "supplier_import"
_live: dict[int, tuple[int, int]] = {}  # job id -> (rows saved, rows) while an import runs in this process
_lock = threading.Lock()
ERRORS_KEPT = 500  # problems kept on the job for the page; the count says how many there were


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


def run_part(session: Session, job: BackgroundJob, index: int, payload, settings: dict, step) -> None:
    """Read, check and save the staged file in a session of its own; the result (or every problem) on the job."""
    from flask_babel import force_locale

    params = dict(job.params or {})
    path = Path(params["path"])
    work = Session(bind=session.get_bind())
    sqlite = work.get_bind().dialect.name == "sqlite"
    reported = [0]

    def progress(done: int, total: int) -> None:
        with _lock:
            _live[job.id] = (done, total)
        if not sqlite:
            step(done - reported[0])
            reported[0] = done

    try:
        actor = work.get(User, params["user_id"]) if params.get("user_id") else None
        options = importer.ImportOptions(**params.get("options", {}))
        with force_locale(params.get("lang") or "zh"):
            plan_, result = importer.import_file(
                work, params.get("filename") or "", path.read_bytes(), actor, date.fromisoformat(params["today"]),
                options=options, encoding=params.get("encoding") or None, mapping=params.get("mapping") or None,
                accept_warnings=bool(params.get("accept_warnings")), progress=progress)
            if result is None:
                work.rollback()
                problems = plan_.errors or plan_.warnings
                job.result = {"ok": False, "count": len(problems),
                              "errors": [str(error) for error in problems[:ERRORS_KEPT]]}
            else:
                work.commit()
                job.result = {"ok": True, "rows": plan_.total_rows, "created": result.created,
                              "updated": result.updated, "unchanged": result.unchanged,
                              "statuses": result.statuses}
        step(max(0, (job.progress_total or 0) - reported[0]) if job.result.get("ok") else 0)
    except Exception:
        work.rollback()
        raise
    finally:
        work.close()
        with _lock:
            _live.pop(job.id, None)
        path.unlink(missing_ok=True)


def finish(session: Session, job: BackgroundJob, settings: dict) -> None:
    """The result was set by the part; nothing to assemble."""
