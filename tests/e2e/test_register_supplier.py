"""In the browser: log in, register a supplier with a Chinese name, find it in the list."""

from tests.factories import PASSWORD, gen_category, gen_credit_code, gen_user


def test_register_supplier_and_find_it_in_the_list(page, session):
    user = gen_user(session, "procurement", email="buyer@example.com")
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    code = gen_credit_code("500000")

    page.goto("/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")

    page.goto("/suppliers/new")
    page.fill("input[name=name_zh]", "重庆两江精工机械有限公司")
    page.fill("input[name=credit_code]", code)
    page.select_option("select[name=province]", "500000")
    page.fill("input[name=city]", "重庆")
    page.select_option("select[name=categories]", ["equipment"])
    page.fill("input[name='contacts-0-name']", "李娜")
    page.fill("input[name='contacts-0-email']", "lina@example.cn")
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("h1:has-text('重庆两江精工机械有限公司')")
    assert page.locator("[data-status=registered]").count() == 1

    page.goto("/suppliers/")
    page.fill("input[name=q]", "两江精工")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    row = page.locator("table tbody tr", has_text="重庆两江精工机械有限公司")
    assert row.count() == 1
    assert code in row.inner_text()
    assert page.locator("[data-region=southwest] .fw-bold").inner_text() == "1"
