"""Procurement's home page shows the dashboard; supplier users see their own home."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from supplychain.services.core import remembered_counts
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
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


@pytest.fixture
def remembered_figures(app):
    app.config["DASHBOARD_SECONDS"] = 30
    remembered_counts.forget()
    yield
    app.config["DASHBOARD_SECONDS"] = 0
    remembered_counts.forget()


def _in_supply_chain(client) -> str:
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    return page.text.split('data-figure="in_supply_chain">', 1)[1].split("<", 1)[0]


def test_figures_are_remembered_per_scope_and_forgotten_on_this_process_changes(app, session, remembered_figures):
    gen_category(session, "equipment", "设备", "Equipment")
    cq = gen_organisation(session, "CQ", home_province="500000")
    first = gen_supplier(session, status="qualified", name_zh="重庆看板记忆一号有限公司", organisation=cq)
    gen_supplier(session, status="qualified", name_zh="上海看板记忆二号有限公司", province="310000")
    buyer, cq_buyer = gen_user(session, "procurement"), gen_user(session, "procurement", organisation=cq)
    session.commit()
    login(client := app.test_client(), buyer.email)
    login(cq_client := app.test_client(), cq_buyer.email)
    assert _in_supply_chain(client) == "2"
    assert _in_supply_chain(cq_client) == "1"  # another scope: never the group's remembered figures

    # A write outside this process's ORM session (another worker): the figures stand until they expire.
    session.execute(text("UPDATE suppliers SET status = 'registered' WHERE id = :id"), {"id": first.id})
    session.commit()
    assert _in_supply_chain(client) == "2" and _in_supply_chain(cq_client) == "1"
    remembered_counts.forget()  # what the expiry does
    assert _in_supply_chain(client) == "1" and _in_supply_chain(cq_client) == "0"

    # A change through the ORM in this process shows at once, in every scope.
    gen_supplier(session, status="trial", name_zh="重庆看板记忆三号有限公司", organisation=cq)
    session.commit()
    assert _in_supply_chain(client) == "2" and _in_supply_chain(cq_client) == "1"
