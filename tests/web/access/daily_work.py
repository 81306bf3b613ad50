"""Daily-work routes (issue 13): the supplier picker, the inbox, notifications, bulk work."""

from __future__ import annotations

from tests.web.access import STAFF, allow

RULES = {
    "picker.lookup": {"GET": allow(STAFF)},
}


def sample(session) -> dict:
    """No URL arguments yet."""
    return {}
