"""Contractors on project sites through the browser: the supplier type on the form and list, each project's
qualified-subcontractor list (page and CSV) as statuses change, and a project's buyer seeing its own site only."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from supplychain.models import Supplier
from tests.contractor_factories import gen_contractor, gen_project, gen_site_training
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}


def _csv_names(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return [row[1] for row in rows[1:]]


def test_the_list_and_its_csv_drop_a_contractor_the_moment_it_is_suspended(client, session):
    project = gen_project(session, "CQ-PRJ-09", name_zh="重庆轨道交通九号线项目部")
    kept = gen_contractor(session, project, name_zh="重庆建工劳务分包有限公司")
    dropped = gen_contractor(session, project, name_zh="四川华西钢结构工程有限公司")
    gen_site_training(session, project, {kept: 12, dropped: 8})
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)

    page = client.get(f"/contractors/projects/{project.id}", headers=EN)
    assert page.status_code == 200
    assert "重庆建工劳务分包有限公司" in page.text and "四川华西钢结构工程有限公司" in page.text
    assert 'data-figure="workers">20<' in page.text
    url = f"/contractors/projects/{project.id}/qualified.csv"
    export = client.get(url, headers=EN)
    assert sorted(_csv_names(export)) == sorted(["重庆建工劳务分包有限公司", "四川华西钢结构工程有限公司"])
    assert "CQ-PRJ-09" in export.headers["Content-Disposition"]

    changed = post_form(client, f"/suppliers/{dropped.id}/status",
                        {"status": "suspended", "reason": "高处坠落事故停工"}, page_url=f"/suppliers/{dropped.id}")
    assert changed.status_code == 302
    assert _csv_names(client.get(url, headers=EN)) == ["重庆建工劳务分包有限公司"]
    page = client.get(f"/contractors/projects/{project.id}", headers=EN).text
    off_list = page.split('id="not-listed"')[1]
    assert "四川华西钢结构工程有限公司" in off_list and "Contractor status" in off_list


def test_a_project_buyer_sees_its_own_site_only(client, session):
    subsidiary = gen_organisation(session, "SUB-E")
    mine = gen_project(session, "PRJ-MINE", parent=subsidiary)
    theirs = gen_project(session, "PRJ-THEIRS", parent=subsidiary)
    gen_contractor(session, mine, name_zh="本项目劳务分包有限公司")
    other = gen_contractor(session, theirs, name_zh="别的项目钢结构有限公司")
    buyer = gen_user(session, "procurement", organisation=mine)
    session.commit()
    login(client, buyer.email)

    index = client.get("/contractors/", headers=EN)
    assert index.status_code == 200 and "PRJ-MINE" in index.text and "PRJ-THEIRS" not in index.text
    assert client.get(f"/contractors/projects/{mine.id}").status_code == 200
    assert client.get(f"/contractors/projects/{theirs.id}").status_code == 404
    assert client.get(f"/contractors/projects/{theirs.id}/qualified.csv").status_code == 404
    assert client.get(f"/contractors/projects/{subsidiary.id}").status_code == 404  # not a project
    assert client.get(f"/contractors/suppliers/{other.id}").status_code == 404


def test_a_contractors_sites_page_shows_where_it_works_and_its_inductions(client, session):
    project = gen_project(session, "CQ-PRJ-09", name_zh="重庆轨道交通九号线项目部")
    contractor = gen_contractor(session, project, name_zh="重庆建工劳务分包有限公司")
    gen_site_training(session, project, {contractor: 15})
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)
    supplier_page = client.get(f"/suppliers/{contractor.id}", headers=EN).text
    assert f"/contractors/suppliers/{contractor.id}" in supplier_page and "Contractor" in supplier_page
    sites = client.get(f"/contractors/suppliers/{contractor.id}", headers=EN)
    row = sites.text.split('data-project="CQ-PRJ-09"')[1].split("</tr>")[0]
    assert 'data-figure="inducted-workers">15<' in row and "Yes" in row


def test_register_a_contractor_and_filter_the_list_by_type(client, session):
    gen_category(session)
    gen_supplier(session, name_zh="重庆机械制造有限公司")
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    page = client.get("/suppliers/new", headers=EN)
    assert 'name="supplier_type"' in page.text and "Contractor" in page.text
    response = client.post("/suppliers/new", headers=EN, data={
        "csrf_token": csrf_token(page.text), "name_zh": "重庆建工劳务分包有限公司", "credit_code": gen_credit_code(),
        "country": "CN", "province": "500000", "categories": "equipment", "supplier_type": "contractor"})
    assert response.status_code == 302
    assert session.scalar(select(Supplier.supplier_type).where(Supplier.name_zh == "重庆建工劳务分包有限公司")) \
        == "contractor"
    listing = client.get("/suppliers/?supplier_type=contractor", headers=EN).text
    assert "重庆建工劳务分包有限公司" in listing and "重庆机械制造有限公司" not in listing
    refused = client.post("/suppliers/new", headers=EN, data={
        "csrf_token": csrf_token(page.text), "name_zh": "重庆某某有限公司", "credit_code": gen_credit_code(),
        "country": "CN", "province": "500000", "supplier_type": "<b>builder</b>"})
    assert refused.status_code == 200 and "Unknown supplier type" in refused.text and "<b>builder" not in refused.text


def test_record_a_site_induction_from_the_project_page(client, session):
    project = gen_project(session, "CQ-PRJ-09")
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    page = client.get(f"/contractors/projects/{project.id}", headers=EN).text
    link = f"/trainings/new?organisation_id={project.id}&amp;topic=induction"
    assert link in page
    form = client.get(link.replace("&amp;", "&"), headers=EN).text
    assert f'<option selected value="{project.id}">' in form
    assert '<option selected value="induction">' in form
