"""The bulk supplier page and the second person's approval through the web (issue 13, build 4)."""

from __future__ import annotations

import re

from sqlalchemy import select

from supplychain.models import ActionRequest, BlacklistEntry, Supplier
from tests.factories import gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}


def test_the_list_is_searched_by_pinyin_and_changed_with_one_reason(client, session):
    a = gen_supplier(session, status="qualified", name_zh="重庆同力机械有限公司", name_en="")
    b = gen_supplier(session, status="qualified", name_zh="重庆同力电子有限公司", name_en="")
    other = gen_supplier(session, status="qualified", name_zh="成都远景有限公司", name_en="")
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get("/bulk/suppliers?q=cqtl", headers=EN)
    assert f'data-supplier="{a.id}"' in page.text and f'data-supplier="{other.id}"' not in page.text
    token = csrf_token(page.text)
    empty = client.post("/bulk/suppliers/status?q=cqtl", data={"csrf_token": token, "ids": [a.id, b.id],
                                                                "status": "conditional", "reason": ""},
                        headers=EN, follow_redirects=True)
    assert "Give the reason" in empty.text
    done = client.post("/bulk/suppliers/status?q=cqtl", data={"csrf_token": token, "ids": [a.id, b.id],
                                                               "status": "conditional", "reason": "供货延迟"},
                       headers=EN)
    assert done.status_code == 200 and 'data-done="2"' in done.text
    session.expire_all()
    assert {s.status for s in session.scalars(select(Supplier).where(Supplier.id.in_([a.id, b.id])))} == {
        "conditional"}
    assert session.get(Supplier, other.id).status == "qualified"


def test_more_suppliers_than_the_limit_are_refused_not_cut_short(client, session, monkeypatch):
    """The actions run in the request for at most MAX_SUPPLIERS: a form with more changes nobody."""
    from supplychain.services.daily_work import bulk_suppliers

    monkeypatch.setattr(bulk_suppliers, "MAX_SUPPLIERS", 2)
    chosen = [gen_supplier(session, status="qualified", name_zh=f"上限{i}有限公司") for i in range(3)]
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get("/bulk/suppliers")
    refused = client.post("/bulk/suppliers/status", data={"csrf_token": csrf_token(page.text),
                                                          "ids": [s.id for s in chosen], "status": "conditional",
                                                          "reason": "年度复核"}, follow_redirects=True)
    assert refused.status_code == 200 and "一次最多 2 家供应商" in refused.text
    session.expire_all()
    assert {session.get(Supplier, s.id).status for s in chosen} == {"qualified"}


def test_blacklisting_waits_for_a_second_person_when_the_setting_is_on(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_APPROVAL_FOR_HIGH_IMPACT", True)
    code = gen_credit_code()
    supplier = gen_supplier(session, status="qualified", credit_code=code)
    first = gen_user(session, "procurement", email="first@example.com")
    second = gen_user(session, "procurement", email="second@example.com")
    session.commit()
    login(client, first.email)
    response = post_form(client, "/blacklist/new", {
        "supplier_id": supplier.id, "credit_code": code, "reason": "bribery", "decided_by": "招标监督委员会",
        "since_on": "2026-01-05", "note": "行贿"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/action-requests/")
    session.expire_all()
    assert session.scalar(select(BlacklistEntry)) is None and session.get(Supplier, supplier.id).status == "qualified"
    request = session.scalar(select(ActionRequest))
    page = client.get("/action-requests/", headers=EN)
    assert "Your request: another person decides." in page.text
    client.post(f"/action-requests/{request.id}/approve", data={"csrf_token": csrf_token(page.text)})
    session.expire_all()
    assert session.get(ActionRequest, request.id).status == "pending"
    client.post("/auth/logout", data={"csrf_token": csrf_token(page.text)})
    login(client, second.email)
    home = client.get("/", headers=EN).text
    assert 'data-inbox-section="second_approvals" data-count="1"' in home
    page = client.get("/action-requests/")
    assert client.post(f"/action-requests/{request.id}/approve",
                       data={"csrf_token": csrf_token(page.text)}).status_code == 302
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "blacklisted"
    assert session.scalar(select(BlacklistEntry)).created_by_id == second.id


def test_a_manual_suspension_waits_too_but_a_qualification_does_not(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_APPROVAL_FOR_HIGH_IMPACT", True)
    supplier = gen_supplier(session, status="conditional")
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    url = f"/suppliers/{supplier.id}/status"
    post_form(client, url, {"status": "suspended", "reason": "安全事故"}, page_url=f"/suppliers/{supplier.id}")
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "conditional"
    assert session.scalar(select(ActionRequest)).payload == {"status": "suspended"}
    post_form(client, url, {"status": "qualified", "reason": "整改完成"}, page_url=f"/suppliers/{supplier.id}")
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "qualified"


def test_the_suppliers_missing_a_pledge_are_reminded_in_one_go(client, session):
    from supplychain.models import Notification
    from tests.evidence_factories import gen_pledge, gen_requirement
    from tests.factories import gen_category

    category = gen_category(session)
    gen_requirement(session, category, "pledge", "integrity")
    signed = gen_supplier(session, status="qualified", name_zh="已签承诺有限公司")
    gen_pledge(session, signed, signed_on=signed.registered_on)
    lacking = [gen_supplier(session, status="qualified", name_zh=f"未签承诺{i}有限公司") for i in range(3)]
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get("/bulk/suppliers?missing=integrity", headers=EN)
    listed = {int(i) for i in re.findall(r'data-supplier="(\d+)"', page.text)}
    assert listed == {s.id for s in lacking}
    done = client.post("/bulk/suppliers/remind?missing=integrity", headers=EN, data={
        "csrf_token": csrf_token(page.text), "ids": sorted(listed), "subject": "请在门户签署廉洁承诺书"})
    assert 'data-done="3"' in done.text
    told = {n.supplier_id for n in session.scalars(select(Notification))}
    assert told == {s.id for s in lacking}
