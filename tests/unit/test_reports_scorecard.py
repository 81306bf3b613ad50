"""The supplier scorecard PDF: content in each language, one page, reproducible bytes."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from reports import ScorecardData, render_scorecard, scorecard
from reports.fonts import FALLBACK_CID_FONT
from reports.samples import SAMPLE_CREDIT_CODE, sample_scorecard_data

LANGUAGE_OPTIONS = [("zh",), ("en",), ("zh", "en"), ("en", "zh")]


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF with whitespace removed (runs in different fonts come out split)."""
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(params=[None, FALLBACK_CID_FONT], ids=["auto-font", "cid-font"])
def font_path(request):
    """Both font modes: whatever the system offers (embedded TTF if any) and STSong-Light."""
    return request.param


@pytest.mark.parametrize("languages", LANGUAGE_OPTIONS, ids="+".join)
def test_identity_total_and_grade_in_every_language(languages, font_path):
    pdf = render_scorecard(sample_scorecard_data(), languages, font_path=font_path)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "重庆渝新精密机械有限公司" in text  # the legal name, whatever the language
    assert SAMPLE_CREDIT_CODE in text
    assert "86.5" in text
    assert "P88" in text
    assert "SC-7Q4M-2KD9" in text
    if "zh" in languages:
        for word in ("综合得分", "优秀", "产品质量", "廉洁承诺书", "年度评审"):
            assert word in text
    if "en" in languages:
        for word in ("Totalscore", "Excellent", "Productquality", "Integritypledge", "ChongqingYuxin"):
            assert word in text
    if languages == ("zh",):
        assert "Totalscore" not in text and "Excellent" not in text
    if languages == ("en",):
        assert "综合得分" not in text and "优秀" not in text
    assert page_count(pdf) == 1


def test_same_data_gives_the_same_bytes(font_path):
    first = render_scorecard(sample_scorecard_data(), font_path=font_path)
    assert render_scorecard(sample_scorecard_data(), font_path=font_path) == first
    later = sample_scorecard_data(generated_at=datetime(2025, 2, 1, 8, 0, tzinfo=UTC))
    assert render_scorecard(later, font_path=font_path) != first


def test_bytes_are_the_same_in_a_fresh_interpreter():
    code = (
        "import hashlib, sys; from reports import render_scorecard;"
        "from reports.samples import sample_scorecard_data;"
        "sys.stdout.write(hashlib.sha256(render_scorecard(sample_scorecard_data())).hexdigest())"
    )
    here = hashlib.sha256(render_scorecard(sample_scorecard_data())).hexdigest()
    there = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
        cwd=".",
    ).stdout
    assert there == here


def test_creation_date_is_generated_at():
    info = PdfReader(io.BytesIO(render_scorecard(sample_scorecard_data()))).metadata
    assert info["/CreationDate"].startswith("D:20250116080000")


def test_plain_tuples_lists_and_decimals_are_accepted():
    data = sample_scorecard_data(
        total=Decimal("72.45"),
        percentile=Decimal("40"),
        dimensions=[["质量", "Quality", Decimal("72.45"), Decimal("1")]],
        trend=[{"period": "2024", "total": Decimal("72.45")}],
    )
    assert isinstance(data.dimensions, tuple) and data.dimensions[0].name_en == "Quality"
    assert data.trend[0].total == Decimal("72.45")
    text = pdf_text(render_scorecard(data))
    assert "72.5" in text  # half up, not banker's rounding or float noise
    assert "P40" in text and "40th" in text


def test_overseas_supplier_without_credit_code_and_without_evidence():
    data = sample_scorecard_data(
        credit_code=None,
        supplier_name_en="",
        percentile=None,
        trend=[],
        certificates=[],
        pledges=[],
        corrective_actions=[],
        open_corrective_actions=0,
        incidents=[],
        approvals=[],
        explanation=[],
        categories=[],
    )
    text = pdf_text(render_scorecard(data))
    for words in ("境外供应商", "overseas", "未排名", "无证书记录", "Nopledgessigned", "尚未审核", "Nodata"):
        assert words in text


def test_red_flags_are_shown_in_the_chosen_languages():
    data = sample_scorecard_data(
        red_flags=[("列入严重违法失信名单", "On the national list of seriously dishonest enterprises")]
    )
    zh = pdf_text(render_scorecard(data, ("zh",)))
    assert "红线项" in zh and "列入严重违法失信名单" in zh and "seriouslydishonest" not in zh
    en = pdf_text(render_scorecard(data, ("en",)))
    assert "Redflags" in en and "seriouslydishonest" in en and "列入严重违法失信名单" not in en


def test_long_evidence_lists_are_cut_and_the_page_stays_one():
    data = sample_scorecard_data(
        certificates=[(f"ISO {9000 + i}", f"N{i:04d}", date(2026, 1, 1), "valid") for i in range(20)],
        corrective_actions=[(f"整改项 {i}", date(2025, 3, 1), "open") for i in range(12)],
        open_corrective_actions=12,
        incidents=[(date(2024, 5, i + 1), "safety", f"事件 {i}", "medium") for i in range(9)],
        explanation=[f"说明 {i}" for i in range(15)],
        red_flags=[("列入严重违法失信名单", "On the national list of seriously dishonest enterprises")],
    )
    pdf = render_scorecard(data)
    text = pdf_text(pdf)
    cut = {
        "certificates": len(data.certificates) - scorecard.MAX_CERTIFICATES,
        "actions": len(data.corrective_actions) - scorecard.MAX_ACTIONS,
        "incidents": len(data.incidents) - scorecard.MAX_INCIDENTS,
        "explanation": len(data.explanation) - scorecard.MAX_EXPLANATION,
    }
    for count in cut.values():
        assert f"另有{count}项未列出" in text and f"{count}morenotlisted" in text
    assert "N0005" in text and "N0006" not in text
    assert page_count(pdf) == 1


@pytest.mark.parametrize("languages", [(), ("fr",), ("zh", "zh")])
def test_bad_language_selection_is_refused(languages):
    with pytest.raises(ValueError):
        render_scorecard(sample_scorecard_data(), languages)


def test_scorecard_data_is_frozen():
    data = sample_scorecard_data()
    assert isinstance(data, ScorecardData)
    with pytest.raises(AttributeError):
        data.total = 1  # type: ignore[misc]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_poppler_reads_the_chinese_too(tmp_path):
    path = tmp_path / "scorecard.pdf"
    path.write_bytes(render_scorecard(sample_scorecard_data(), ("zh",)))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "重庆渝新精密机械有限公司" in out
    assert "供应商ESG评价记分卡" in out
