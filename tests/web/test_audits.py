"""Audit pages as procurement uses them: plan, hold, answer the checklist, record a major finding, close."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain.models import Audit, AuditFinding, ChecklistTemplate, CorrectiveAction
from tests.audit_factories import gen_audit, gen_checklist
from tests.evidence_factories import HTML, PNG
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_tier, gen_user
from tests.web.helpers import login, post_form

EN = {"Accept-Language": "en"}


def _logged_in(client, session, role="procurement"):
    user = gen_user(session, role)
    supplier = gen_supplier(session, status="qualified", name_zh="受审核供应商有限公司", today=date(2025, 1, 10))
    session.commit()
    login(client, user.email)
    return user, supplier


def test_from_plan_to_a_major_finding_with_a_corrective_action(client, session):
    _user, supplier = _logged_in(client, session)
    template = gen_checklist(session)
    session.commit()
    held_on = (date.today() - timedelta(days=2)).isoformat()
    form = {"kind": "admission_visit", "planned_on": held_on, "actual_on": held_on, "auditors": "张工, 李工",
            "template_id": str(template.id), "summary": "准入现场考察"}
    response = post_form(client, f"/audits/suppliers/{supplier.id}/new", form)
    assert response.status_code == 302
    audit = session.scalar(select(Audit))
    view = f"/audits/{audit.id}"
    items = [str(item.id) for item in template.items]
    answers = {f"item_{items[0]}": "pass", f"item_{items[1]}": "fail", f"item_{items[2]}": "pass",
               "version_id": str(audit.version_id)}
    assert post_form(client, f"{view}/checklist", answers).status_code == 302
    assert session.scalar(select(Audit.score)) == 66.7
    finding = {"severity": "major", "dimension": "social", "impact": "potential", "description": "特种作业人员无证上岗",
               "photos": [(io.BytesIO(PNG), "现场照片.png")]}
    response = post_form(client, f"{view}/findings/new", finding, content_type="multipart/form-data", headers=EN)
    assert response.status_code == 302
    page = client.get(view, headers=EN)
    action = session.scalar(select(CorrectiveAction))
    assert action is not None and f"/corrective-actions/{action.id}" in page.text
    assert "现场照片.png" in page.text and "Potential impact" in page.text
    response = post_form(client, f"{view}/close", {}, page_url=view, headers=EN, follow_redirects=True)
    assert "corrective actions of its findings are not verified yet" in response.text
    assert session.scalar(select(Audit.status)) == "held"
    supplier_page = client.get(f"/suppliers/{supplier.id}", headers=EN)
    assert f'data-audit="{audit.id}"' in supplier_page.text and "1 major" in supplier_page.text


def test_bad_input_shows_every_problem_and_saves_nothing(client, session):
    _user, supplier = _logged_in(client, session)
    form = {"kind": "", "planned_on": "2024-12-31", "actual_on": "2024-12-30", "auditors": ""}
    response = post_form(client, f"/audits/suppliers/{supplier.id}/new", form, headers=EN)
    assert response.status_code == 200
    assert "Choose the kind of audit." in response.text and "Name the auditors." in response.text
    assert response.text.count("before the supplier was registered (2025-01-10)") == 2
    assert session.scalar(select(func.count(Audit.id))) == 0
    audit = gen_audit(session, supplier, held_on=date.today() - timedelta(days=1))
    session.commit()
    bad = {"severity": "", "dimension": "social", "impact": "actual", "description": "",
           "photos": [(io.BytesIO(HTML), "page.png")]}
    response = post_form(client, f"/audits/{audit.id}/findings/new", bad, content_type="multipart/form-data",
                         headers=EN)
    assert response.status_code == 200
    assert "Choose the severity of the finding." in response.text and "Describe the finding." in response.text
    assert "page.png" in response.text
    assert session.scalar(select(func.count(AuditFinding.id))) == 0


def test_an_edit_made_meanwhile_is_a_conflict_not_a_lost_update(client, session):
    _user, supplier = _logged_in(client, session)
    audit = gen_audit(session, supplier, held_on=None)
    session.commit()
    opened = str(audit.version_id)
    audit.auditors = "另一位审核员"
    session.commit()
    form = {"kind": "periodic", "planned_on": "2026-09-01", "auditors": "张工", "version_id": opened}
    response = post_form(client, f"/audits/{audit.id}/edit", form, headers=EN)
    assert response.status_code == 200 and "your changes were NOT saved" in response.text
    assert session.scalar(select(Audit.auditors)) == "另一位审核员"


def test_admins_edit_checklists_into_new_versions(client, session):
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    response = post_form(client, "/audits/checklists/new", {"code": "hse", "name_zh": "安全环保检查表",
                                                            "items_text": "灭火器在有效期内\n\n安全通道畅通"})
    assert response.status_code == 302
    first = session.scalar(select(ChecklistTemplate))
    assert [i.text for i in first.items] == ["灭火器在有效期内", "安全通道畅通"]
    edit = f"/audits/checklists/{first.id}/edit"
    response = post_form(client, edit, {"name_zh": "安全环保检查表", "items_text": "灭火器在有效期内\n应急演练记录",
                                        "opened_version": "1", "note": "增加应急演练"})
    assert response.status_code == 302
    versions = session.scalars(select(ChecklistTemplate.version).order_by(ChecklistTemplate.version)).all()
    assert versions == [1, 2]
    stale = post_form(client, edit, {"name_zh": "x", "items_text": "y", "opened_version": "1"}, headers=EN)
    assert stale.status_code == 200 and "Someone saved version 2" in stale.text


def test_the_plan_shows_an_organisations_overdue_suppliers_and_nothing_of_another(client, session):
    from supplychain.models import RiskTierSetting

    gen_root(session)
    west, east = gen_organisation(session, "WEST"), gen_organisation(session, "EAST")
    mine = gen_supplier(session, name_zh="西部高风险供应商", today=date(2020, 1, 1), organisation=west)
    theirs = gen_supplier(session, name_zh="东部高风险供应商", today=date(2020, 1, 1), organisation=east)
    for supplier in (mine, theirs):
        gen_tier(session, supplier)
    session.add(RiskTierSetting(tier="high", audit_interval_months=12))
    gen_audit(session, mine, held_on=date.today() - timedelta(days=500), organisation_id=west.id)
    buyer = gen_user(session, "procurement", organisation=west)
    session.commit()
    login(client, buyer.email)
    page = client.get("/audits/plan", headers=EN)
    assert f'data-supplier="{mine.id}" data-state="overdue"' in page.text
    assert "东部高风险供应商" not in page.text


def test_the_audit_trail_names_every_field_and_value_in_chinese(app, client, session):
    """The trail of an audit and its finding reads in the user's language: no field key, no stored value key."""
    _user, supplier = _logged_in(client, session)
    held_on = (date.today() - timedelta(days=2)).isoformat()
    form = {"kind": "site_hse", "planned_on": held_on, "actual_on": held_on, "auditors": "张工", "summary": "巡检"}
    assert post_form(client, f"/audits/suppliers/{supplier.id}/new", form).status_code == 302
    audit = session.scalar(select(Audit))
    finding = {"severity": "major", "dimension": "social", "impact": "potential", "description": "消防通道堵塞"}
    post_form(client, f"/audits/{audit.id}/findings/new", finding, content_type="multipart/form-data")
    page = client.get(f"/audits/{audit.id}").text
    for words in ("计划日期", "实施日期", "审核人员", "摘要"):
        assert words in page
    assert "planned on" not in page and "actual on" not in page and "auditors" not in page
    auditor = gen_user(session, "auditor")
    session.commit()
    reader = app.test_client()
    login(reader, auditor.email)
    trail = reader.get(f"/audit-log/?supplier_id={supplier.id}").text
    assert "环境或社会" in trail and "潜在影响" in trail and "重大" in trail
    assert "dimension" not in trail and "potential" not in trail and "organisation id" not in trail
