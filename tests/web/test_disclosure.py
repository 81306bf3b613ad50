"""The disclosure pages: figures linked to their records, the four formats, bad input never a 500."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from openpyxl import load_workbook

from supplychain.services.disclosure import definitions
from tests.evidence_factories import gen_requirement
from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import gen_final_evaluation, gen_pledge
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def _setup(client, session, role="auditor"):
    gen_requirement(session, gen_category(session, "equipment", "设备", "Equipment"), "pledge", "integrity")
    a = gen_supplier(session, status="qualified", name_zh="重庆披露页面甲有限公司", today=date(2023, 1, 1))
    b = gen_supplier(
        session,
        status="qualified",
        name_zh="上海披露页面乙有限公司",
        province="310000",
        today=date(2023, 1, 1),
    )
    for s in (a, b):
        s.registered_on = date(2023, 1, 1)
    gen_pledge(session, a, signed_on=date(2023, 5, 1))
    gen_final_evaluation(session, a, year=2024)
    user = gen_user(session, role)
    session.commit()
    login(client, user.email)
    return a, b


def test_page_with_linked_figures(client, session):
    a, b = _setup(client, session)
    page = client.get("/disclosure/?year=2024", headers=EN)
    assert page.status_code == 200
    text = page.text
    for label in ("Total suppliers", "Pledge signing rate", "GRI 308-1", "B5.4"):
        assert label in text
    assert 'href="/disclosure/2024/figures/KPI.total_suppliers"' in text
    assert 'href="/disclosure/2023/figures/KPI.total_suppliers"' in text  # previous years link too
    assert re.search(r'KPI.pledge_signing_rate">50.0%<', text)
    assert "<svg" in text and " style=" not in text[text.index("<svg") : text.index("</svg>")]
    records = client.get("/disclosure/2024/figures/B5.2.pledge_signing_rate", headers=EN)
    assert records.status_code == 200
    assert "重庆披露页面甲有限公司" in records.text and "Out of (2)" in records.text
    evaluations = client.get("/disclosure/2024/figures/B5.3.evaluations", headers=EN)
    assert evaluations.status_code == 200 and "重庆披露页面甲有限公司" in evaluations.text


def test_downloads_in_every_format(client, session):
    _setup(client, session)
    csv_response = client.get("/disclosure/2024/export/csv")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert "supply-chain-disclosure-2024.csv" in csv_response.headers["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    rows = {(r["code"], r["year"]): r["value"] for r in lines if r["unit"] != "index"}
    assert rows[("KPI.total_suppliers", "2024")] == "2" and rows[("B5.1.east", "2024")] == "1"
    index = [r for r in lines if r["unit"] == "index"]  # the content index after the figures, as in XLSX
    assert len(index) == len(definitions.content_index()) and lines[-len(index):] == index
    xlsx = client.get("/disclosure/2024/export/xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book["figures"].max_row == len(rows) + 1 and book["index"].max_row == len(index) + 1
    for lang in ("both", "zh", "en"):
        pdf = client.get(f"/disclosure/2024/export/pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_bad_input_is_never_a_500(client, session):
    _setup(client, session)
    for year in ("2999", "abc", "1999", "-1", "20240"):
        page = client.get(f"/disclosure/?year={year}", headers=EN)
        assert page.status_code == 400 and "Choose a reporting year" in page.text
    assert client.get("/disclosure/2024/export/docx").status_code == 404
    assert client.get("/disclosure/2024/export/pdf?lang=fr").status_code == 404
    assert client.get("/disclosure/2999/export/csv").status_code == 404
    assert client.get("/disclosure/2024/figures/B9.nope").status_code == 404
    assert client.get("/disclosure/2999/figures/KPI.total_suppliers").status_code == 404


def test_a_year_without_evaluations_says_so(client, session):
    _setup(client, session)
    page = client.get("/disclosure/?year=2015", headers=EN)
    assert page.status_code == 200 and "No final evaluations in 2015" in page.text


def test_suppliers_cannot_see_the_disclosure(client, session):
    supplier = gen_supplier(session)
    user = gen_user(session, "supplier", supplier=supplier)
    session.commit()
    login(client, user.email)
    assert client.get("/disclosure/").status_code == 403
    assert client.get("/disclosure/2024/export/csv").status_code == 403


def test_cli_writes_every_format(app, client, session, tmp_path):
    _setup(client, session)
    runner = app.test_cli_runner()
    for file_format in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"disclosure.{file_format}"
        result = runner.invoke(
            args=["disclosure", "--year", "2024", "--format", file_format, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "disclosure.csv").read_text("utf-8-sig"))))
    assert {"B5.1.east", "B5.1.overseas", "KPI.total_suppliers", "GRI.308-1"} <= {r["code"] for r in rows}
    assert list(rows[0]) == ["code", "label_en", "label_zh", "year", "value", "unit", "detail_en", "detail_zh",
                             "basis", "note",
                            "target"]
    assert (tmp_path / "disclosure.pdf").read_bytes().startswith(b"%PDF")


def test_cli_refuses_bad_input(app, session, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["disclosure", "--year", "2999", "--format", "csv", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2 and "--year:" in result.stderr and not (tmp_path / "x").exists()
    result = runner.invoke(
        args=["disclosure", "--year", "2024", "--format", "docx", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2


def test_traditional_chinese_downloads_from_the_page_and_the_cli(app, client, session, tmp_path):
    _setup(client, session)
    page = client.get("/disclosure/?year=2024").get_data(as_text=True)
    assert "lang=zh_Hant" in page
    response = client.get("/disclosure/2024/export/csv?lang=zh_Hant")
    assert response.status_code == 200
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}
    assert rows["KPI.total_suppliers"]["label_zh"] == "供應商總數"
    assert client.get("/disclosure/2024/export/csv?lang=klingon").status_code == 404
    out = tmp_path / "hant.pdf"
    result = app.test_cli_runner().invoke(
        args=["disclosure", "--year", "2024", "--format", "pdf", "--lang", "zh_Hant", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_enters_a_baseline_and_refuses_bad_input(app, client, session):
    _setup(client, session)
    runner = app.test_cli_runner()
    base = ["disclosure-figures", "set", "--code", "KPI.total_suppliers", "--by", "ESG office"]
    result = runner.invoke(args=[*base, "--year", "2024", "--kind", "restatement", "--value", "7"])
    assert result.exit_code == 2 and "--reason:" in result.stderr
    result = runner.invoke(args=[*base, "--year", "2030", "--kind", "target", "--value", "lots"])
    assert result.exit_code == 2 and "--value:" in result.stderr
    result = runner.invoke(args=[*base, "--year", "2024", "--kind", "restatement", "--value", "7",
                                 "--reason", "a supplier was missed"])
    assert result.exit_code == 0, result.output
    page = client.get("/disclosure/?year=2024", headers=EN).get_data(as_text=True)
    assert 'data-basis="restated"' in page and "a supplier was missed" in page


def test_cli_registers_a_policy_and_a_narrative(app, client, session, tmp_path):
    _setup(client, session)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["disclosure-figures", "policy", "--title-zh", "供应商管理办法", "--number", "",
                                 "--effective-on", "someday"])
    assert result.exit_code == 2 and "--number:" in result.stderr and "--effective-on:" in result.stderr
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = runner.invoke(args=["disclosure-figures", "policy", "--title-zh", "供应商管理办法", "--title-en",
                                 "Supplier management measures", "--number", "集团采〔2023〕12号",
                                 "--effective-on", "2023-03-01", "--file", str(policy)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["disclosure-figures", "narrative", "--year", "2024", "--section", "B5.3",
                                 "--lang", "en", "--text", "We audited 99 suppliers.", "--by", "ESG office"])
    assert result.exit_code == 0, result.output
    page = client.get("/disclosure/?year=2024", headers=EN).get_data(as_text=True)
    assert "Supplier management measures" in page and "We audited 99 suppliers." in page
    assert "cites numbers that are not its figures: 99" in page


def test_the_page_in_traditional_chinese_uses_hong_kong_wording(client, session):
    """D8: the disclosure page itself (not only its downloads) in traditional Chinese, as Hong Kong filings
    word it: 供應商, 華東, 簽署 (not 籤署, a bookmark)."""
    _setup(client, session)
    text = client.get("/disclosure/?year=2024", headers={"Accept-Language": "zh-HK,zh;q=0.8"}).text
    for word in ("供應商", "華東", "簽署率", "海外"):
        assert word in text, word
    for wrong in ("供应商", "华东", "籤署", "獲準"):
        assert wrong not in text, wrong
