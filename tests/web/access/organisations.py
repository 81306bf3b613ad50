"""The organisations of the group: administrators only."""

from tests.factories import gen_organisation, gen_root
from tests.web.access import allow

ADMIN = ("admin",)

RULES = {
    "organisations.index": {"GET": allow(ADMIN)},
    "organisations.create": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},  # empty form: errors shown
    "organisations.edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},
    "organisations.close": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},  # no reason: errors shown
    "organisations.reopen": {"POST": allow(ADMIN, ok=302)},  # not closed: refused with a message
}


def sample(session) -> dict:
    """An open subsidiary under the root."""
    gen_root(session)
    return {"organisation_id": gen_organisation(session, "ACCESS-SUB").id}
