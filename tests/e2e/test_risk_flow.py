"""Issue 11's "Done when", in the browser as a new user would try it: procurement sees the high-risk suppliers on the
dashboard and sends them a questionnaire campaign; the supplier answers in the portal; a major finding of an
on-site audit opens a corrective action and counts in GRI 414-2 (b) as a potential impact; a screening import flags
a dishonest judgment debtor, who then fails the admission red line."""

from __future__ import annotations

from datetime import timedelta

from supplychain import clock
from supplychain.services.risk import recompute
from tests.e2e.helpers import answer_everything, log_in, open_tab
from tests.evidence_factories import gen_certificate
from tests.factories import gen_category, gen_supplier, gen_user
from tests.portal_factories import gen_portal_user, gen_questionnaire


def _high_risk_contractor(session, name_zh: str):
    """An engineering subcontractor (a high-risk category) whose safety production licence expired: high risk."""
    supplier = gen_supplier(session, name_zh=name_zh, categories=["engineering"])
    gen_certificate(session, supplier, cert_type="safety_production_licence",
                    issued_on=clock.today() - timedelta(days=1200), expires_on=clock.today() - timedelta(days=30))
    return supplier


def test_high_risk_suppliers_are_asked_audited_and_screened(page, browser, live_server, app, session, tmp_path):
    engineering = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    engineering.risk_level = "high"
    contractor = _high_risk_contractor(session, "四川蜀安建筑劳务有限公司")
    other = _high_risk_contractor(session, "重庆渝川钢结构工程有限公司")
    low = gen_supplier(session, name_zh="江苏苏达物流有限公司")
    newcomer = gen_supplier(session, name_zh="成都蓉信机电设备有限公司")
    recompute.recompute_all(session)
    questionnaire = gen_questionnaire(session)
    contact = gen_portal_user(session, contractor, email="lina@shuan.example.cn")
    buyer = gen_user(session, "procurement", email="buyer.risk@example.com")
    session.commit()
    today = clock.today()

    # 1. Procurement sees two high-risk suppliers on the dashboard and sends them a campaign from there.
    log_in(page, buyer.email)
    assert page.locator("[data-figure=risk_high]").inner_text() == "2"
    page.click("[data-action=campaign-high]")
    page.wait_for_url("**/campaigns/new?tier=high")
    assert page.locator("select[name=tier]").input_value() == "high"
    assert page.locator("select[name=questionnaire_id]").input_value() == str(questionnaire.id)
    page.fill("input[name=title]", "2026年高风险供应商ESG问卷")
    due = today + timedelta(days=30)
    page.fill("input[name=due_on]", due.isoformat())
    page.click("input[type=submit][name=preview]")
    preview = page.locator("[data-preview-count]")
    assert preview.get_attribute("data-preview-count") == "2"
    assert contractor.name_zh in preview.inner_text() and low.name_zh not in preview.inner_text()
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("[data-job=finished]")
    assert page.locator("[data-progress]").get_attribute("data-progress") == "2/2"
    assert page.locator("[data-waiting-count]").inner_text() == "2"

    # 2. The contractor's contact finds the invitation in the portal and answers.
    portal = open_tab(browser, live_server, "zh-CN")
    log_in(portal, contact.email)  # the portal's home says what is asked and by when
    assert f"请您于 {due.isoformat()} 前填写" in portal.locator("[data-invitation]").inner_text()
    portal.click("a:has-text('进入自评问卷')")
    invitation = portal.locator("[data-invitation]")
    invitation.locator("button[type=submit]").click()
    portal.wait_for_url("**/portal/saq/answer")
    answer_everything(portal, questionnaire)
    portal.click("input[type=submit][name=submit]")
    portal.wait_for_url("**/portal/saq")
    assert portal.locator("[data-saq-status=submitted]").count() == 1
    portal.context.close()
    page.reload()
    assert page.locator("[data-waiting-count]").inner_text() == "1"
    assert page.locator(f"[data-waiting='{other.id}']").count() == 1
    assert page.locator(f"[data-waiting='{contractor.id}']").count() == 0

    # 3. An on-site audit of the other contractor, held today, finds a major, potential social impact.
    page.goto(f"/suppliers/{other.id}")
    page.click(f"a[href='/audits/suppliers/{other.id}/new']")
    page.select_option("select[name=kind]", "site_hse")
    page.fill("input[name=planned_on]", today.isoformat())
    page.fill("input[name=actual_on]", today.isoformat())
    page.fill("input[name=auditors]", "张工, 李工")
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("[data-status=held]")
    page.click("text=记录发现项")
    page.select_option("select[name=severity]", "major")
    page.select_option("select[name=dimension]", "social")
    page.select_option("select[name=impact]", "potential")
    page.fill("textarea[name=description]", "脚手架未设置安全网，作业人员未系安全带")
    page.click("input[type=submit][name=submit]")
    finding = page.locator("[data-finding]")
    action_link = finding.locator("a[href^='/corrective-actions/']")
    assert action_link.count() == 1
    page.goto(f"/disclosure/?year={today.year}")
    row = page.locator("tr", has=page.locator("td", has_text="GRI 414-2")).filter(
        has_text="具有重大实际或潜在负面社会影响的供应商")
    assert row.locator("td.fw-bold").inner_text() == "1"
    assert "审核发现重大问题（潜在影响）" in page.locator("section", has=row).inner_text()  # the narrative says why
    row.locator("a").click()
    assert page.locator("table", has_text=other.name_zh).count() == 1

    # 4. A screening import flags the newcomer as a dishonest judgment debtor: its admission fails the red line.
    sheet = tmp_path / "失信被执行人筛查.csv"
    sheet.write_text("统一社会信用代码,名单,查询日期,结果,来源,查询情况\n"
                     f"{newcomer.credit_code},失信被执行人,{today.isoformat()},已列入,"
                     "中国执行信息公开网 (2026)川0104执2345号,拒不履行生效判决\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["screening", "import", str(sheet)])
    assert result.exit_code == 0, result.output
    page.goto(f"/suppliers/{newcomer.id}")
    assert page.locator("[data-list=judgment_debtor][data-result=listed]").count() == 1
    page.goto(f"/evaluations/new?supplier_id={newcomer.id}&kind=admission")
    page.click("input[type=submit][name=submit]")
    page.wait_for_url("**/edit")
    page.click("a:has-text('返回评价')")
    failed = page.locator("[data-red-line=dishonest_list]")
    assert failed.get_attribute("data-red-line-state") == "failed"
    assert "失信被执行人" in failed.inner_text()
