"""Data-safety routes (issue 14): removing evidence with a reason, and the removed-evidence page."""

from __future__ import annotations

from tests.evidence_factories import gen_action, gen_incident, gen_training
from tests.factories import gen_supplier
from tests.web.access import EDITORS, allow

READERS = ("admin", "auditor")

RULES = {
    "removals.index": {"GET": allow(READERS)},
    # An empty post (no reason) removes nothing and goes back to the record's page with the error.
    "removals.training": {"POST": allow(EDITORS, ok=302)},
    "removals.incident": {"POST": allow(EDITORS, ok=302)},
    "removals.corrective_action": {"POST": allow(EDITORS, ok=302)},
}


def sample(session) -> dict:
    """A training, an incident and an action to remove."""
    supplier = gen_supplier(session, name_zh="删除抽样供应商有限公司")
    incident = gen_incident(session, supplier)
    return {"training_id": gen_training(session).id, "incident_id": incident.id,
            "action_id": gen_action(session, supplier, incident).id}
