"""In the browser: a subsidiary buyer sees only their suppliers, finds another subsidiary's supplier in the
group master and starts buying from it; the group's disclosure and each subsidiary's download."""

from tests.e2e.helpers import log_in as _log_in
from tests.factories import gen_credit_code, gen_organisation, gen_supplier, gen_user


def test_subsidiary_buyer_starts_buying_from_a_supplier_another_subsidiary_admitted(page, session):
    cq = gen_organisation(session, "CQ-MACH", home_province="500000", name_zh="重庆机械有限公司")
    sx = gen_organisation(session, "SX-ENERGY", home_province="140000", name_zh="山西能源装备有限公司")
    admitted = gen_supplier(session, "qualified", organisation=cq, name_zh="重庆同力精密机械有限公司")
    own = gen_supplier(session, "qualified", organisation=sx, name_zh="太原恒通钢材有限公司", province="140000",
                       credit_code=gen_credit_code("140000"), city="太原")
    buyer = gen_user(session, "procurement", email="buyer.sx@example.com", organisation=sx)
    session.commit()

    _log_in(page, buyer.email)
    page.goto("/suppliers/")
    assert page.locator("table tbody tr", has_text=own.name_zh).count() == 1
    assert page.locator("table tbody tr", has_text=admitted.name_zh).count() == 0

    page.goto("/group-suppliers/")
    page.fill("input[name=q]", "同力 精密")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    row = page.locator("table tbody tr", has_text=admitted.name_zh)
    assert row.count() == 1 and admitted.credit_code in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("h1:has-text('重庆同力精密机械有限公司')")
    page.select_option("select[name=organisation_id]", str(sx.id))
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("#group [data-org=SX-ENERGY]")
    assert page.locator("#group [data-org=CQ-MACH]").count() == 0  # another subsidiary's relationship stays hidden

    page.goto("/suppliers/")
    assert page.locator("table tbody tr", has_text=admitted.name_zh).count() == 1


def test_group_user_downloads_the_disclosure_of_the_group_and_of_a_subsidiary(page, session):
    sx = gen_organisation(session, "SX-ENERGY", home_province="140000", name_zh="山西能源装备有限公司")
    gen_supplier(session, "qualified", organisation=sx, province="140000", credit_code=gen_credit_code("140000"),
                 city="太原")
    auditor = gen_user(session, "auditor", email="esg@example.com")
    session.commit()
    _log_in(page, auditor.email)
    page.goto("/disclosure/?year=2025")
    assert page.locator("[data-boundary=GROUP]").count() == 1
    page.select_option("select[name=org]", str(sx.id))
    page.click("form[action='/disclosure/'] button[type=submit]")
    page.wait_for_selector("[data-boundary=SX-ENERGY]")
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    assert download.value.suggested_filename == "supply-chain-disclosure-2025-SX-ENERGY.csv"
