"""Screening pages (issue 11 part 4): record a result with its screenshot, the supplier page's latest result per list,
the re-screening due list by tier, the legal representative, and what other organisations and suppliers see."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain.models import AuditEntry, Supplier
from supplychain.models.screening import ScreeningResult
from supplychain.services.risk import screening
from tests.factories import gen_organisation, gen_supplier, gen_tier, gen_user
from tests.web.helpers import csrf_token, login

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _login(client, session, role: str = "procurement", **kwargs):
    user = gen_user(session, role, **kwargs)
    session.commit()
    assert login(client, user.email).status_code == 302
    return user


def _post(client, url: str, **data):
    token = csrf_token(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def test_a_buyer_records_a_listing_with_its_screenshot_and_the_supplier_page_shows_it(client, session):
    supplier = gen_supplier(session, name_zh="失信示例有限公司")
    buyer = _login(client, session)
    url = f"/screening/suppliers/{supplier.id}/new"
    response = _post(client, url, list_code="judgment_debtor", checked_on=date.today().isoformat(), result="listed",
                     source_reference="中国执行信息公开网 (2026)渝0105执1234号", note="拒不履行",
                     evidence=(io.BytesIO(PNG), "查询截图.png"))
    assert response.status_code == 302, response.text
    row = session.scalars(select(ScreeningResult)).one()
    assert (row.list_code, row.result, row.checked_by_id) == ("judgment_debtor", "listed", buyer.id)
    page = client.get(f"/suppliers/{supplier.id}").text
    assert 'data-list="judgment_debtor" data-result="listed"' in page and "失信被执行人" in page
    assert f"/attachments/{row.attachment_id}" in page and "查询截图.png" in page
    assert client.get(f"/attachments/{row.attachment_id}").data == PNG
    assert "(2026)渝0105执1234号" in client.get(f"/screening/suppliers/{supplier.id}").text


def test_bad_input_shows_every_problem_and_saves_nothing(client, session):
    supplier = gen_supplier(session)
    _login(client, session)
    url = f"/screening/suppliers/{supplier.id}/new"
    future = (date.today() + timedelta(days=3)).isoformat()
    response = _post(client, url, list_code="sanctions", checked_on=future, result="listed", source_reference="",
                     evidence=(io.BytesIO(b"<html><script>x</script></html>"), "scan.pdf"))
    assert response.status_code == 200
    for message in ("不能晚于今天", "请说明在何处查到列入记录", "网页"):
        assert message in response.text, message
    unknown = _post(client, url, list_code="credit_china", checked_on=date.today().isoformat(), result="clear")
    assert "未知名单" in unknown.text
    assert session.scalar(select(func.count(ScreeningResult.id))) == 0
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "screening_result")) == 0


def test_the_due_list_puts_high_risk_never_screened_suppliers_first(client, session):
    low = gen_supplier(session, name_zh="低风险未筛查有限公司")
    high = gen_supplier(session, name_zh="高风险未筛查有限公司")
    fresh = gen_supplier(session, name_zh="高风险刚筛查有限公司")
    for supplier, tier in ((low, "low"), (high, "high"), (fresh, "high")):
        gen_tier(session, supplier, tier)
    for code in ("serious_dishonesty", "principal_bribery"):
        screening.add_result(session, fresh.id, screening.ResultData(code, date.today(), "clear", "信用中国", ""), None)
    _login(client, session, "auditor")
    page = client.get("/screening/due").text
    assert page.index("高风险未筛查有限公司") < page.index("低风险未筛查有限公司")
    assert "高风险刚筛查有限公司" not in page
    english = client.get("/screening/due", headers={"Accept-Language": "en"}).text
    assert 'data-tier="high">High risk<' in english  # the tier words of the supplier list and the dashboard


def test_a_subsidiary_sees_only_its_own_suppliers_due(client, session):
    sub_a, sub_b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    gen_supplier(session, name_zh="甲公司供应商有限公司", organisation=sub_a)
    theirs = gen_supplier(session, name_zh="乙公司供应商有限公司", organisation=sub_b)
    _login(client, session, "procurement", organisation=sub_a)
    page = client.get("/screening/due").text
    assert "甲公司供应商有限公司" in page and "乙公司供应商有限公司" not in page
    assert client.get(f"/screening/suppliers/{theirs.id}/new").status_code == 404


def test_a_portal_user_sees_no_screening_pages(client, session):
    supplier = gen_supplier(session)
    _login(client, session, "supplier", supplier=supplier)
    for url in ("/screening/due", f"/screening/suppliers/{supplier.id}", f"/screening/suppliers/{supplier.id}/new"):
        assert client.get(url).status_code == 403, url


def test_the_legal_representative_is_stored_audited_and_shown(client, session):
    supplier = gen_supplier(session, name_zh="法人示例有限公司")
    _login(client, session, "admin")
    url = f"/suppliers/{supplier.id}/edit"
    page = client.get(url).text
    assert 'name="legal_representative"' in page
    from tests.web.test_evaluations import form_fields

    fields = form_fields(page)
    response = client.post(url, data={**fields, "legal_representative": "张三"})
    assert response.status_code == 302, response.text
    assert session.get(Supplier, supplier.id).legal_representative == "张三"
    assert "张三" in client.get(f"/suppliers/{supplier.id}").text
    entry = session.scalars(select(AuditEntry).where(AuditEntry.supplier_id == supplier.id,
                                                     AuditEntry.action == "update")).one()
    assert entry.changes["legal_representative"] == [None, "张三"]


def test_the_demo_has_a_dishonest_judgment_debtor_who_fails_the_red_line(app, session):
    from supplychain.clock import today
    from supplychain.services.evaluation import facts_loader

    assert app.test_cli_runner().invoke(args=["demo-data", "--suppliers", "60", "--seed", "7"]).exit_code == 0
    listed = session.scalars(select(ScreeningResult).where(ScreeningResult.result == "listed",
                                                           ScreeningResult.list_code == "judgment_debtor")).all()
    assert len(listed) == 1
    debtor = session.get(Supplier, listed[0].supplier_id)
    assert debtor.status == "registered" and debtor.legal_representative
    assert facts_loader.load_one(session, debtor.id, today()).screening_listings == ("judgment_debtor",)
    lists = set(session.scalars(select(ScreeningResult.list_code)))
    assert {"environmental_rating", "serious_dishonesty", "principal_bribery"} <= lists
    overseas = session.scalar(select(func.count(Supplier.id)).where(Supplier.country != "CN"))
    assert ("sanctions" in lists) == bool(overseas)  # overseas suppliers are checked against sanctions lists


def test_a_draft_admission_shows_the_red_line_an_imported_listing_fails(client, session):
    from tests.evaluation_factories import gen_evaluation

    supplier = gen_supplier(session, name_zh="草稿红线示例有限公司")
    evaluation = gen_evaluation(session, supplier=supplier, kind="admission", period=None)
    data = screening.ResultData("judgment_debtor", date.today(), "listed", "中国执行信息公开网", "")
    screening.add_result(session, supplier.id, data, None)
    _login(client, session)
    page = client.get(f"/evaluations/{evaluation.id}", follow_redirects=True).text
    assert 'data-red-line="dishonest_list" data-red-line-state="failed"' in page
    assert "失信被执行人" in page
    assert 'data-red-line="principal_bribery" data-red-line-state="unchecked"' in page  # not checked yet


def test_the_form_names_the_lists_and_their_sources_in_the_readers_language(client, session):
    supplier = gen_supplier(session)
    _login(client, session)
    url = f"/screening/suppliers/{supplier.id}/new"
    hant = client.get(url, headers={"Accept-Language": "zh-TW"}).text
    for name in ("國家企業信用信息公示系統", "中國執行信息公開網", "應急管理部 / 信用中國", "商務部不可靠實體清單",
                 "失信被執行人"):
        assert name in hant, name
    for name in ("国家企业信用信息公示系统", "中国执行信息公开网", "应急管理部", "商务部不可靠实体清单"):
        assert name not in hant, name
    english = client.get(url, headers={"Accept-Language": "en"}).text
    for name in ("National Enterprise Credit Information Publicity System", "China Execution Information Disclosure",
                 "Ministry of Emergency Management / Credit China", "UN / OFAC / EU / MOFCOM Unreliable Entity List",
                 "Dishonest judgment debtors", "<code>judgment_debtor</code>"):
        assert name in english, name
    for name in ("商务部", "信用中国", "中国执行信息公开网", "国家企业信用信息公示系统"):
        assert name not in english, name
    assert "国家企业信用信息公示系统" in client.get(url).text
