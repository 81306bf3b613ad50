"""The supplier registry pages: register, errors all at once, duplicates, edit with audit, list and filters."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain.models import AuditEntry, Supplier
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def _form(**values) -> dict:
    data = {
        "name_zh": "",
        "name_en": "",
        "credit_code": "",
        "country": "CN",
        "province": "",
        "city": "",
        "address": "",
        "registered_on": "",
        "contacts-0-name": "",
        "contacts-0-phone": "",
        "contacts-0-email": "",
        "contacts-1-name": "",
        "contacts-2-name": "",
    }
    data.update(values)
    return data


def _logged_in(client, session, role="procurement"):
    user = gen_user(session, role)
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    login(client, user.email)
    return user


def _post_new(client, **values):
    page = client.get("/suppliers/new", headers=EN)
    return client.post("/suppliers/new", data={"csrf_token": csrf_token(page.text), **_form(**values)}, headers=EN)


def test_register_a_mainland_supplier(client, session):
    _logged_in(client, session)
    code = gen_credit_code()
    response = _post_new(
        client,
        name_zh="重庆长江机械有限公司",
        credit_code=code,
        province="500000",
        categories="equipment",
        **{"contacts-0-name": "王伟", "contacts-0-email": "w@example.cn"},
    )
    assert response.status_code == 302
    supplier = session.scalar(select(Supplier).where(Supplier.credit_code == code))
    assert (
        supplier.name_zh == "重庆长江机械有限公司"
        and supplier.region == "southwest"
        and supplier.status == "registered"
    )
    assert [c.code for c in supplier.categories] == ["equipment"]
    page = client.get(response.headers["Location"])
    assert "重庆长江机械有限公司" in page.text


def test_every_problem_is_reported_at_once_and_nothing_is_saved(client, session):
    _logged_in(client, session)
    response = _post_new(
        client,
        name_zh="",
        credit_code="91500000ABC",
        province="",
        categories="no-such-category",
        **{"contacts-0-name": "王伟", "contacts-0-email": "not-an-email"},
    )
    assert response.status_code == 200
    text = response.text
    for message in (
        "The Chinese legal name is required.",
        "A Unified Social Credit Code has 18 characters.",
        "A province is required for a supplier in China.",
        "Unknown supply category: no-such-category.",
        "Not a valid e-mail address: not-an-email.",
    ):
        assert message in text
    assert session.scalar(select(func.count(Supplier.id))) == 0


def test_check_character_typo_is_caught(client, session):
    _logged_in(client, session)
    code = gen_credit_code()
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = _post_new(client, name_zh="测试有限公司", credit_code=typo, province="500000")
    assert "The check character (the 18th) is wrong" in response.text


def test_duplicate_credit_code_links_to_the_existing_record(client, session):
    _logged_in(client, session)
    existing = gen_supplier(session, name_zh="已存在有限公司")
    session.commit()
    response = _post_new(client, name_zh="另一家有限公司", credit_code=existing.credit_code, province="500000")
    assert "Already registered as 已存在有限公司." in response.text
    assert f'href="/suppliers/{existing.id}"' in response.text


def test_duplicate_normalised_name_is_detected(client, session):
    _logged_in(client, session)
    existing = gen_supplier(session, name_zh="重庆（两江）机械有限公司")
    session.commit()
    response = _post_new(client, name_zh="重庆(两江)机械 有限公司", credit_code=gen_credit_code(), province="500000")
    assert "A supplier with this name exists" in response.text
    assert f'href="/suppliers/{existing.id}"' in response.text


def test_overseas_supplier_has_no_credit_code_and_counts_as_overseas(client, session):
    _logged_in(client, session)
    response = _post_new(client, name_zh="Schmidt Maschinenbau GmbH", country="DE")
    assert response.status_code == 302
    supplier = session.scalar(select(Supplier))
    assert supplier.region == "overseas" and supplier.credit_code is None and supplier.province_code is None
    response = _post_new(client, name_zh="Other GmbH", country="DE", credit_code=gen_credit_code())
    assert "Overseas suppliers have no Unified Social Credit Code." in response.text


def test_overlong_fields_are_refused(client, session):
    _logged_in(client, session)
    response = _post_new(client, name_zh="长" * 201, credit_code=gen_credit_code(), province="500000", city="c" * 101)
    assert response.status_code == 200
    assert response.text.count("Field cannot be longer than") + response.text.count("At most") >= 2
    assert session.scalar(select(func.count(Supplier.id))) == 0


def test_edit_is_audited_field_by_field_and_shown_to_auditors(app, client, session):
    _logged_in(client, session)
    supplier = gen_supplier(session, name_zh="旧名称有限公司", city="重庆")
    auditor = gen_user(session, "auditor")
    session.commit()
    page = client.get(f"/suppliers/{supplier.id}/edit", headers=EN)
    assert "旧名称有限公司" in page.text
    data = _form(
        name_zh="新名称有限公司",
        credit_code=supplier.credit_code,
        province="500000",
        city="成都",
        categories="equipment",
    )
    response = client.post(f"/suppliers/{supplier.id}/edit", data={"csrf_token": csrf_token(page.text), **data})
    assert response.status_code == 302
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.changes["name_zh"] == ["旧名称有限公司", "新名称有限公司"] and entry.changes["city"] == [
        "重庆",
        "成都",
    ]

    other = app.test_client()
    login(other, auditor.email)
    view = other.get(f"/suppliers/{supplier.id}", headers=EN)
    assert "Audit trail" in view.text and "新名称有限公司" in view.text
    assert other.get(f"/suppliers/{supplier.id}/edit").status_code == 403


def test_status_change_needs_a_reason(client, session):
    _logged_in(client, session)
    supplier = gen_supplier(session)
    session.commit()
    page = client.get(f"/suppliers/{supplier.id}", headers=EN)
    token = csrf_token(page.text)
    client.post(f"/suppliers/{supplier.id}/status", data={"csrf_token": token, "status": "suspended", "reason": ""})
    assert session.get(Supplier, supplier.id).status == "registered"
    session.expire_all()
    client.post(
        f"/suppliers/{supplier.id}/status", data={"csrf_token": token, "status": "suspended", "reason": "质量问题"}
    )
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "suspended"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "status")).one()
    assert entry.note == "质量问题" and entry.changes["status"] == ["registered", "suspended"]
    assert entry.changes["effective_on"] == date.today().isoformat()  # default: the day it is recorded


def test_status_change_with_an_effective_date(client, session):
    _logged_in(client, session)
    supplier = gen_supplier(session, status="qualified", today=date(2024, 1, 10))
    supplier.registered_on = date(2024, 1, 10)
    session.commit()
    token = csrf_token(client.get(f"/suppliers/{supplier.id}", headers=EN).text)
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(f"/suppliers/{supplier.id}/status", headers=EN, follow_redirects=True, data={
        "csrf_token": token, "status": "suspended", "reason": "质量问题", "effective_on": future})
    assert "The effective date cannot be in the future." in response.text
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "qualified"
    response = client.post(f"/suppliers/{supplier.id}/status", headers=EN, follow_redirects=True, data={
        "csrf_token": token, "status": "suspended", "reason": "质量问题", "effective_on": "2023-12-31"})
    assert "cannot be before the supplier was registered" in response.text
    client.post(f"/suppliers/{supplier.id}/status", data={
        "csrf_token": token, "status": "suspended", "reason": "质量问题", "effective_on": "2025-06-30"})
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "suspended"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "status")).one()
    assert entry.changes["effective_on"] == "2025-06-30"


def test_list_search_filters_and_region_counts(client, session):
    _logged_in(client, session)
    gen_category(session, "logistics", "物流", "Logistics")
    gen_supplier(session, name_zh="重庆甲机械有限公司", province="500000", status="qualified")
    gen_supplier(session, name_zh="重庆乙物流有限公司", province="500000", categories=["logistics"])
    gen_supplier(session, name_zh="上海丙机械有限公司", province="310000", credit_code=gen_credit_code("310000"))
    gen_supplier(session, name_zh="Acme Inc.", country="US", province="", credit_code="")
    session.commit()

    page = client.get("/suppliers/", headers=EN)
    assert 'data-region="southwest"' in page.text
    assert _count(page.text, "southwest") == 2 and _count(page.text, "east") == 1 and _count(page.text, "overseas") == 1
    assert _count(page.text, "local") == 2

    assert _names(client.get("/suppliers/?q=机械").text) == {"重庆甲机械有限公司", "上海丙机械有限公司"}
    assert _names(client.get("/suppliers/?q=机械&region=southwest").text) == {"重庆甲机械有限公司"}
    assert _names(client.get("/suppliers/?category=logistics").text) == {"重庆乙物流有限公司"}
    assert _names(client.get("/suppliers/?status=qualified").text) == {"重庆甲机械有限公司"}
    assert _names(client.get("/suppliers/?local=1").text) == {"重庆甲机械有限公司", "重庆乙物流有限公司"}
    assert _names(client.get("/suppliers/?province=310000").text) == {"上海丙机械有限公司"}
    assert _names(client.get("/suppliers/?region=overseas").text) == {"Acme Inc."}
    names_sorted = client.get("/suppliers/?sort=name").text
    assert names_sorted.index("Acme Inc.") < names_sorted.index("上海丙机械有限公司")
    assert client.get("/suppliers/?page=999&sort=bogus").status_code == 200


def test_pagination(app, client, session):
    _logged_in(client, session)
    for n in range(5):
        gen_supplier(session, name_zh=f"分页测试{n}有限公司")
    session.commit()
    app.config["SUPPLIERS_PER_PAGE"] = 2
    try:
        first = client.get("/suppliers/?sort=name", headers=EN)
        second = client.get("/suppliers/?sort=name&page=2", headers=EN)
        third = client.get("/suppliers/?sort=name&page=3", headers=EN)
    finally:
        app.config["SUPPLIERS_PER_PAGE"] = 50
    assert "Page 1 of 3" in first.text and len(_names(first.text)) == 2
    assert _names(third.text) == {"分页测试4有限公司"}
    # The first page has no previous page and the last no next one: shown disabled, without a link.
    assert _page_links(first.text) == {"next": "2"} and "page=0" not in first.text
    assert '<span class="page-link" aria-disabled="true">&laquo;</span>' in first.text
    assert _page_links(second.text) == {"prev": "1", "next": "3"}
    assert _page_links(third.text) == {"prev": "2"} and "page=4" not in third.text
    assert '<span class="page-link" aria-disabled="true">&raquo;</span>' in third.text


def _page_links(html: str) -> dict[str, str]:
    """The pagination's previous/next links: {"prev" or "next": the page number they lead to}."""
    import re

    links = re.findall(r'<a class="page-link" href="[^"]*[?&;]page=(\d+)[^"]*" rel="(prev|next)">', html)
    return {rel: number for number, rel in links}


