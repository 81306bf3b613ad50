"""Importing past evidence: procurement and admins only."""

from tests.web.access import EDITORS, allow

RULES = {
    # A POST without a file re-renders the upload form with its error.
    "evidence_import.upload": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    # A POST without a staged file redirects back to the upload page with a message.
    "evidence_import.confirm": {"POST": allow(EDITORS, ok=302)},
}


def sample(session) -> dict:
    """No URL arguments."""
    return {}
