"""Issue 12's "Done when": the tables a published report prints, reproduced through the product's imports,
the entered baselines and targets and the documented settings, written by `flask disclosure` in every format
and language (docs/disclosure.md).

The dataset: a supply base migrated from an ERP in 2024 (`flask suppliers import --migration`), training
attendance imported (`flask evidence import training`), one blacklisting of 2025, the year's evaluations,
and the 2023 figures entered as baselines (`flask disclosure-figures set`) with the 2025 targets."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from supplychain.clock import today
from supplychain.models import Supplier
from supplychain.services.evidence import training
from supplychain.services.registry import blacklist
from tests.factories import gen_credit_code, gen_root
from tests.report_factories import gen_final_evaluation

YEAR = 2025
# (name, province or country, number of such suppliers): 15 in the supply chain since 2024.
SUPPLY_BASE = (("上海", "310000", 3), ("江苏", "320000", 2), ("浙江", "330000", 1), ("北京", "110000", 2),
               ("天津", "120000", 1), ("广东", "440000", 1), ("重庆", "500000", 2), ("湖北", "420000", 1))
# The published region table of 2025: 16 suppliers at the year end (the 15, and one admitted in 2025 in
# Hubei; the Sichuan supplier blacklisted in June 2025 is out). Shares half up: 3/16 = 18.75 → 18.8,
# 1/16 = 6.25 → 6.3.
REGIONS = {"east": (6, "37.5"), "north": (3, "18.8"), "south": (2, "12.5"), "southwest": (2, "12.5"),
           "central": (2, "12.5"), "northeast": (0, "0.0"), "northwest": (0, "0.0"), "overseas": (1, "6.3")}
KPI_CODES = ("KPI.suppliers_reviewed", "KPI.rejected_social", "KPI.terminated_social", "KPI.training_sessions",
             "KPI.total_suppliers")
# The published KPI table: 2023 entered (before the system), 2024 and 2025 computed; the 2025 targets.
KPI = {"KPI.suppliers_reviewed": (12, 10, 16), "KPI.rejected_social": (2, 0, 1),
       "KPI.terminated_social": (1, 0, 1), "KPI.training_sessions": (1, 2, 3), "KPI.total_suppliers": (14, 16, 16)}
TARGETS = {"KPI.suppliers_reviewed": 16, "KPI.training_sessions": 4, "KPI.total_suppliers": 18}


def _run(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def _suppliers_file() -> str:
    lines = ["name_zh,credit_code,country,province,registered_on,status,status_since"]
    n = 0
    for province, code, count in SUPPLY_BASE:
        for _ in range(count):
            n += 1
            lines.append(f"{province}披露样本有限公司{n},{gen_credit_code(code)},CN,{province},2024-02-01,合格,"
                         "2024-03-01")
    lines += [
        "香港披露样本有限公司,,HK,,2024-02-01,合格,2024-03-01",  # counted in the south region
        "Muster Maschinenbau GmbH,,DE,,2024-02-01,合格,2024-03-01",  # overseas
        f"四川披露样本有限公司,{gen_credit_code('510000')},CN,四川,2024-02-01,合格,2024-03-01",  # terminated 2025
        f"湖北披露新增有限公司,{gen_credit_code('420000')},CN,湖北,2025-04-01,合格,2025-05-01",  # new in 2025
        f"河南披露拒绝有限公司,{gen_credit_code('410000')},CN,河南,2025-03-01,,",  # rejected at admission
    ]
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def published(app, session, tmp_path):
    root = gen_root(session)
    session.commit()
    runner = app.test_cli_runner()
    suppliers_csv = tmp_path / "erp-suppliers.csv"
    suppliers_csv.write_text(_suppliers_file(), encoding="utf-8")
    _run(runner, "suppliers", "import", str(suppliers_csv), "--migration", "--reason", "2024 年 ERP 合格供应商名录",
         "--lang", "en")
    by_name = {s.name_zh: s for s in session.query(Supplier)}
    assert len(by_name) == 18
    old = [s for name, s in sorted(by_name.items()) if "样本" in name and not name.startswith("四川")]
    new, rejected = by_name["湖北披露新增有限公司"], by_name["河南披露拒绝有限公司"]
    sichuan = by_name["四川披露样本有限公司"]
    # The year's reviews: 10 periodic evaluations of 2024; 14 of 2025, the new supplier's admission and an
    # admission rejected for a failed social red line.
    for supplier in old[:10]:
        gen_final_evaluation(session, supplier, year=2024)
    for supplier in old[:14]:
        gen_final_evaluation(session, supplier, year=YEAR)
    gen_final_evaluation(session, new, kind="admission", as_of=date(YEAR, 4, 20))
    gen_final_evaluation(session, rejected, kind="admission", as_of=date(YEAR, 3, 20), outcome="rejected",
                         social=True)
    blacklist.add_entry(session, blacklist.EntryData(supplier_id=sichuan.id, reason="illegal_labour",
                                                     decided_by="招标监督委员会", since_on=date(YEAR, 6, 1)),
                        None, today())
    # Training: sessions recorded as on the page, their attendance imported (a quality session is not ESG).
    held = [("2024 供应商安全生产培训", "safety", date(2024, 5, 10)), ("2024 供应商ESG培训", "esg", date(2024, 9, 10)),
            ("2024 质量培训", "quality", date(2024, 10, 10)), ("2025 反腐败培训", "anti_corruption", date(YEAR, 3, 5)),
            ("2025 供应商ESG培训", "esg", date(YEAR, 6, 5)), ("2025 劳工权益培训", "labour_rights", date(YEAR, 9, 5))]
    for title, topic, held_on in held:
        training.save_session(session, training.SessionData(title=title, topic=topic, held_on=held_on, hours=3,
                                                            organisation_id=root.id), None, today())
    session.commit()
    attendance = tmp_path / "attendance.csv"
    attendance.write_text("credit_code,session,held_on,head_count\r\n" + "".join(
        f"{old[i].credit_code},{title},{held_on.isoformat()},2\r\n"
        for i, (title, _topic, held_on) in enumerate(held)), encoding="utf-8")
    _run(runner, "evidence", "import", "training", str(attendance), "--lang", "en")
    for code, values in KPI.items():
        _run(runner, "disclosure-figures", "set", "--year", "2023", "--code", code, "--kind", "baseline",
             "--value", str(values[0]), "--source", "2023 年 ESG 报告第 41 页", "--reason", "系统启用前",
             "--by", "ESG 办公室", "--org", root.code)
    for code, target in TARGETS.items():
        _run(runner, "disclosure-figures", "set", "--year", str(YEAR), "--code", code, "--kind", "target",
             "--value", str(target), "--by", "ESG 办公室", "--org", root.code)

    def write(file_format: str, lang: str, *options: str):
        out = tmp_path / f"disclosure-{lang}.{file_format}"
        _run(runner, "disclosure", "--year", str(YEAR), "--org", root.code, "--format", file_format,
             "--lang", lang, "--out", str(out), *options)
        return out.read_bytes()

    return write


@pytest.mark.parametrize("lang", ["zh", "zh_Hant", "en"])
def test_the_csv_reproduces_the_region_table_and_the_kpi_table_with_targets(published, lang):
    rows = list(csv.DictReader(io.StringIO(published("csv", lang).decode("utf-8-sig"))))
    by_key = {(r["code"], r["year"]): r for r in rows}
    assert by_key[("B5.1.total", "2025")]["value"] == "16"
    assert {region: (by_key[(f"B5.1.{region}", "2025")]["value"], by_key[(f"B5.1.{region}.share", "2025")]["value"])
            for region in REGIONS} == {region: (str(n), share) for region, (n, share) in REGIONS.items()}
    assert by_key[("B5.1.overseas", "2025")]["detail_en"] == "DE: 1"
    assert by_key[("B5.1.hk_macao", "2025")]["value"] == "1"
    table = {code: tuple(by_key[(code, str(y))]["value"] for y in (2023, 2024, YEAR)) for code in KPI_CODES}
    assert table == {code: tuple(str(v) for v in values) for code, values in KPI.items()}
    assert {code: by_key[(code, "2025")]["target"] for code in KPI_CODES} == {
        code: str(TARGETS[code]) if code in TARGETS else "" for code in KPI_CODES}
    assert [by_key[("KPI.total_suppliers", str(y))]["basis"] for y in (2023, 2024, YEAR)] == [
        "entered", "computed", "computed"]
    participants = by_key[("KPI.training_participants", "2023")]  # before the system and not entered: not 0
    assert (participants["value"], participants["basis"]) == ("", "unavailable")
    east = by_key[("B5.1.east", "2025")]["label_zh"]
    assert east == ("華東供應商" if lang == "zh_Hant" else "华东供应商")
    index = {r["code"]: r for r in rows if r["unit"] == "index"}  # the content index, as in XLSX and PDF
    assert index["INDEX.HKEX.B5.1"]["detail_en"].startswith("B5.1.total")
    assert index["INDEX.GRI.414-2.e"]["detail_en"] == "GRI.414-2.e GRI.414-2.e.why"


def test_the_xlsx_kpi_sheet_has_three_years_and_the_targets(published):
    book = load_workbook(io.BytesIO(published("xlsx", "zh_Hant")))
    kpi = list(book["kpi"].iter_rows(values_only=True))
    assert kpi[0][4:] == (2023, 2024, YEAR, f"{YEAR} target")
    by_code = {row[0]: row for row in kpi[1:]}
    assert {code: tuple(by_code[code][4:7]) for code in KPI_CODES} == KPI
    assert {code: by_code[code][7] for code in TARGETS} == TARGETS
    assert by_code["KPI.total_suppliers"][1] == "供應商總數"
    figures = {(row[0], row[3]): row[4] for row in book["figures"].iter_rows(min_row=2, values_only=True)}
    assert figures[("B5.1.central.share", YEAR)] == 12.5 and figures[("B5.1.overseas.share", YEAR)] == 6.3


def _text(pdf: bytes) -> str:
    return " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize(("lang", "rows"), [
    ("en", ("East 6 37.5%", "North 3 18.8%", "Central 2 12.5%", "Overseas 1 6.3%", "Total 16 100.0%",
            "2023 2024 2025 2025 target",
            "Total suppliers suppliers 14 16 16 18", "Supplier ESG training sessions sessions 1 2 3 4",
            "Supplier participants in ESG training people — 4 6",
            "conditional) suppliers 14 16 16")),  # B5.1's total: the KPI's entered 2023 figure, one number
    ("zh_Hant", ("華東 6 37.5%", "華北 3 18.8%", "海外 1 6.3%", "合計 16 100.0%", "2025目標")),
])
def test_the_pdf_prints_the_region_table_with_shares_and_the_kpi_targets(published, lang, rows):
    text = _text(published("pdf", lang))
    for row in rows:
        assert row in text
    if lang == "zh_Hant":
        assert "供應商" in text and "供应商" not in text and "华东" not in text
        assert "ESG 資料披露" in text and "獲準" not in text  # Hong Kong wording, also for labels converted twice
    assert "restated" not in text and "重述" not in text  # a year before the system is not a restatement


def test_the_documented_settings_print_the_issuers_layouts(published, app, monkeypatch):
    """Hong Kong, Macao and overseas as one row (Hong Kong taken out of the south), one decimal by default and
    whole per cent with DISCLOSURE_PERCENT_PLACES = 0, half up either way."""
    text = _text(published("pdf", "en", "--layout", "hk_macao_overseas"))
    assert "South 1 6.3%" in text and "Hong Kong, Macao and overseas 2 12.5%" in text and "Total 16 100.0%" in text
    monkeypatch.setitem(app.config, "DISCLOSURE_PERCENT_PLACES", 0)
    text = _text(published("pdf", "en", "--layout", "hk_macao_overseas"))
    assert "South 1 6%" in text and "Hong Kong, Macao and overseas 2 13%" in text and "East 6 38%" in text
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(published("csv", "en").decode("utf-8-sig")))}
    assert (rows["B5.1.north.share"]["value"], rows["B5.1.overseas.share"]["value"]) == ("19", "6")


# The region table of 2025 in each layout: (code, English row name, Chinese row name in zh_Hant, count, share).
LAYOUTS = {
    "seven": (("B5.1.east", "East", "華東", 6, "37.5"), ("B5.1.south", "South", "華南", 2, "12.5"),
              ("B5.1.overseas", "Overseas", "海外", 1, "6.3")),
    "hk_macao_overseas": (("B5.1.east", "East", "華東", 6, "37.5"),
                          ("B5.1.south_excl_hk_macao", "South", "華南", 1, "6.3"),
                          ("B5.1.hk_macao_overseas", "Hong Kong, Macao and overseas", "港澳及海外", 2, "12.5")),
    "overseas_by_country": (("B5.1.east", "East", "華東", 6, "37.5"), ("B5.1.south", "South", "華南", 2, "12.5"),
                            ("B5.1.overseas.DE", "Overseas: Germany", "海外：德國", 1, "6.3")),
}
# The rows a layout prints instead of another layout's.
NOT_IN = {"seven": ("B5.1.hk_macao_overseas", "B5.1.south_excl_hk_macao", "B5.1.overseas.DE"),
          "hk_macao_overseas": ("B5.1.south", "B5.1.overseas", "B5.1.hk_macao", "B5.1.overseas.DE"),
          "overseas_by_country": ("B5.1.overseas", "B5.1.hk_macao_overseas", "B5.1.hk_macao")}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_download_prints_the_chosen_region_layout(published, layout):
    """CSV, XLSX and PDF (English and traditional Chinese) print the region table of the chosen layout, with
    shares of the same total, half up (`flask disclosure --layout`)."""
    expected = LAYOUTS[layout]
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(
        published("csv", "zh_Hant", "--layout", layout).decode("utf-8-sig"))) if r["year"] == str(YEAR)}
    assert {code: (rows[code]["value"], rows[f"{code}.share"]["value"]) for code, *_r in expected} == {
        code: (str(n), share) for code, _en, _zh, n, share in expected}
    assert not set(NOT_IN[layout]) & set(rows)
    assert rows["B5.1.total"]["value"] == "16"
    assert rows[expected[-1][0]]["label_zh"] == f"{expected[-1][2]}供應商"
    book = load_workbook(io.BytesIO(published("xlsx", "zh_Hant", "--layout", layout)))
    table = {row[0]: row[1:] for row in book["regions"].iter_rows(min_row=2, values_only=True)}
    assert {code: table[code] for code, *_r in expected} == {
        code: (zh, en, n, float(share)) for code, en, zh, n, share in expected}
    assert table["B5.1.regions.total"][2:] == (16, 100.0)
    figures = {row[0] for row in book["figures"].iter_rows(min_row=2, values_only=True)}
    assert {code for code, *_r in expected} <= figures and not set(NOT_IN[layout]) & figures
    english = _text(published("pdf", "en", "--layout", layout))
    hant = _text(published("pdf", "zh_Hant", "--layout", layout))
    for _code, en, zh, n, share in expected:
        assert f"{en} {n} {share}%" in english
        assert f"{zh} {n} {share}%" in hant
    assert "Total 16 100.0%" in english and "合計 16 100.0%" in hant


# Hong Kong filings' wording in traditional Chinese (docs/disclosure.md, "The files"): the terms every zh_Hant
# download must print, and the simplified, mainland or mis-converted forms it must not.
HONG_KONG_TERMS = ("供應商", "華東", "海外", "簽署率", "獲准供貨", "輸入", "重列")
NOT_HONG_KONG = ("供应商", "华东", "籤署", "獲準", "信息", "重述", "錄入", "舍入", "發布", "数据")


def test_traditional_chinese_downloads_use_hong_kong_wording(published, app):
    """D8: every string of the zh_Hant CSV, XLSX and PDF (labels, section titles, narratives, the KPI notes) is
    in Hong Kong wording: 供應商, 華東, 海外, 簽署 (not 籤署, a bookmark), 重列 for a restated figure, 輸入 for
    one entered by hand."""
    _run(app.test_cli_runner(), "disclosure-figures", "set", "--year", "2024", "--code", "KPI.training_sessions",
         "--kind", "restatement", "--value", "3", "--reason", "補錄一場培訓", "--by", "ESG 辦公室")
    csv_text = published("csv", "zh_Hant").decode("utf-8-sig")
    book = load_workbook(io.BytesIO(published("xlsx", "zh_Hant")))
    xlsx_text = " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
                         if cell is not None)
    pdf_text = _text(published("pdf", "zh_Hant"))
    assert "重列數" in pdf_text and "輸入數" in pdf_text  # the KPI narrative names restated and entered figures
    for name, text in (("csv", csv_text), ("xlsx", xlsx_text), ("pdf", pdf_text)):
        for term in HONG_KONG_TERMS:
            if term in ("輸入", "重列") and name != "pdf":
                continue  # the files' basis column says entered/restated in English
            assert term in text, (name, term)
        for wrong in NOT_HONG_KONG:
            assert wrong not in text, (name, wrong)
    assert "描述有關聘用供應商的慣例" in pdf_text  # B5.2 under the standard's full title


def test_the_cli_writes_every_format_in_every_language_with_org(published):
    """`flask disclosure --year Y --org CODE --format csv|xlsx|pdf --lang zh|zh_Hant|en`: all nine files carry the
    KPI table (total suppliers 14, 16, 16; target 18) in the language asked for."""
    labels = {"zh": "供应商总数", "zh_Hant": "供應商總數", "en": "Total suppliers"}
    for lang, label in labels.items():
        rows = {(r["code"], r["year"]): r for r in csv.DictReader(io.StringIO(
            published("csv", lang).decode("utf-8-sig")))}
        total = rows[("KPI.total_suppliers", str(YEAR))]
        assert (total["value"], total["target"], total["label_zh" if lang != "en" else "label_en"]) == (
            "16", "18", label)
        kpi = {row[0]: row for row in load_workbook(io.BytesIO(published("xlsx", lang)))["kpi"].iter_rows(
            values_only=True)}
        assert kpi["KPI.total_suppliers"][1 if lang != "en" else 2] == label
        assert kpi["KPI.total_suppliers"][4:8] == (14, 16, 16, 18)
        text = _text(published("pdf", lang))
        unit = {"zh": "家", "zh_Hant": "家", "en": "suppliers"}[lang]
        assert f"{label} {unit} 14 16 16 18" in text, lang
