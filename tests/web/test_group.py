"""The group in the browser's terms: a subsidiary buyer's list, the group master, relationships, boundaries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from supplychain.models import AuditEntry, SupplierRelationship
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login, post_form


def _group(session):
    cq = gen_organisation(session, "CQ", home_province="500000", name_zh="重庆机械有限公司")
    sx = gen_organisation(session, "SX", home_province="140000", name_zh="山西能源装备有限公司")
    cq_only = gen_supplier(session, "qualified", organisation=cq, name_zh="重庆同力精密机械有限公司")
    sx_only = gen_supplier(session, "qualified", organisation=sx, name_zh="太原恒通钢材有限公司", province="140000",
                           credit_code=gen_credit_code("140000"), city="太原")
    buyer = gen_user(session, "procurement", organisation=sx)
    session.commit()
    return cq, sx, cq_only, sx_only, buyer


def test_a_subsidiary_buyer_sees_only_their_suppliers_and_starts_buying_from_another_subsidiarys(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    login(client, buyer.email)
    listing = client.get("/suppliers/").text
    assert sx_only.name_zh in listing and cq_only.name_zh not in listing
    assert client.get(f"/suppliers/{cq_only.id}").status_code == 404

    found = client.get("/group-suppliers/?q=同力 精密").text  # several words: all must match
    assert cq_only.name_zh in found and "View and start buying" in found or "查看并建立采购关系" in found
    card = client.get(f"/group-suppliers/{cq_only.id}")
    assert card.status_code == 200 and cq_only.credit_code in card.text
    response = client.post(f"/group-suppliers/{cq_only.id}", data={
        "csrf_token": csrf_token(card.text), "organisation_id": sx.id, "categories": ["equipment"],
        "since_on": "2026-01-05"})
    assert response.status_code == 302
    assert client.get(f"/suppliers/{cq_only.id}").status_code == 200
    assert cq_only.name_zh in client.get("/suppliers/").text
    relationship = session.scalar(select(SupplierRelationship).where(
        SupplierRelationship.organisation_id == sx.id, SupplierRelationship.supplier_id == cq_only.id))
    assert relationship.since_on == date(2026, 1, 5) and relationship.buyer_id == buyer.id
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.entity_type == "supplier_relationship", AuditEntry.entity_id == relationship.id)) == 1


def test_a_buyer_cannot_open_a_relationship_for_an_organisation_outside_their_own(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    login(client, buyer.email)
    response = post_form(client, f"/group-suppliers/{cq_only.id}", {"organisation_id": cq.id})
    assert response.status_code == 200 and ("请选择本组织或其下属组织" in response.text
                                            or "Choose an organisation within your own" in response.text)
    assert session.scalar(select(func.count(SupplierRelationship.id)).where(
        SupplierRelationship.supplier_id == cq_only.id)) == 1


def test_no_relationship_with_a_blacklisted_supplier(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    cq_only.status = "blacklisted"
    session.commit()
    login(client, buyer.email)
    response = post_form(client, f"/group-suppliers/{cq_only.id}", {"organisation_id": sx.id})
    assert response.status_code == 200 and ("黑名单" in response.text or "blacklisted" in response.text)
    assert session.scalar(select(func.count(SupplierRelationship.id)).where(
        SupplierRelationship.supplier_id == cq_only.id)) == 1


def test_registering_a_company_another_subsidiary_has_links_to_the_group_master(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    login(client, buyer.email)
    response = post_form(client, "/suppliers/new", {
        "name_zh": "另一个名字有限公司", "credit_code": cq_only.credit_code, "country": "CN", "province": "500000",
        "categories": ["equipment"]})
    assert response.status_code == 200
    assert f"/group-suppliers/{cq_only.id}" in response.text and f'href="/suppliers/{cq_only.id}"' not in response.text


def test_a_stale_relationship_change_is_refused_and_loses_nothing(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == sx_only.id))
    login(client, buyer.email)
    page = client.get(f"/suppliers/{sx_only.id}")
    prefix = f"r{relationship.id}-"
    token = csrf_token(page.text)
    data = {"csrf_token": token, prefix + "status": "suspended", prefix + "reason": "质量问题",
            prefix + "version": relationship.version_id}
    assert client.post(f"/group-suppliers/relationships/{relationship.id}/status", data=data).status_code == 302
    session.expire_all()
    assert session.get(SupplierRelationship, relationship.id).status == "suspended"
    stale = client.post(f"/group-suppliers/relationships/{relationship.id}/status",
                        data={**data, prefix + "status": "ended"}, follow_redirects=True)
    assert "其他人已修改" in stale.text or "Someone else changed" in stale.text
    session.expire_all()
    assert session.get(SupplierRelationship, relationship.id).status == "suspended"


def test_disclosure_and_dashboard_by_boundary(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    auditor = gen_user(session, "auditor")  # of the root: sees the whole group
    session.commit()
    login(client, auditor.email)
    assert client.get(f"/disclosure/?year=2025&org={sx.id}").status_code == 200
    export = client.get(f"/disclosure/2025/export/csv?org={sx.id}")
    assert export.status_code == 200 and "supply-chain-disclosure-2025-SX.csv" in export.headers["Content-Disposition"]
    assert client.get(f"/?org={cq.id}").status_code == 200

    other = client.application.test_client()
    login(other, buyer.email)
    assert other.get(f"/disclosure/?year=2025&org={cq.id}").status_code == 404
    assert other.get(f"/?org={cq.id}").status_code == 404
    assert other.get(f"/disclosure/2025/export/csv?org={cq.id}").status_code == 404


def test_an_admin_opens_a_subsidiarys_own_scheme_editor_only_inside_their_scope(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    category_id = sx_only.categories[0].id
    root_admin = gen_user(session, "admin")
    sx_admin = gen_user(session, "admin", organisation=sx)
    session.commit()
    login(client, root_admin.email)
    page = client.get(f"/schemes/edit/periodic/{category_id}?org={sx.id}")
    assert page.status_code == 200 and "SX" in page.text
    other = client.application.test_client()
    login(other, sx_admin.email)
    assert other.get(f"/schemes/edit/periodic/{category_id}?org={sx.id}").status_code == 200
    assert other.get(f"/schemes/edit/periodic/{category_id}?org={cq.id}").status_code == 404
    assert other.get(f"/schemes/edit/periodic?org={sx.id}").status_code == 404  # own schemes are per category


def test_the_supplier_page_shows_the_qualification_per_category_with_its_deciding_evaluation(client, session):
    """Issue 9, item 4: an admission qualifies the supplier for the category it evaluated, not for every category
    it lists; the supplier page shows per category the status, since when and the evaluation that decided it."""
    from tests.evaluation_factories import TODAY as DECIDED
    from tests.evaluation_factories import approve_all, gen_good_evidence, gen_submitted

    gen_category(session, "services", "服务", "Services")
    gen_category(session, "logistics", "物流", "Logistics")
    supplier = gen_supplier(session, categories=["services", "logistics"], name_zh="两类供应有限公司")
    gen_good_evidence(session, supplier)
    services = next(c for c in supplier.categories if c.code == "services")
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, kind="admission", category=services,
                                                    value=85))
    assert evaluation.outcome == "qualified"
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/suppliers/{supplier.id}").text
    row = page.split('data-category="services"')[1].split("</tr>")[0]
    assert "合格" in row and DECIDED.isoformat() in row and f"#{evaluation.id}" in row
    assert 'data-category="logistics"' not in page  # listed, but not evaluated: not qualified for it


def test_every_figure_drills_down_to_its_records_within_the_scope_and_the_boundary(client, session):
    """Issue 9, item 6: a figure's records are those of the reader's scope (a subsidiary buyer), or of the chosen
    boundary (the group's ESG user on one subsidiary); another subsidiary's boundary is not found."""
    from supplychain import clock

    cq, sx, cq_only, sx_only, buyer = _group(session)
    auditor = gen_user(session, "auditor")
    session.commit()
    year = clock.today().year
    login(client, buyer.email)
    own = client.get(f"/disclosure/{year}/figures/B5.1.total")
    assert own.status_code == 200 and sx_only.name_zh in own.text and cq_only.name_zh not in own.text
    assert client.get(f"/disclosure/{year}/figures/B5.1.total?org={cq.id}").status_code == 404
    group = client.application.test_client()
    login(group, auditor.email)
    whole = group.get(f"/disclosure/{year}/figures/B5.1.total").text
    assert sx_only.name_zh in whole and cq_only.name_zh in whole
    bounded = group.get(f"/disclosure/{year}/figures/B5.1.total?org={sx.id}").text
    assert sx_only.name_zh in bounded and cq_only.name_zh not in bounded


def test_saving_a_relationship_with_its_own_status_writes_nothing_and_says_so(client, session):
    cq, sx, cq_only, sx_only, buyer = _group(session)
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == sx_only.id))
    version = relationship.version_id
    login(client, buyer.email)
    page = client.get(f"/suppliers/{sx_only.id}")
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    prefix = f"r{relationship.id}-"
    data = {"csrf_token": csrf_token(page.text), prefix + "status": relationship.status,
            prefix + "reason": "复核", prefix + "version": version}
    for headers, said in (({}, "没有任何更改。"), ({"Accept-Language": "zh-TW"}, "沒有任何更改。"),
                          ({"Accept-Language": "en"}, "Nothing changed.")):
        response = client.post(f"/group-suppliers/relationships/{relationship.id}/status", data=data,
                               headers=headers, follow_redirects=True)
        assert response.status_code == 200 and said in response.text
        assert "Relationship updated." not in response.text
    session.expire_all()
    assert session.get(SupplierRelationship, relationship.id).version_id == version
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
