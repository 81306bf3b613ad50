"""Bulk import routes: procurement and admins only."""

from supplychain.models import BackgroundJob
from supplychain.services.imports import import_jobs
from tests.web.access import EDITORS, allow

RULES = {
    # A POST without a file re-renders the upload form with its error.
    "supplier_import.upload": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    # A POST without a staged file redirects back to the upload page with a message.
    "supplier_import.confirm": {"POST": allow(EDITORS, ok=302)},
    "supplier_import.recheck": {"POST": allow(EDITORS, ok=302)},
    # A background import is seen by the one who started it and by admins: the sample is nobody's.
    "supplier_import.job": {"GET": {**allow(EDITORS), "procurement": 404}},
    "supplier_import.template": {"GET": allow(EDITORS)},
    # The CSV of every problem of a preview is its owner's only: the sample report is nobody's.
    "supplier_import.problems": {"GET": allow(EDITORS, ok=404)},
}


def sample(session) -> dict:
    """A finished background import started by nobody in particular."""
    job = BackgroundJob(kind=import_jobs.KIND, params={"filename": "s.csv", "rows": 1}, status="finished",
                        attempts=1, progress_done=1, progress_total=1, backend="thread",
                        result={"ok": True, "rows": 1, "created": 1, "updated": 0, "unchanged": 0, "statuses": 0})
    session.add(job)
    session.flush()
    return {"job_id": job.id, "report_token": "no-such-report-of-problems"}
