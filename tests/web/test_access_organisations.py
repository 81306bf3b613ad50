"""Isolation between organisations: a subsidiary's staff get nothing of another subsidiary's records.

Every route is walked with the ids of records that belong to subsidiary B (its suppliers, their
evidence, evaluations, relationships and accounts) by a user of subsidiary A, in every staff role:
each answers 403 (role not allowed) or 404 (outside the organisation scope), and no list page names
one of B's suppliers.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from supplychain.models import Supplier, SupplierRelationship, User
from supplychain.scope import ORGANISATION_RECORDS
from tests.factories import gen_organisation, gen_root, gen_user
from tests.web.access import STAFF
from tests.web.helpers import csrf_token, login
from tests.web.test_access import _area_modules, _routes, call_route

# URL arguments that name a record of one organisation (or of a supplier only some organisations buy from).
SCOPED_ARGUMENTS = {
    "action_id", "attachment_id", "attendance_id", "cert_id", "certificate_id", "evaluation_id",
    "final_evaluation_id", "incident_id", "invitation_id", "pledge_id", "relationship_id", "request_id",
    "response_id", "supplier_id", "training_id", "user_id", "organisation_id", "export_id", "project_id",
    "audit_id", "finding_id", "figure_id", "policy_id", "campaign_id", "recipient_id", "action_request_id",
    "bulk_job_id", "notification_id",
}
# The group master card shows every buyer what the group shares (name, credit code, status,
# qualification) and lets them start buying: that is the feature, not a leak (tested on its own).
SHARED_ENDPOINTS = {"relationships.card"}


def _move_everything_to(session, organisation) -> None:
    root = gen_root(session)
    for model in ORGANISATION_RECORDS:
        session.execute(update(model).values(organisation_id=organisation.id))
    session.execute(update(User).where(User.organisation_id == root.id).values(organisation_id=organisation.id))
    session.flush()


@pytest.mark.parametrize("role", STAFF)
def test_a_subsidiary_gets_nothing_of_another_subsidiarys_records(app, client, session, role):
    values: dict = {}
    for module in _area_modules():
        values.update(module.sample(session))
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    _move_everything_to(session, b)
    assert session.scalar(select(SupplierRelationship.id).where(SupplierRelationship.organisation_id != b.id)) is None
    names = [name for name in session.scalars(select(Supplier.name_zh))]
    user = gen_user(session, role, organisation=a)
    session.commit()
    assert login(client, user.email).status_code == 302
    token = csrf_token(client.get("/", follow_redirects=True).text)
    failures = []
    for rule, method in sorted(_routes(app), key=lambda item: item[0].endpoint == "auth.logout"):
        # The API answers bearer tokens only (401 to a session); tests/api/test_access.py isolates its clients.
        if rule.endpoint in SHARED_ENDPOINTS or rule.endpoint.startswith(("portal.", "verify.", "api_")):
            continue
        scoped = set(rule.arguments) & SCOPED_ARGUMENTS
        if not scoped and not (method == "GET" and not rule.arguments):
            continue
        url, response = call_route(app, client, rule, method, values, token)
        if scoped and response.status_code not in (403, 404):
            failures.append(f"{method} {url} as {role} of SUB-A: {response.status_code}, expected 403 or 404")
        if not scoped and response.status_code == 200 and response.mimetype in ("text/html", "text/csv",
                                                                                   "application/json"):
            body = response.get_data(as_text=True)
            leaked = [name for name in names if name in body]
            if leaked:
                failures.append(f"{method} {url} as {role} of SUB-A names SUB-B's suppliers: {leaked}")
    assert not failures, "\n".join(failures)


def test_a_subsidiary_sees_its_own_records(app, client, session):
    values: dict = {}
    for module in _area_modules():
        values.update(module.sample(session))
    a = gen_organisation(session, "SUB-A")
    _move_everything_to(session, a)
    user = gen_user(session, "auditor", organisation=a)
    session.commit()
    assert login(client, user.email).status_code == 302
    for path in (f"/suppliers/{values['supplier_id']}", f"/incidents/{values['incident_id']}",
                 f"/trainings/{values['training_id']}", f"/corrective-actions/{values['action_id']}"):
        assert client.get(path).status_code == 200, path
    assert session.execute(text("SELECT 1")).scalar() == 1
