"""In the browser (issue 13): pick a supplier by pinyin initials, score a batch in the grid with the keyboard,
submit it in bulk, approve it in bulk with one comment, and see each person's inbox."""

from __future__ import annotations

from sqlalchemy import select

from supplychain.models import Evaluation, Invitation
from tests.e2e.helpers import log_in as _login
from tests.e2e.helpers import open_tab
from tests.evaluation_factories import TODAY, gen_evaluation, gen_good_evidence
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user


def test_the_picker_finds_a_supplier_by_initials_and_fills_the_form(page, session):
    target = gen_supplier(session, status="qualified", name_zh="重庆同力机械有限公司", name_en="",
                          credit_code=gen_credit_code())
    gen_supplier(session, status="qualified", name_zh="成都同力电子有限公司", name_en="",
                 credit_code=gen_credit_code("510000"), province="510000")
    buyer = gen_user(session, "procurement")
    session.commit()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _login(page, buyer.email)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/invitations/new")
    page.fill("input[name=supplier]", "cq tl")
    option = page.locator(".supplier-picker-list [role=option]")
    option.first.wait_for()
    assert option.count() == 1 and "重庆同力机械有限公司" in option.first.inner_text()
    page.press("input[name=supplier]", "Enter")
    assert page.input_value("input[name=supplier]") == f"#{target.id} 重庆同力机械有限公司"
    page.fill("input[name=email]", "zhang@example.cn")
    page.click("input[type=submit][name=submit]")
    page.wait_for_load_state()
    invitation = session.scalar(select(Invitation).where(Invitation.email == "zhang@example.cn"))
    assert invitation is not None and invitation.supplier_id == target.id
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_batch_is_scored_in_the_grid_submitted_and_approved_in_bulk(browser, live_server, page, session):
    category = gen_category(session)
    buyer = gen_user(session, "procurement", name="采购员小王")
    drafts = []
    for index in range(3):
        supplier = gen_supplier(session, status="qualified", name_zh=f"年度评审{index}有限公司")
        gen_good_evidence(session, supplier)
        drafts.append(gen_evaluation(session, supplier=supplier, actor=buyer, category=category, today=TODAY))
    reviewer = gen_user(session, "reviewer", name="审核员老李")
    session.commit()

    _login(page, buyer.email)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/bulk/evaluations/grid?category_id={category.id}")
    cells = page.locator("input.grid-cell")
    columns = cells.count() // len(drafts)
    assert columns >= 1
    # Column by column: type a score, Enter goes to the same criterion of the next supplier.
    for col in range(columns):
        cells.nth(col).click()
        for _ in drafts:
            page.keyboard.type("86")
            page.keyboard.press("Enter")
    page.click("button:has-text('保存分数')")
    page.wait_for_selector(".alert-success")
    session.expire_all()
    assert all(len(session.get(Evaluation, d.id).manual_scores) == columns for d in drafts)

    page.goto(f"/bulk/evaluations?category_id={category.id}")
    page.click("button:has-text('提交勾选的评价审批')")
    page.wait_for_selector("[data-done='3']")

    tab = open_tab(browser, live_server, "en-US")
    _login(tab, reviewer.email)
    assert tab.locator("[data-inbox-section=approvals]").get_attribute("data-count") == "3"
    tab.click("[data-inbox-section=approvals] a.fw-semibold")
    tab.fill("textarea[name=comment]", "Annual review agreed")
    tab.click("button:has-text('Approve the ticked evaluations')")
    tab.wait_for_selector("[data-done='3']")
    tab.context.close()
    session.expire_all()
    for d in drafts:
        evaluation = session.get(Evaluation, d.id)
        assert evaluation.approved_levels == 1 and evaluation.approvals[-1].comment == "Annual review agreed"

    # The buyer takes the result to Excel from the evaluation list, filtered to the category.
    page.goto(f"/evaluations/?category_id={category.id}")
    with page.expect_download() as download:
        page.click("a[data-export=xlsx]")
    assert download.value.suggested_filename.startswith("evaluations-zh-")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    assert all(f"年度评审{index}有限公司" in text for index in range(3))
