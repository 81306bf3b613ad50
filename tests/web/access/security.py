"""Account security pages: every logged-in user changes their own password."""

from tests.web.access import ROLES

RULES = {
    # An empty post re-renders the form with its errors.
    "auth.change_password": {"GET": {role: 302 if role == "anonymous" else 200 for role in ROLES},
                             "POST": {role: 302 if role == "anonymous" else 200 for role in ROLES}},
}


def sample(session) -> dict:
    """No URL arguments."""
    return {}
