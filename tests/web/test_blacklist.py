"""Blacklist pages and the requirement matrix: blacklisting, refusal at registration, lifting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from supplychain.models import BlacklistEntry, CategoryRequirement, Supplier
from tests.evidence_factories import gen_blacklist_entry
from tests.factories import gen_category, gen_credit_code, gen_user
from tests.web.helpers import logged_in_with_supplier, login, post_form

EN = {"Accept-Language": "en"}


def _entry_form(**values):
    data = {"credit_code": "", "supplier_id": "", "company_name": "", "reason": "bribery", "note": "",
            "decided_by": "招标监督委员会", "since_on": date.today().isoformat(), "until_on": ""}
    data.update(values)
    return data


def test_blacklist_a_supplier_then_a_second_entry_is_refused(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    response = post_form(client, "/blacklist/new", _entry_form(supplier_id=str(supplier.id)),
                         page_url=f"/blacklist/new?supplier_id={supplier.id}")
    assert response.status_code == 302
    entry = session.scalar(select(BlacklistEntry))
    assert session.get(Supplier, supplier.id).status == "blacklisted" and entry.social_noncompliance
    page = client.get(f"/suppliers/{supplier.id}", headers=EN).text
    assert f"/blacklist/{entry.id}" in page and "In force" in page
    response = post_form(client, "/blacklist/new", _entry_form(credit_code=supplier.credit_code), headers=EN)
    assert response.status_code == 200 and f"Already on the blacklist: entry #{entry.id}" in response.text
    assert session.scalar(select(func.count(BlacklistEntry.id))) == 1


def test_registration_of_a_blacklisted_code_names_the_entry(client, session):
    logged_in_with_supplier(client, session)
    code = gen_credit_code()
    entry = gen_blacklist_entry(session, credit_code=code)
    session.commit()
    form = {"name_zh": "重庆换壳公司有限公司", "credit_code": code, "country": "CN", "province": "500000",
            "city": "重庆", "categories": "equipment", "contacts-0-name": "王伟"}
    response = post_form(client, "/suppliers/new", form, headers=EN)
    assert response.status_code == 200
    assert f"This credit code is on the blacklist: entry #{entry.id}" in response.text
    assert "(Bribery)" in response.text
    chinese = post_form(client, "/suppliers/new", form)
    assert f"该统一社会信用代码在黑名单上：第 {entry.id} 号记录" in chinese.text
    assert "商业贿赂" in chinese.text
    assert session.scalar(select(func.count(Supplier.id))) == 1


def test_entry_errors_all_at_once(client, session):
    logged_in_with_supplier(client, session)
    form = _entry_form(credit_code="91500000ABC", reason="", decided_by="", since_on="2999-01-01",
                       until_on="2000-01-01")
    response = post_form(client, "/blacklist/new", form, headers=EN)
    for message in ("Not a valid Unified Social Credit Code.", "Choose one of the reasons.",
                    "Name who decided (person or committee).", "A decision cannot be dated in the future.",
                    "The end date must be after the start date."):
        assert message in response.text
    assert session.scalar(select(func.count(BlacklistEntry.id))) == 0


def test_lifting_needs_a_reason(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    entry = gen_blacklist_entry(session, supplier=supplier)
    session.commit()
    response = post_form(client, f"/blacklist/{entry.id}/lift", {"reason": " "}, headers=EN)
    assert response.status_code == 200 and "Give the reason for lifting the entry." in response.text
    response = post_form(client, f"/blacklist/{entry.id}/lift", {"reason": "复核后撤销"})
    assert response.status_code == 302
    assert session.get(BlacklistEntry, entry.id).lifted_at is not None
    assert session.get(Supplier, supplier.id).status == "suspended"
    assert f'data-entry="{entry.id}"' in client.get("/blacklist/?state=ended").text


def test_admin_sets_category_requirements(client, session):
    admin = gen_user(session, "admin")
    category = gen_category(session, "engineering", "工程分包", "Engineering")
    session.commit()
    login(client, admin.email)
    data = {f"pledge-{category.id}": ["integrity", "wage_guarantee"],
            f"certificate-{category.id}": ["safety_production_licence"]}
    response = post_form(client, "/admin/requirements/", data)
    assert response.status_code == 302
    rows = session.scalars(select(CategoryRequirement).order_by(CategoryRequirement.value)).all()
    assert [(r.kind, r.value) for r in rows] == [
        ("pledge", "integrity"), ("certificate", "safety_production_licence"), ("pledge", "wage_guarantee")]
    page = client.get("/admin/requirements/").text
    assert f'name="pledge-{category.id}" value="wage_guarantee" checked' in page
    response = post_form(client, "/admin/requirements/", {f"pledge-{category.id}": ["bogus"]})
    assert response.status_code == 200
    assert session.scalar(select(func.count(CategoryRequirement.id))) == 3
