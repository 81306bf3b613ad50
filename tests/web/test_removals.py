"""Soft deletes with a reason (issue 14): removed evidence leaves lists and figures, auditors still see it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from supplychain.models import AuditEntry, Certification, Incident, IntegrityPledge, TrainingSession
from supplychain.services.evidence import incidents, pledges
from tests.evidence_factories import gen_action, gen_certificate, gen_incident, gen_pledge, gen_training
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import login, post_form

EN = {"Accept-Language": "en"}


def _including_removed(session, model, record_id):
    return session.scalars(select(model).where(model.id == record_id).execution_options(include_deleted=True)).one()


def test_a_removed_certificate_leaves_the_supplier_page_and_stays_for_auditors(app, client, session):
    supplier = gen_supplier(session)
    cert = gen_certificate(session, supplier, number="CQC-REMOVED-01")
    buyer, auditor = gen_user(session, "procurement"), gen_user(session, "auditor")
    session.commit()
    login(client, buyer.email)
    assert "CQC-REMOVED-01" in client.get(f"/suppliers/{supplier.id}").text
    response = post_form(client, f"/certificates/{cert.id}/delete", {"reason": "重复录入"},
                         page_url=f"/suppliers/{supplier.id}")
    assert response.status_code == 302
    assert "CQC-REMOVED-01" not in client.get(f"/suppliers/{supplier.id}").text
    assert client.get(f"/certificates/{cert.id}/edit").status_code == 404
    assert client.get("/removals/").status_code == 403  # procurement removes; auditors and admins review

    session.expire_all()
    assert session.get(Certification, cert.id) is None
    kept = _including_removed(session, Certification, cert.id)
    assert kept.deletion_reason == "重复录入" and kept.deleted_by_id == buyer.id and kept.deleted_at is not None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "certification",
                                                     AuditEntry.action == "delete")).one()
    assert entry.note == "重复录入"

    auditor_client = app.test_client()
    login(auditor_client, auditor.email)
    page = auditor_client.get("/removals/", headers=EN)
    assert page.status_code == 200
    assert f'data-removed-row="certification-{cert.id}"' in page.text
    assert "CQC-REMOVED-01" in page.text and "重复录入" in page.text and buyer.email in page.text


def test_a_removed_incident_no_longer_counts_in_the_disclosure_figures(app, client, session):
    supplier = gen_supplier(session)
    incident = gen_incident(session, supplier, severity="critical", occurred_on=date(2025, 3, 1))
    gen_action(session, supplier, incident)
    user = gen_user(session, "admin")
    session.commit()
    assert len(incidents.significant_incidents(session, date(2025, 1, 1), date(2025, 12, 31))) == 1
    login(client, user.email)

    refused = post_form(client, f"/removals/incidents/{incident.id}", {"reason": "  "},
                        page_url=f"/incidents/{incident.id}", headers=EN)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/incidents/{incident.id}")
    session.expire_all()
    assert session.get(Incident, incident.id) is not None  # no reason, nothing removed

    removed = post_form(client, f"/removals/incidents/{incident.id}", {"reason": "供应商名称录错"},
                        page_url=f"/incidents/{incident.id}")
    assert removed.status_code == 302
    session.expire_all()
    assert incidents.significant_incidents(session, date(2025, 1, 1), date(2025, 12, 31)) == []
    assert "废水超标排放" not in client.get("/incidents/").text
    assert client.get(f"/incidents/{incident.id}").status_code == 404
    assert f'data-removed-row="incident-{incident.id}"' in client.get("/removals/").text


def test_removed_pledges_and_trainings_leave_the_figures(app, client, session):
    supplier = gen_supplier(session)
    pledge = gen_pledge(session, supplier, signed_on=date(2025, 1, 10))
    training = gen_training(session, title="反商业贿赂培训")
    user = gen_user(session, "procurement")
    session.commit()
    assert (supplier.id, "integrity") in pledges.valid_pledges(session, date(2025, 6, 1))
    login(client, user.email)
    assert "反商业贿赂培训" in client.get("/trainings/?year=2025").text
    assert post_form(client, f"/pledges/{pledge.id}/delete", {"reason": "签署人无权代表"},
                     page_url=f"/suppliers/{supplier.id}").status_code == 302
    assert post_form(client, f"/removals/trainings/{training.id}", {"reason": "培训取消"},
                     page_url=f"/trainings/{training.id}").status_code == 302
    session.expire_all()
    assert (supplier.id, "integrity") not in pledges.valid_pledges(session, date(2025, 6, 1))
    assert "反商业贿赂培训" not in client.get("/trainings/?year=2025").text
    assert _including_removed(session, IntegrityPledge, pledge.id).deletion_reason == "签署人无权代表"
    assert _including_removed(session, TrainingSession, training.id).deletion_reason == "培训取消"
