"""Expected status per route and role, one module per area; test_access.py merges them.

Each module defines RULES = {endpoint: {method: {role: status or set of statuses}}} and
sample(session) -> {url argument: value} creating the objects its URLs need.
"""

ROLES = ("anonymous", "supplier", "auditor", "reviewer", "procurement", "admin")
STAFF = ("auditor", "reviewer", "procurement", "admin")
EDITORS = ("procurement", "admin")


def allow(allowed, ok=200, anonymous=302, denied=403) -> dict:
    """Status per role: `ok` for the allowed roles, login redirect for anonymous, 403 for the rest."""
    return {role: ok if role in allowed else anonymous if role == "anonymous" else denied for role in ROLES}
