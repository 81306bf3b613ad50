"""What a crawl of the demo found in the wrong language (issue 13 follow-up): the Chinese of (zh, en) name pairs
reached traditional Chinese readers unconverted, bilingual labels showed to every reader, and browsers asking
for zh-Hant-HK or zh-Hant-TW alone got simplified Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from supplychain import clock
from supplychain.models import SchemeVersion
from supplychain.services.evaluation import schemes
from tests.evidence_factories import gen_certificate
from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import gen_final_evaluation
from tests.web.helpers import login

ZH, HANT, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "zh-TW"}, {"Accept-Language": "en"}


def _main(page: str) -> str:
    """The page's own content (not the menu, which names the signed-in user)."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def _admin(client, session):
    user = gen_user(session, "admin")
    session.commit()
    login(client, user.email)
    return user


def _absent(page: str, *words: str) -> None:
    found = [word for word in words if word in page]
    assert not found, f"simplified or other-language words on the page: {found}"


@pytest.mark.parametrize(("header", "html_lang"), [
    ("zh-Hant-HK", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("zh-HK", "zh-Hant"),
    ("zh-TW", "zh-Hant"), ("zh-MO", "zh-Hant"), ("zh-hant-hk,en;q=0.5", "zh-Hant"),
    ("zh-Hans-CN", "zh-CN"), ("zh-Hans-HK", "zh-CN"), ("zh-CN", "zh-CN"), ("zh-SG", "zh-CN"), ("zh", "zh-CN"),
    ("en-GB", "en"), ("fr-FR,en;q=0.8,zh-TW;q=0.5", "en"), ("de-DE", "zh-CN"),
])
def test_each_browser_language_gets_its_interface(client, header, html_lang):
    page = client.get("/auth/login", headers={"Accept-Language": header}).text
    assert f'<html lang="{html_lang}">' in page


def test_the_dashboard_charts_and_lists_in_traditional_chinese(client, session):
    gen_category(session, "equipment", "设备", "Equipment")
    beijing = gen_supplier(session, status="qualified", name_zh="北京看板繁体测试有限公司", province="110000")
    gen_supplier(session, status="registered", name_zh="上海看板繁体测试有限公司", province="310000")
    gen_final_evaluation(session, beijing, year=2025, grade="excellent")
    gen_certificate(session, beijing, cert_type="pollutant_permit", number="PW-1",
                    expires_on=clock.today() + timedelta(days=10))
    _admin(client, session)

    page = _main(client.get("/", headers=HANT).text)
    charts = "".join(re.findall(r"<svg.*?</svg>", page, re.S))
    assert "華北" in charts and "合格" in charts and "已登記" in charts and "優秀" in charts
    assert 'aria-label="供應商狀態"' in page and 'aria-label="評價等級分佈"' in page
    _absent(page, "华北", "已登记", "优秀", "供应商状态", "评价等级分布")
    # The certificates expiring: the type in the reader's language only.
    assert "排污許可證" in page and "PW-1" in page
    _absent(page, "Pollutant", "排污许可证")
    english = _main(client.get("/", headers=EN).text)
    assert "Pollutant discharge permit" in english and ">North<" in english
    _absent(english, "排污", "华北", "華北")


def test_an_evaluation_and_its_scheme_in_traditional_chinese(client, session):
    schemes.ensure_defaults(session)
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(session, status="qualified", name_zh="重庆评价繁体测试有限公司")
    evaluation = gen_final_evaluation(session, supplier, year=2025, grade="excellent", manual=95)
    version = session.scalar(select(SchemeVersion).where(SchemeVersion.code == "periodic.default"))
    _admin(client, session)

    listing = _main(client.get("/evaluations/", headers=HANT).text)
    assert "優秀" in listing and "設備" in listing
    _absent(listing, "优秀", "设备")
    view = _main(client.get(f"/evaluations/{evaluation.id}", headers=HANT).text)
    assert "產品質量" in view and "優秀" in view
    _absent(view, "产品质量", "优秀", "评审打分", "廉洁承诺书")
    reports = _main(client.get("/reports/", headers=HANT).text)
    assert re.search(r"<option[^>]*>優秀</option>", reports)
    _absent(reports, "优秀", "有条件合格")

    scheme = _main(client.get(f"/schemes/{version.id}", headers=HANT).text)
    assert "產品質量" in scheme and "優秀" in scheme and "預設方案" in scheme
    _absent(scheme, "产品质量", "优秀", "有条件合格", "默认方案", "默認方案")
    edit = client.get("/schemes/edit/admission", headers=HANT).text
    options = " ".join(re.findall(r"<option[^>]*>([^<]*)</option>", edit))
    assert "ISO 9001 證書" in options and "排污許可證" in options
    _absent(options, "ISO 9001 证书", "排污许可证", "环保服务资质")
    english = _main(client.get(f"/schemes/{version.id}", headers=EN).text)
    assert "Product quality" in english and "Excellent" in english and "default scheme" in english
    _absent(english, "产品质量", "优秀", "默认方案")


def test_suppliers_provinces_and_risk_lines_in_traditional_chinese(client, session):
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(session, status="qualified", name_zh="武汉风险繁体测试有限公司", province="420000",
                            city="武汉")
    _admin(client, session)

    listing = _main(client.get("/suppliers/", headers=HANT).text)
    provinces = " ".join(re.findall(r"<option[^>]*>([^<]*)</option>", listing))
    assert "廣東省" in provinces and "遼寧省" in provinces
    _absent(provinces, "广东省", "辽宁省")
    assert "設備" in listing
    view = _main(client.get(f"/suppliers/{supplier.id}", headers=HANT).text)
    risk = view.split('id="risk-tier"', 1)[1].split("</section>", 1)[0]
    assert "位於華中" in risk and "供應設備" in risk
    _absent(risk, "华中", "供應设备", "设备")
    assert "供應類別</dt><dd class=\"col-sm-8\">設備</dd>" in view.replace("\n", "")
    english = _main(client.get(f"/suppliers/{supplier.id}", headers=EN).text)
    risk = english.split('id="risk-tier"', 1)[1].split("</section>", 1)[0]
    assert "Located in Central" in risk and "Supplies Equipment" in risk
    _absent(risk, "华中", "设备")


def test_disclosure_headings_and_requirement_labels_in_traditional_chinese(client, session):
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(session, status="qualified", name_zh="重庆披露繁体测试有限公司")
    supplier.registered_on = clock.today().replace(month=1, day=1) - timedelta(days=800)
    _admin(client, session)

    year = clock.today().year - 1
    sheet = _main(client.get(f"/disclosure/editor/narratives?year={year}", headers=HANT).text)
    headings = " ".join(re.findall(r'<h2 class="h5">(.*?)</h2>', sheet, re.S))
    assert "供應鏈關鍵績效指標" in headings and "按地區劃分的供應商數目" in headings
    _absent(headings, "供应链关键绩效指标", "按地区划分的供应商数目")
    requirements = client.get("/admin/requirements/", headers=HANT).text
    assert 'aria-label="設備: ' in requirements
    _absent(requirements, 'aria-label="设备: ')


def test_english_pages_name_categories_and_empty_charts_in_english(client, session):
    components = gen_category(session, "components", "零部件", "Components")
    _admin(client, session)

    rules = _main(client.get("/admin/purchase-rules", headers=EN).text)
    assert "Components <code>components</code>" in rules
    _absent(rules, "零部件")
    rule = _main(client.get(f"/admin/purchase-rules/{components.id}", headers=EN).text)
    assert "Purchase rules: Components" in rule
    _absent(rule, "零部件")
    assert "零部件" in client.get("/admin/purchase-rules", headers=ZH).text

    # A year without data: the empty chart says so in the reader's language only.
    english = _main(client.get("/disclosure/?year=2023", headers=EN).text)
    assert "No data" in english and "无数据" not in english
    chinese = _main(client.get("/disclosure/?year=2023", headers=ZH).text)
    assert "无数据" in chinese and "No data" not in chinese
    hant = _main(client.get("/disclosure/?year=2023", headers=HANT).text)
    assert "無數據" in hant and "No data" not in hant and "无数据" not in hant


def test_the_api_reference_reads_in_the_readers_language(client, session):
    chinese = _main(client.get("/api/v1/", headers=ZH).text)
    assert chinese.count("为采购平台提供供应商主数据") == 1
    assert "Supplier master, changes feed" not in chinese and "`" not in chinese
    assert "权限范围： <code>changes:read</code>" in chinese and "<code>limit</code>" in chinese
    assert "按名称或统一社会信用代码、状态和品类查找供应商" in chinese
    _absent(chinese, "Scope:", "Search suppliers by name", "Unauthorized", "Default error response")
    # API names stay as they are.
    assert "<code>next_cursor</code>" in chinese and "SupplierDocument" in chinese

    hant = _main(client.get("/api/v1/", headers=HANT).text)
    assert "為採購平台提供供應商主數據" in hant and "權限範圍" in hant
    _absent(hant, "为采购平台", "权限范围")

    english = _main(client.get("/api/v1/", headers=EN).text)
    assert english.count("Supplier master, changes feed and purchase checks") == 1
    assert "Scope: <code>suppliers:read</code>" in english and "`" not in english
    assert not re.search(r"[\u4e00-\u9fff]", english)