def test_pages_render_in_chinese_by_default(client, session):
    _logged_in(client, session)
    page = client.get("/suppliers/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "登记供应商" in page.text and "全部地区" in page.text and "西南" in page.text
    token = csrf_token(page.text)
    client.post("/language/en", data={"csrf_token": token, "next": "/suppliers/"})
    page = client.get("/suppliers/", headers={"Accept-Language": "zh-CN"})
    assert "Register a supplier" in page.text and "Southwest" in page.text


def _count(html: str, region: str) -> int:
    import re

    match = re.search(rf'data-region="{region}">.*?<div class="fs-5 fw-bold">(\d+)</div>', html, re.S)
    return int(match.group(1))


def _names(html: str) -> set[str]:
    import re

    return set(re.findall(r'<td><a href="/suppliers/\d+">([^<]+)</a>', html))


def test_user_input_quoted_in_error_messages_is_escaped(client, session):
    _logged_in(client, session)
    response = _post_new(
        client,
        name_zh="测试有限公司",
        credit_code=gen_credit_code(),
        province="<b>bold</b>",
        categories="<script>alert(1)</script>",
    )
    assert "Unknown province: &lt;b&gt;bold&lt;/b&gt;." in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_list_rows_speak_the_language_of_each_request(client, session):
    """The rows' status and region labels follow the language of each page (answered once per page, not kept)."""
    _logged_in(client, session)
    gen_supplier(session, name_zh="重庆语言有限公司", province="500000", status="trial")
    session.commit()
    rows = {}
    for language in ("zh-CN", "en", "zh-TW", "zh-CN"):
        html = client.get("/suppliers/", headers={"Accept-Language": language}).text
        rows[language] = html[html.index("重庆语言有限公司"):html.index("</tr>", html.index("重庆语言有限公司"))]
    # The status's one name (labels.STATUS_NAMES): 试用, not 试用供货.
    assert ">试用<" in rows["zh-CN"] and "西南" in rows["zh-CN"]
    assert "Trial supply" in rows["en"] and "Southwest" in rows["en"] and "试用" not in rows["en"]
    assert ">試用<" in rows["zh-TW"] and "西南" in rows["zh-TW"]
