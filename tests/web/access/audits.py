"""Audits and inspections: staff read, procurement and admins record, admins edit the checklists."""

from datetime import date

from tests.audit_factories import gen_audit, gen_checklist, gen_finding
from tests.factories import gen_root, gen_supplier
from tests.web.access import EDITORS, STAFF, allow

ADMIN = ("admin",)
FORM = {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)}  # an empty post re-renders with errors

RULES = {
    "audits.index": {"GET": allow(STAFF)},
    "audits.plan": {"GET": allow(STAFF)},
    "audits.create": FORM,
    "audits.view": {"GET": allow(STAFF)},
    "audits.edit": FORM,
    "audits.results": FORM,
    "audits.add_finding": FORM,
    "audits.edit_finding": FORM,
    "audits.close": {"POST": allow(EDITORS, ok=302)},  # refused (findings open): back to the audit with a message
    "audits.checklists_index": {"GET": allow(STAFF)},
    "audits.checklist_view": {"GET": allow(STAFF)},
    "audits.checklist_new": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},
    "audits.checklist_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},
}


def sample(session) -> dict:
    """A held audit with a checklist and a major finding, at a supplier other than the supplier user's own."""
    supplier = gen_supplier(session, name_zh="审核抽样供应商有限公司", today=date(2025, 1, 1))
    template = gen_checklist(session)
    audit = gen_audit(session, supplier, organisation_id=gen_root(session).id, template=template)
    finding = gen_finding(session, audit)
    return {"audit_id": audit.id, "finding_id": finding.id, "checklist_id": template.id}
