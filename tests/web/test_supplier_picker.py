"""The supplier picker's JSON endpoint and the pages that load its script (issue 13, build 5)."""

from __future__ import annotations

from tests.factories import gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import login, post_form


def _staff(client, session, role="procurement"):
    user = gen_user(session, role)
    session.commit()
    login(client, user.email)
    return user


def _code_without(*words: str) -> str:
    """A random credit code that does not itself contain the words searched for (it is searched too)."""
    code = gen_credit_code()
    while any(word in code for word in words):
        code = gen_credit_code()
    return code


def test_lookup_answers_json_by_pinyin_initials(client, session):
    supplier = gen_supplier(session, name_zh="重庆同力机械有限公司", name_en="", credit_code=gen_credit_code())
    gen_supplier(session, name_zh="成都同力电子有限公司", name_en="", credit_code=_code_without("CQ", "TL"))
    _staff(client, session, "auditor")
    response = client.get("/suppliers/lookup?q=cq%20tl")
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "private, no-store"
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == [supplier.id]
    assert results[0]["reference"] == f"#{supplier.id} 重庆同力机械有限公司"


def test_supplier_users_cannot_look_suppliers_up(client, session):
    own = gen_supplier(session, name_zh="自己的供应商有限公司", credit_code=gen_credit_code())
    user = gen_user(session, "supplier", supplier=own)
    session.commit()
    login(client, user.email)
    assert client.get("/suppliers/lookup?q=有限").status_code == 403


def test_forms_carry_the_picker_and_accept_its_reference(client, session):
    supplier = gen_supplier(session, name_zh="重庆同力机械有限公司", credit_code=gen_credit_code())
    _staff(client, session)
    page = client.get("/invitations/new")
    assert 'data-supplier-picker="reference"' in page.text
    assert "/static/js/supplier-picker.js" in page.text and "<script>" not in page.text
    assert 'data-supplier-picker="id"' in client.get("/evaluations/new").text
    response = post_form(client, "/invitations/new", {"supplier": f"#{supplier.id} 重庆同力机械有限公司",
                                                      "email": "li@example.cn", "name": "李雷"})
    assert response.status_code in (200, 302)
    from sqlalchemy import select

    from supplychain.models import Invitation

    invitation = session.scalar(select(Invitation).where(Invitation.email == "li@example.cn"))
    assert invitation is not None and invitation.supplier_id == supplier.id
