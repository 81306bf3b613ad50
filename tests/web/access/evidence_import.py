"""Importing past evidence: procurement and admins only."""

from supplychain.models import BackgroundJob
from supplychain.services.imports import import_jobs
from tests.web.access import EDITORS, allow

RULES = {
    # A POST without a file re-renders the upload form with its error.
    "evidence_import.upload": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    # A POST without a staged file redirects back to the upload page with a message.
    "evidence_import.confirm": {"POST": allow(EDITORS, ok=302)},
    # Reading a staged file again (mapping, encoding): without one, a redirect to the upload page with a message.
    "evidence_import.recheck": {"POST": allow(EDITORS, ok=302)},
    # A background evidence import is seen by the one who started it and by admins: the sample is nobody's.
    "evidence_import.job": {"GET": {**allow(EDITORS), "procurement": 404}},
    # The CSV of every problem of a preview is its owner's only (report_token: see supplier_import.sample).
    "evidence_import.problems": {"GET": allow(EDITORS, ok=404)},
}


def sample(session) -> dict:
    """A finished background evidence import started by nobody in particular."""
    job = BackgroundJob(kind=import_jobs.EVIDENCE_KIND, params={"kind": "certificates", "filename": "c.csv", "rows": 1},
                        status="finished", attempts=1, progress_done=1, progress_total=1, backend="thread",
                        result={"ok": True, "kind": "certificates", "rows": 1, "count": 1, "saved": 1, "errors": [],
                                "error_count": 0, "warnings": [], "warning_count": 0, "notes": [], "note_count": 0,
                                "encoding": "UTF-8"})
    session.add(job)
    session.flush()
    return {"evidence_job_id": job.id}
