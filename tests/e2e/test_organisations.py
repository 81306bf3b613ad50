"""In the browser: an administrator adds a project site, moves it to another subsidiary, closes and reopens it."""

import os

from tests.factories import PASSWORD, gen_organisation, gen_root, gen_user


def test_admin_builds_moves_closes_and_reopens_an_organisation(page, session, tmp_path):
    admin = gen_user(session, "admin", email="org-admin@example.com")
    root = gen_root(session)
    gen_organisation(session, "CQ", root, name_zh="重庆热力有限公司")
    sx = gen_organisation(session, "SX", root, name_zh="山西热力有限公司", home_province="140000")
    session.commit()

    page.goto("/")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")
    page.click("nav a.dropdown-toggle:has-text('系统管理')")  # the Administration drop-down
    page.click("nav a:has-text('组织架构')")
    page.wait_for_selector("h1:has-text('组织架构')")

    # Add a project site below CQ, from CQ's row.
    page.locator("tr[data-code=CQ] a:has-text('新增下属组织')").click()
    page.fill("input[name=code]", "CQ-LJ")
    page.fill("input[name=name_zh]", "两江新区项目部")
    page.select_option("select[name=kind]", "project")
    page.select_option("select[name=home_province]", "500000")
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("tr[data-code=CQ-LJ]")
    codes = page.locator("tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes.index("CQ-LJ") == codes.index("CQ") + 1
    assert "项目/站点" in page.locator("tr[data-code=CQ-LJ]").inner_text()

    # A code that is taken is refused on its field; nothing is saved.
    page.locator("tr[data-code=CQ-LJ] a:has-text('编辑或移动')").click()
    page.fill("input[name=code]", "SX")
    page.click("input[type=submit][name=submit]")
    assert "已被 山西热力有限公司 (SX) 使用" in page.locator("input[name=code] ~ .invalid-feedback").inner_text()
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "organisation-form.png"), full_page=True)

    # Move it under SX.
    page.fill("input[name=code]", "CQ-LJ")
    assert "山西热力有限公司" in page.locator(f"select[name=parent_id] option[value='{sx.id}']").inner_text()
    page.select_option("select[name=parent_id]", str(sx.id))
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("tr[data-code=CQ-LJ]")
    codes = page.locator("tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes.index("CQ-LJ") == codes.index("SX") + 1

    # Close it after the confirmation page, then reopen it.
    page.locator("tr[data-code=CQ-LJ] a:has-text('关闭')").click()
    page.wait_for_selector("h1:has-text('关闭')")
    page.fill("textarea[name=reason]", "项目竣工")
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("tr[data-code=CQ-LJ] .badge:has-text('已关闭')")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "organisations.png"), full_page=True)
    page.locator("tr[data-code=CQ-LJ] button:has-text('重新启用')").click()
    page.wait_for_selector("tr[data-code=CQ-LJ] .badge:has-text('运营中')")
