"""In the browser: procurement invites a contact, who sets a password, signs a pledge in Chinese, answers
and submits the questionnaire; procurement reviews it (in English) and sees the ESG self-assessment score."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from supplychain.models import IntegrityPledge, PledgeTemplate, SaqResponse
from supplychain.services.evidence import saq
from tests.e2e.helpers import answer_everything, open_tab
from tests.factories import PASSWORD, gen_supplier, gen_user
from tests.portal_factories import gen_questionnaire

PLEDGE_ZH = (
    "本公司郑重承诺：在与集团的业务往来中遵纪守法、廉洁诚信，不向集团员工提供回扣、礼金或其他不正当利益。"
)


def _log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_invited_contact_signs_answers_and_procurement_sees_the_score(page, browser, live_server, session):
    supplier = gen_supplier(session, name_zh="重庆渝新精密机械有限公司")
    buyer = gen_user(session, "procurement", email="buyer.portal@example.com")
    session.add(
        PledgeTemplate(
            kind="integrity",
            version=1,
            title_zh="廉洁承诺书",
            title_en="Integrity pledge",
            text_zh=PLEDGE_ZH,
            text_en="We pledge integrity in all dealings with the Group.",
            effective_on=date(2020, 1, 1),
        )
    )
    questionnaire = gen_questionnaire(session)
    session.commit()

    # Procurement invites the supplier's contact (no mail server: the link is shown).
    _log_in(page, buyer.email)
    page.goto(f"/invitations/new?supplier_id={supplier.id}")
    page.fill("input[name=email]", "lina@yuxin.example.cn")
    page.fill("input[name=name]", "李娜")
    page.click("input[type=submit][name=submit]")
    link = page.locator("#invitation-link").input_value()
    assert "/invitations/accept/" in link

    # The contact, in another browser, chooses a password and lands in the portal (Chinese).
    contact = open_tab(browser, live_server, "zh-CN")
    contact.goto(link)
    assert contact.locator("text=重庆渝新精密机械有限公司").count()
    contact.fill("input[name=password]", "Lotus-Garden-42")
    contact.fill("input[name=confirm]", "Lotus-Garden-42")
    contact.click("input[type=submit][name=submit]")
    contact.wait_for_url("**/portal/")
    assert contact.locator("h1", has_text="重庆渝新精密机械有限公司").count() == 1
    assert contact.locator("[data-portal-nav='portal.pledges']").inner_text() == "承诺书"

    # Signs the integrity pledge in Chinese; without the tick it is refused first.
    contact.click("[data-portal-nav='portal.pledges']")
    contact.click("text=阅读并签署")
    assert contact.locator(f"text={PLEDGE_ZH}").count() == 1
    contact.fill("input[name=signatory_name]", "李娜")
    contact.fill("input[name=signatory_title]", "总经理")
    contact.click("input[type=submit][name=submit]")
    assert contact.locator("text=签署前请勾选同意文本内容。").count() == 1
    contact.check("input[name=agree]")
    contact.click("input[type=submit][name=submit]")
    contact.wait_for_selector("[data-pledge-kind=integrity] [data-signed]")
    pdf = contact.request.get(contact.locator("[data-pledge-pdf]").first.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # Answers and submits the questionnaire.
    contact.click("[data-portal-nav='portal.saq_index']")
    contact.click("text=开始自评")
    contact.wait_for_url("**/portal/saq/answer")
    answer_everything(contact, questionnaire)
    contact.click("input[type=submit][name=submit]")
    contact.wait_for_url("**/portal/saq")
    assert contact.locator("[data-saq-status=submitted]").count() == 1

    # Procurement, in English, reviews every answer and sees the score appear.
    page.goto("/saq-reviews/")
    page.click("form[action$='/language/en'] button")
    page.click(f"text={supplier.name_zh}")
    assert page.locator("[data-esg-score]").inner_text().strip() == "not reviewed yet"
    assert page.locator("[data-previous-total]").inner_text().strip() == "—"
    assert page.locator("a", has_text="ENV-01证明.pdf").count() == 1
    # Nothing is pre-set: each answer is accepted by hand, then the review is confirmed (issue 13, D5).
    for radio in page.locator("input[type=radio][value=accepted]").all():
        radio.check()
    page.check("input[name=confirm]")
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("text=the ESG self-assessment score is now")
    assert page.locator("[data-esg-score]").inner_text().strip() == "100.0"
    assert page.locator("[data-theme=environment] strong").inner_text() == "100.0"

    session.expire_all()
    response = session.scalar(select(SaqResponse))
    assert response.status == "reviewed" and response.total_score == 100.0
    assert (
        saq.reviewed_theme_scores(session, [supplier.id], response.reviewed_on)[supplier.id]["environment"]
        == 100
    )
    pledge = session.scalar(select(IntegrityPledge))
    assert (pledge.signatory_name, pledge.method, len(pledge.text_sha256)) == ("李娜", "portal", 64)
    contact.context.close()
