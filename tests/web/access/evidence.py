"""Evidence routes: pledges, certificates, training, incidents, corrective actions, blacklist, attachments."""

from __future__ import annotations

import os
from pathlib import Path

from supplychain.services.core import attachments
from tests.evidence_factories import (
    PDF,
    gen_action,
    gen_attendance,
    gen_blacklist_entry,
    gen_certificate,
    gen_incident,
    gen_pledge,
    gen_template,
    gen_training,
)
from tests.factories import gen_category, gen_credit_code, gen_supplier
from tests.web.access import EDITORS, ROLES, STAFF, allow

VERIFIERS = (*EDITORS, "reviewer")
ADMIN = ("admin",)
FORM = {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)}  # an empty post re-renders with errors

RULES = {
    "attachments.download": {"GET": {**allow(STAFF), "supplier": 404}},  # another supplier's file: not found
    "pledges.index": {"GET": allow(STAFF)},
    "pledges.missing": {"GET": allow(STAFF)},
    "pledges.templates": {"GET": allow(STAFF)},
    "pledges.template_view": {"GET": allow(STAFF)},
    "pledges.template_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},
    "pledges.create": FORM,
    "pledges.delete": {"POST": allow(EDITORS, ok=302)},
    "certificates.index": {"GET": allow(STAFF)},
    "certificates.create": FORM,
    "certificates.edit": FORM,
    "certificates.verify": {"GET": allow(VERIFIERS), "POST": allow(VERIFIERS, ok=200)},
    "certificates.delete": {"POST": allow(EDITORS, ok=302)},
    "trainings.index": {"GET": allow(STAFF)},
    "trainings.create": FORM,
    "trainings.edit": FORM,
    "trainings.view": {"GET": allow(STAFF)},
    "trainings.add_attendance": {"POST": allow(EDITORS, ok=200)},
    "trainings.supplier_attendance": FORM,
    "trainings.remove_attendance": {"POST": allow(EDITORS, ok=302)},
    "incidents.index": {"GET": allow(STAFF)},
    "incidents.create": FORM,
    "incidents.view": {"GET": allow(STAFF)},
    "incidents.edit": FORM,
    "corrective_actions.index": {"GET": allow(STAFF)},
    "corrective_actions.overdue": {"GET": allow(STAFF)},
    "corrective_actions.create": FORM,
    "corrective_actions.edit": FORM,
    "corrective_actions.view": {"GET": allow(STAFF)},
    "corrective_actions.submit_action": {"POST": allow(EDITORS, ok=200)},
    "corrective_actions.verify": {"POST": allow(VERIFIERS, ok=200)},
    "blacklist.index": {"GET": allow(STAFF)},
    "blacklist.create": FORM,
    "blacklist.view": {"GET": allow(STAFF)},
    "blacklist.lift": FORM,
    "requirements.index": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=302)},
}
assert set(ROLES) == set(RULES["attachments.download"]["GET"])


def _upload_folder() -> Path:
    # conftest puts the uploads beside the instance folder of the run (tmp_root/uploads).
    return Path(os.environ["INSTANCE_PATH"]).parent / "uploads"


def sample(session) -> dict:
    """One of each evidence record, for a supplier other than the supplier user's own."""
    gen_category(session)
    supplier = gen_supplier(session, name_zh="证据抽样供应商有限公司")
    store = attachments.Store(_upload_folder(), 1024 * 1024)
    clean, _ = attachments.check_upload(attachments.Upload("证书.pdf", PDF), store.max_bytes)
    attachment = attachments.store(session, clean, store, supplier.id, None)
    template = gen_template(session, "integrity")
    pledge = gen_pledge(session, supplier, "anti_bribery")
    cert = gen_certificate(session, supplier)
    cert.attachment_id = attachment.id
    training = gen_training(session)
    attendance = gen_attendance(session, training, supplier)
    incident = gen_incident(session, supplier)
    action = gen_action(session, supplier, incident)
    entry = gen_blacklist_entry(session, credit_code=gen_credit_code())
    return {"attachment_id": attachment.id, "template_id": template.id, "pledge_id": pledge.id,
            "cert_id": cert.id, "training_id": training.id, "attendance_id": attendance.id,
            "incident_id": incident.id, "action_id": action.id, "entry_id": entry.id}
