"""The defects a new user hit (issue 13), each pinned: D1, D7, D10/D11, D13, D19, D20, D21, D22."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import gen_category, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login, post_form


@pytest.fixture
def buyer(session, client):
    user = gen_user(session, "procurement", name="采购员王芳")
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    login(client, user.email)
    return user


@pytest.mark.parametrize("year", ["20255", "10000", "-1", "0", "1850"])
def test_d1_an_impossible_year_is_refused_not_a_500(client, buyer, year):
    # Years outside 1–9999 are refused by the one hostile-input check (issue 14): a 400 page, never a 500;
    # a year inside that range but outside 1900–2999 gets the list's own message.
    page = client.get(f"/evaluations/?year={year}")
    if int(year) < 1 or int(year) > 9999:
        assert page.status_code == 400
        assert client.get(f"/exports/evaluations.csv?year={year}").status_code == 400
    else:
        assert page.status_code == 200 and "年度须为 1900 至 2999 之间的数字" in page.text
        assert client.get(f"/exports/evaluations.csv?year={year}").status_code == 200


def test_d7_dual_sourcing_shows_no_error_before_any_input(client, buyer):
    page = client.get("/evaluations/dual-sourcing")
    assert page.status_code == 200
    assert "不是有效的选择" not in page.text and "Not a valid choice" not in page.text
    assert f'value="{datetime.now().year}"' in page.text


def test_d10_d11_change_requests_and_portal_admin_read_right(client, session, buyer):
    from supplychain.portal_labels import CHANGE_REQUEST_STATUS_LABELS

    assert str(CHANGE_REQUEST_STATUS_LABELS["rejected"]) == "Change rejected"
    page = client.get("/change-requests/")
    assert "已驳回" in page.text and "未准入" not in page.text


def test_d11_team_page_calls_the_flag_portal_administrator(app, session):
    supplier = gen_supplier(session)
    admin = gen_user(session, "supplier", supplier=supplier)
    session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/portal/team")
    assert "门户管理员" in page.text and "系统管理员" not in page.text


def test_d19_an_empty_registration_form_reports_the_missing_credit_code(client, buyer):
    page = client.get("/suppliers/new")
    response = client.post("/suppliers/new", data={"csrf_token": csrf_token(page.text), "country": "CN"})
    assert response.status_code == 200
    for message in ("中文法定名称", "省份", "统一社会信用代码"):
        assert message in response.text


def test_d20_the_supplier_page_invites_to_the_portal(client, session, buyer):
    supplier = gen_supplier(session)
    session.commit()
    page = client.get(f"/suppliers/{supplier.id}").text
    assert f'href="/invitations/new?supplier_id={supplier.id}"' in page


def test_d21_training_hours_say_what_to_type(client, buyer):
    response = post_form(client, "/trainings/new", {"title": "ESG 培训", "topic": "esg", "held_on": "2026-01-05",
                                                    "hours": "两小时", "mode": "onsite"})
    assert response.status_code == 200
    assert "请输入数字，例如 2 或 1.5" in response.text and "不是有效的浮点数" not in response.text


def test_d21_status_filter_and_blacklist_button_read_in_full(client, session, buyer):
    page = client.get("/suppliers/").text
    status_select = page.split('name="status"')[0].rsplit("<div", 1)[1]
    assert "col-md-1" not in status_select  # wide enough for 全部状态
    form = client.get("/blacklist/new").text
    assert 'value="列入黑名单"' in form


def test_d22_favicon_and_names_instead_of_emails(client, session, buyer):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    from tests.evaluation_factories import gen_evaluation

    evaluation = gen_evaluation(session)
    evaluation.created_by_id = buyer.id
    session.commit()
    page = client.get(f"/evaluations/{evaluation.id}").text
    assert "由 采购员王芳 创建" in page and f"由 {buyer.email} 创建" not in page


def test_d13_times_are_shown_in_the_report_time_zone(app, session, buyer):
    from supplychain.models import AuditEntry

    supplier = gen_supplier(session)
    session.add(AuditEntry(at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC), actor_email=buyer.email, action="update",
                           entity_type="supplier", entity_id=supplier.id, supplier_id=supplier.id,
                           changes={"city": ["重庆", "成都"]}))
    admin = gen_user(session, "admin")
    session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = client.get(f"/suppliers/{supplier.id}").text
    assert "2026-03-02 07:30 +08:00" in page and "修改供应商" in page and "城市" in page


def test_d21_training_form_is_not_a_500_for_comma_decimals(client, buyer):
    response = post_form(client, "/trainings/new", {"title": "ESG 培训", "topic": "esg", "held_on": "2026-01-05",
                                                    "hours": "1,5", "mode": "onsite"})
    assert response.status_code == 302


def test_d4_one_set_of_severity_words_everywhere(client, session, buyer):
    from reports.labels import SEVERITY
    from reports.samples import sample_scorecard_data
    from supplychain.models import INCIDENT_SEVERITIES
    from tests.unit.test_reports_scorecard import pdf_text

    supplier = gen_supplier(session)
    session.commit()
    form = client.get(f"/incidents/suppliers/{supplier.id}/new").text
    words = {"minor": "一般", "major": "重大", "critical": "特别重大"}
    for key in INCIDENT_SEVERITIES:
        assert f'<option value="{key}">{words[key]}</option>' in form
        assert SEVERITY[key][0] == words[key]  # scorecards and the other PDFs
    with client.application.test_request_context(headers={"Accept-Language": "zh-CN"}):
        from supplychain.evidence_labels import SEVERITY_LABELS
        from supplychain.views.evaluations import SEVERITY_LABELS as EVALUATION_SEVERITY

        assert EVALUATION_SEVERITY is SEVERITY_LABELS
        assert [str(SEVERITY_LABELS[k]) for k in INCIDENT_SEVERITIES] == ["一般", "重大", "特别重大"]
    from reports import render_scorecard
    from reports.data import IncidentLine

    data = sample_scorecard_data()
    from dataclasses import replace
    from datetime import date

    incidents = (IncidentLine(date(2024, 9, 12), "environmental", "废水超标", "critical"),)
    text = pdf_text(render_scorecard(replace(data, incidents=incidents), ("zh",)))
    assert "特别重大" in text and "严重" not in text


def test_d5_questionnaire_review_pre_sets_nothing_and_needs_a_confirmation(client, session, buyer, tmp_path):
    from supplychain.models import SaqResponse
    from tests.portal_factories import gen_questionnaire, gen_response

    supplier = gen_supplier(session)
    response = gen_response(session, supplier, tmp_path, gen_questionnaire(session))
    session.commit()
    page = client.get(f"/saq-reviews/{response.id}")
    assert 'value="accepted" checked' not in page.text and 'value="accepted"' in page.text
    decisions = {f"decision-{a.id}": "accepted" for a in response.answers}
    refused = client.post(f"/saq-reviews/{response.id}", data={"csrf_token": csrf_token(page.text), **decisions})
    assert refused.status_code == 200 and "确认已查看每一项回答及其证据" in refused.text
    session.expire_all()
    assert session.get(SaqResponse, response.id).status == "submitted"
    accepted = client.post(f"/saq-reviews/{response.id}",
                           data={"csrf_token": csrf_token(page.text), "confirm": "y", **decisions})
    assert accepted.status_code == 302
    session.expire_all()
    assert session.get(SaqResponse, response.id).status == "reviewed"


def test_d14_an_admission_draft_claims_nothing_unchecked(client, session, buyer):
    from tests.evaluation_factories import gen_evaluation, gen_screening

    evaluation = gen_evaluation(session, kind="admission")
    session.commit()
    page = client.get(f"/evaluations/{evaluation.id}").text
    dishonest = page.split('data-red-line="dishonest_list"')[1].split("</li>")[0]
    assert 'data-red-line-state="unchecked"' in dishonest and "尚未筛查" in dishonest and "✓" not in dishonest
    pledge = page.split('data-red-line="integrity_pledge"')[1].split("</li>")[0]
    assert "✗" not in pledge and 'data-red-line-state="pending"' in pledge  # not signed yet is not refused
    gen_screening(session, evaluation.supplier)
    session.commit()
    page = client.get(f"/evaluations/{evaluation.id}").text
    dishonest = page.split('data-red-line="dishonest_list"')[1].split("</li>")[0]
    assert 'data-red-line-state="passed"' in dishonest and "✓" in dishonest


def test_d20_the_paper_pledge_form_puts_the_version_in_force_first_and_refuses_a_replaced_one(client, session, buyer):
    from datetime import date

    from tests.evidence_factories import gen_template

    old = gen_template(session, "integrity", effective_on=date(2020, 1, 1))
    new = gen_template(session, "integrity", effective_on=date(2024, 1, 1))
    supplier = gen_supplier(session)
    session.commit()
    url = f"/pledges/suppliers/{supplier.id}/new"
    form = client.get(url).text
    assert form.index(f'value="{new.id}"') < form.index(f'value="{old.id}"')
    assert "已被取代，仅适用于 2024-01-01 之前的签署" in form.split(f'value="{old.id}"')[1].split("</option>")[0]
    refused = post_form(client, url, {"template_id": str(old.id), "signatory_name": "王伟", "signed_on": "2025-06-01"})
    assert refused.status_code == 200 and "请选择第 2 版" in refused.text
    accepted = post_form(client, url, {"template_id": str(old.id), "signatory_name": "王伟",
                                       "signed_on": "2023-06-01"})
    assert accepted.status_code == 302  # a signature from back then is recorded on the version of back then


def test_d8_self_assessment_criteria_explain_in_words():
    from datetime import date

    from supplychain.scoring import engine
    from supplychain.scoring.facts import SupplierFacts

    rule = engine._saq_theme({"theme": "labour_human_rights"})
    facts = SupplierFacts.from_dict({})
    _points, en, zh = rule(facts, date(2025, 1, 1), "2025-01-01")
    assert "labour_human_rights" not in en + zh
    assert "劳工与人权" in zh and "labour and human rights" in en


def test_d9_disclosure_pages_show_references_not_keys(client, session, buyer):
    import re

    page = client.get("/disclosure/?year=2024").text
    def visible_text(html: str) -> str:  # addresses may carry the key; the reader never sees them
        return re.sub(r'(href|value|action|data-[a-z-]+)="[^"]*"', "", html)

    visible = visible_text(page)
    assert "B5.2.admission_reviewed" not in visible and "KPI.total_suppliers" not in visible
    assert "B5.2" in visible and "GRI 308-1" in visible
    figure = client.get("/disclosure/2024/figures/B5.2.admission_reviewed")
    assert figure.status_code == 200
    text = visible_text(figure.text)
    assert "B5.2.admission_reviewed" not in text and "docs/disclosure.md" not in text
