"""Procurement gives a contractor's work a planned end on its sites page; the contractors pages flag work past it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from supplychain.models import SupplierRelationship
from tests.contractor_factories import gen_contractor, gen_project
from tests.factories import gen_root, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def test_a_planned_end_is_saved_and_work_past_it_is_flagged(client, session):
    gen_root(session)
    project = gen_project(session, "CQ-PRJ-10", name_zh="十号线项目部")
    contractor = gen_contractor(session, project, name_zh="逾期施工劳务有限公司")
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == contractor.id))
    relationship.since_on = date.today() - timedelta(days=30)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    sites = client.get(f"/contractors/suppliers/{contractor.id}", headers=EN)
    prefix = f"p{relationship.id}-"
    url = f"/group-suppliers/relationships/{relationship.id}/planned-end"
    assert url in sites.text

    def post(day: date, version: int):
        return client.post(url, headers=EN, follow_redirects=True, data={
            "csrf_token": csrf_token(sites.text), f"{prefix}planned_until_on": day.isoformat(),
            f"{prefix}version": str(version)})

    refused = post(date.today() - timedelta(days=31), relationship.version_id)
    assert "cannot be before the work starts" in refused.text
    saved = post(date.today() - timedelta(days=1), relationship.version_id)
    assert "Planned end saved." in saved.text and "data-overrun" in saved.text
    stale = post(date.today() + timedelta(days=9), relationship.version_id)
    assert "changed this relationship meanwhile" in stale.text
    session.expire_all()
    assert session.get(SupplierRelationship, relationship.id).planned_until_on == date.today() - timedelta(days=1)
    index = client.get("/contractors/", headers=EN).text
    assert f'data-overrun="{contractor.id}"' in index and "逾期施工劳务有限公司" in index
    project_page = client.get(f"/contractors/projects/{project.id}", headers=EN).text
    assert "data-overrun" in project_page and "planned end" in project_page


def test_an_auditor_sees_the_planned_end_but_cannot_change_it(client, session):
    gen_root(session)
    project = gen_project(session)
    contractor = gen_contractor(session, project)
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == contractor.id))
    relationship.planned_until_on = date.today() + timedelta(days=5)
    auditor = gen_user(session, "auditor")
    session.commit()
    login(client, auditor.email)
    page = client.get(f"/contractors/suppliers/{contractor.id}", headers=EN).text
    assert (date.today() + timedelta(days=5)).isoformat() in page and "/planned-end" not in page
