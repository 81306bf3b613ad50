"""Supplier portal, invitations, self-assessment review and editing, change requests.

Portal routes answer supplier users only. The supplier user of test_access belongs to its own new
supplier, so every portal URL naming an object of the sample's supplier is "not found" (404).
The ids pledge_id, action_id and evaluation_id come from the evidence and evaluation areas'
samples (objects of other suppliers); this module adds the portal's own objects.
"""

from __future__ import annotations

from datetime import date

from supplychain.models import SaqAnswer, SaqResponse
from tests.evidence_factories import gen_template
from tests.factories import gen_supplier
from tests.portal_factories import MINIMAL, gen_change_request, gen_invitation, gen_questionnaire, token
from tests.web.access import EDITORS, ROLES, STAFF, allow

ADMIN = ("admin",)
SUPPLIER = ("supplier",)
NOT_MINE = {role: 302 if role == "anonymous" else 403 for role in ROLES} | {"supplier": 404}


def _supplier_only(ok=200) -> dict:
    return allow(SUPPLIER, ok=ok)


def _both(statuses: set) -> dict:
    """A supplier's status depends on what ran before it (a self-assessment started or not)."""
    return {**allow(SUPPLIER), "supplier": statuses}


RULES = {
    "portal.home": {"GET": _supplier_only()},
    "portal.profile": {"GET": _supplier_only(), "POST": _supplier_only()},  # an empty post: "keep a contact"
    "portal.change_request": {"GET": _supplier_only(), "POST": _supplier_only()},
    "portal.certificates": {"GET": _supplier_only()},
    "portal.certificate_upload": {"GET": _supplier_only(), "POST": _supplier_only()},
    "portal.pledges": {"GET": _supplier_only()},
    "portal.pledge_sign": {"GET": _supplier_only(), "POST": _supplier_only()},
    "portal.pledge_pdf": {"GET": NOT_MINE},
    "portal.saq_index": {"GET": _supplier_only()},
    "portal.saq_start": {"POST": _supplier_only(ok=302)},
    # Without a self-assessment in progress: back to the overview; with one, the form (a post without
    # the response's id in its hidden field is "not found").
    "portal.saq_answer": {"GET": _both({200, 302}), "POST": _both({302, 404})},
    "portal.saq_view": {"GET": NOT_MINE},
    "portal.training_records": {"GET": _supplier_only()},
    "portal.actions": {"GET": _supplier_only()},
    "portal.action": {"GET": NOT_MINE, "POST": NOT_MINE},
    "portal.scorecards": {"GET": _supplier_only()},
    "portal.scorecard_pdf": {"GET": NOT_MINE},
    "portal.team": {"GET": _supplier_only(), "POST": _supplier_only()},
    "portal.team_revoke": {"POST": NOT_MINE},
    "invitations.index": {"GET": allow(STAFF)},
    "invitations.create": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "invitations.view": {"GET": allow(STAFF)},
    "invitations.revoke": {"POST": allow(EDITORS, ok=302)},
    # Anyone may open an invitation link; logged-in users are asked to log out first.
    "invitations.accept": {"GET": {role: 200 for role in ROLES}, "POST": {role: 200 for role in ROLES}},
    "saq_review.index": {"GET": allow(STAFF)},
    "saq_review.review": {
        "GET": allow(STAFF),
        "POST": allow(EDITORS),
    },  # no decisions: re-rendered with errors
    "change_requests.index": {"GET": allow(STAFF)},
    "change_requests.view": {"GET": allow(STAFF)},
    # Approving first updates the registry (302); the rejection that follows finds it decided (200).
    "change_requests.approve": {"POST": allow(EDITORS, ok={200, 302})},
    "change_requests.reject": {"POST": allow(EDITORS, ok={200, 302})},
    "saq_admin.index": {"GET": allow(ADMIN)},
    "saq_admin.load_default": {"POST": allow(ADMIN, ok=302)},
    "saq_admin.view": {"GET": allow(ADMIN)},
    "saq_admin.new_version": {"POST": allow(ADMIN, ok=302)},
    "saq_admin.publish": {"POST": allow(ADMIN, ok=302)},
    "saq_admin.header": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "saq_admin.question_new": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "saq_admin.question_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "saq_admin.question_delete": {"POST": allow(ADMIN, ok=302)},
}


def sample(session) -> dict:
    """A supplier with a submitted self-assessment, a pending invitation and a pending change request."""
    supplier = gen_supplier(session, name_zh="样本门户供应商有限公司")
    questionnaire = gen_questionnaire(session, MINIMAL)
    gen_template(session, "integrity", effective_on=date(2020, 1, 1))
    response = SaqResponse(
        supplier_id=supplier.id, questionnaire_id=questionnaire.id, status="submitted", submit_count=1
    )
    question = questionnaire.questions[0]
    response.answers.append(SaqAnswer(question_id=question.id, choices=["no"], points=0))
    session.add(response)
    invitation = gen_invitation(session, supplier)
    request = gen_change_request(session, supplier)
    session.flush()
    return {
        "response_id": response.id,
        "invitation_id": invitation.id,
        "token": token(invitation),
        "kind": "integrity",
        "questionnaire_id": questionnaire.id,
        "question_id": question.id,
        "request_id": request.id,
    }
