"""Procurement's home page shows the dashboard; supplier users see their own home."""

from __future__ import annotations

from datetime import date

from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import gen_action, gen_final_evaluation
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def test_home_is_the_dashboard(client, session):
    gen_category(session, "equipment", "设备", "Equipment")
    a = gen_supplier(session, status="qualified", name_zh="重庆看板测试有限公司")
    gen_supplier(session, status="registered", province="310000")
    gen_final_evaluation(session, a, year=2025, grade="excellent")
    gen_action(session, a, due_on=date(2000, 1, 1))
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert 'data-figure="in_supply_chain">1<' in text
    assert 'data-figure="actions_overdue">1 overdue<' in text
    assert "Grade distribution" in text and "Excellent" in text
    assert text.count("<svg") == 3
    assert 'data-figure="single_source"' in text  # one qualified equipment supplier: below the minimum of 2
    chinese = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "西南" in chinese and "优秀" in chinese


def test_supplier_users_get_their_own_home(client, session):
    supplier = gen_supplier(session, name_zh="供应商自己的公司")
    user = gen_user(session, "supplier", supplier=supplier)
    session.commit()
    login(client, user.email)
    page = client.get("/", follow_redirects=True)
    assert 'id="dashboard"' not in page.text
