"""List exports (XLSX/CSV) and the audit log page."""

from __future__ import annotations

from tests.web.access import ROLES, STAFF, allow

AUDIT_READERS = ("admin", "auditor")

RULES = {
    # The supplier list's export; every list shares the route (tests/web/test_list_exports.py covers the
    # audit log's narrower readers).
    "list_exports.download": {"GET": allow(STAFF)},
    "audit_log.index": {"GET": allow(AUDIT_READERS)},
    "main.favicon": {"GET": {role: 200 for role in ROLES}},
}


def sample(session) -> dict:
    """The export route needs a list name and a format."""
    return {"list_name": "suppliers", "fmt": "csv"}
