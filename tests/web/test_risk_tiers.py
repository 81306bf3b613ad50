"""Inherent risk tiers on the web (issue 11): admin settings with checks and locking, the supplier page,
the supplier list filter and the dashboard's high-risk suppliers."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

from sqlalchemy import select

from supplychain.models import RegionRisk, RiskTierSetting, SupplierRisk
from supplychain.services.evidence import incidents
from supplychain.services.risk import settings
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
WEIGHTS = {"weight_category": "25", "weight_region": "10", "weight_spend_share": "15",
           "weight_single_source": "15", "weight_incidents": "20", "weight_expired_licences": "15",
           "high_from": "40", "medium_from": "20"}


def _high_risk_supplier(session, name_zh="四川高风险建筑工程有限公司", organisation=None):
    category = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    category.risk_level = "high"
    supplier = gen_supplier(session, name_zh=name_zh, categories=["engineering"],
                            **({"organisation": organisation} if organisation else {}))
    incidents.save_incident(session, supplier, incidents.IncidentData(
        "safety", "critical", date.today() - timedelta(days=20), "高处坠落"), None, date.today())
    return supplier


def _admin(client, session):
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    return admin


def _post_scoring(client, values: dict, headers=EN):
    page = client.get("/risk/scoring", headers=headers)
    version = page.text.split('name="version_id" type="hidden" value="')[1].split('"')[0]
    return client.post("/risk/scoring", data={"csrf_token": csrf_token(page.text), "version_id": version, **values},
                       headers=headers)


def test_weights_that_do_not_add_up_are_refused_saying_what_is_expected(client, session):
    _admin(client, session)
    response = _post_scoring(client, {**WEIGHTS, "weight_category": "15"})
    assert response.status_code == 200
    text = unescape(response.text)
    assert "The weights add up to 90 points; they must add up to exactly 100" in text
    assert 'value="15"' in response.text  # the input stays in the form
    session.expire_all()
    assert settings.current_scoring(session) == settings.DEFAULT_SCORING


def test_bad_numbers_are_named_per_field_in_chinese(client, session):
    _admin(client, session)
    response = _post_scoring(client, {**WEIGHTS, "weight_region": "十", "medium_from": "50"}, headers=ZH)
    assert response.status_code == 200
    assert "请输入 0 到 100 之间的整数分值。" in response.text
    assert "中风险起点必须低于高风险起点（40 分）。" in response.text


def test_saving_weights_recomputes_every_tier(client, session):
    supplier = _high_risk_supplier(session)
    _admin(client, session)
    assert session.get(SupplierRisk, supplier.id).tier == "high"
    response = _post_scoring(client, {**WEIGHTS, "high_from": "60", "medium_from": "30"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=EN)
    assert "Risk tiers recomputed for 1 suppliers." in page.text
    session.expire_all()
    assert session.get(SupplierRisk, supplier.id).tier == "medium"


def test_a_stale_weights_form_is_a_conflict_and_saves_nothing(client, session):
    _admin(client, session)
    page = client.get("/risk/scoring", headers=EN)
    token = csrf_token(page.text)
    first = client.post("/risk/scoring", data={"csrf_token": token, "version_id": "1",
                                                **{**WEIGHTS, "high_from": "50"}})
    assert first.status_code == 302
    second = client.post("/risk/scoring", data={"csrf_token": token, "version_id": "1",
                                                 **{**WEIGHTS, "high_from": "70"}}, headers=EN)
    assert second.status_code == 200
    assert "Someone else saved this record" in second.text
    session.expire_all()
    assert settings.current_scoring(session).high_from == 50


def test_a_country_gets_its_own_level_and_a_tier_its_settings(client, session):
    _admin(client, session)
    page = client.get("/risk/regions/new")
    response = client.post("/risk/regions/new", data={"csrf_token": csrf_token(page.text), "area": "vn",
                                                      "level": "high"})
    assert response.status_code == 302
    assert session.get(RegionRisk, "VN").level == "high"
    bad = client.post("/risk/regions/new", data={"csrf_token": csrf_token(page.text), "area": "ZZZ",
                                                 "level": "high"}, headers=EN)
    assert "enter a two-letter country code other than CN" in bad.text
    page = client.get("/risk/tiers/high/edit")
    response = client.post("/risk/tiers/high/edit", data={"csrf_token": csrf_token(page.text), "questionnaire_id": "",
                                                           "audit_interval_months": "6",
                                                           "rescreen_interval_months": "x"}, headers=EN)
    assert response.status_code == 200 and "Enter a whole number of months from 1 to 120" in response.text
    assert session.scalar(select(RiskTierSetting)) is None
    response = client.post("/risk/tiers/high/edit", data={"csrf_token": csrf_token(page.text), "questionnaire_id": "",
                                                           "audit_interval_months": "6",
                                                           "rescreen_interval_months": "12"})
    assert response.status_code == 302
    overview = client.get("/risk/", headers=EN).text
    assert 'data-area="VN">high<' in overview
    assert "<td>6</td>" in overview and "<td>12</td>" in overview


def test_the_category_form_sets_the_category_risk_and_recomputes_its_suppliers(client, session):
    category = gen_category(session, code="logistics", name_zh="物流", name_en="Logistics")
    supplier = gen_supplier(session, categories=["logistics"])
    _admin(client, session)
    url = f"/admin/categories/{category.id}/edit"
    page = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_token(page.text), "version_id": str(category.version_id),
                                      "code": "logistics", "name_zh": "物流", "name_en": "Logistics",
                                      "requires_trial": "0", "active": "1", "risk_level": "medium"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(SupplierRisk, supplier.id).score == 12.5
    assert 'data-risk-level="medium"' in client.get("/admin/categories").text


def test_the_supplier_page_shows_the_tier_and_each_factors_contribution_and_reason(client, session):
    supplier = _high_risk_supplier(session)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    english = unescape(client.get(f"/suppliers/{supplier.id}", headers=EN).text)
    assert 'data-tier="high"' in english and "45.0 of 100 points" in english
    assert "Supplies Engineering subcontracting: a high-risk category." in english
    assert "Incidents in the last 3 years: 1, major or critical: 1." in english
    chinese = client.get(f"/suppliers/{supplier.id}", headers=ZH).text
    assert "高风险" in chinese and "供应工程分包：属于高风险品类。" in chinese


def test_the_supplier_list_filters_by_tier_and_shows_the_column(client, session):
    high = _high_risk_supplier(session)
    low = gen_supplier(session, name_zh="重庆低风险机械有限公司")
    user = gen_user(session, "reviewer")
    session.commit()
    login(client, user.email)
    page = client.get("/suppliers/?tier=high", headers=EN).text
    assert high.name_zh in page and low.name_zh not in page
    assert 'data-tier="high"' in page
    everything = client.get("/suppliers/", headers=EN).text
    assert low.name_zh in everything and 'data-tier="low"' in everything


def test_the_dashboard_counts_the_high_risk_suppliers_of_the_users_scope(app, client, session):
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    _high_risk_supplier(session, "甲公司高风险分包有限公司", organisation=a)
    _high_risk_supplier(session, "乙公司高风险分包有限公司", organisation=b)
    group_user = gen_user(session, "procurement")
    buyer = gen_user(session, "procurement", organisation=a)
    session.commit()
    login(client, group_user.email)
    page = client.get("/", headers=EN).text
    assert 'data-figure="risk_high" href="/suppliers/?tier=high">2<' in page
    client = app.test_client()
    login(client, buyer.email)
    page = client.get("/", headers=EN).text
    assert 'data-figure="risk_high" href="/suppliers/?tier=high">1<' in page
    listed = client.get("/suppliers/?tier=high").text
    assert "甲公司高风险分包有限公司" in listed and "乙公司高风险分包有限公司" not in listed
