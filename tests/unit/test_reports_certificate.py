"""The annual Qualified / Excellent Supplier certificate."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from reports.certificate import render_supplier_certificate
from reports.fonts import FALLBACK_CID_FONT
from reports.samples import SAMPLE_CREDIT_CODE, sample_certificate_data


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("font_path", [None, FALLBACK_CID_FONT], ids=["auto-font", "cid-font"])
@pytest.mark.parametrize(
    ("kind", "title_zh", "title_en"),
    [
        ("excellent", "年度优秀供应商证书", "EXCELLENTSUPPLIERCERTIFICATE"),
        ("qualified", "年度合格供应商证书", "QUALIFIEDSUPPLIERCERTIFICATE"),
    ],
)
def test_certificate_text(kind, title_zh, title_en, font_path):
    pdf = render_supplier_certificate(sample_certificate_data(kind=kind), font_path=font_path)
    text = pdf_text(pdf)
    for expected in (
        f"2024{title_zh}",
        title_en,
        "重庆渝新精密机械有限公司",
        "ChongqingYuxinPrecisionMachineryCo.,Ltd.",
        SAMPLE_CREDIT_CODE,
        "重庆机电控股（集团）有限公司",
        "CQME-2024-EX-0042",
        "2025-01-20",
        "2025-12-31",
        "CT-9F3A-11ZQ",
        "兹证明",
    ):
        assert expected in text


def test_certificate_is_one_landscape_a4_page():
    reader = PdfReader(io.BytesIO(render_supplier_certificate(sample_certificate_data())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595


def test_certificate_is_reproducible():
    data = sample_certificate_data()
    assert render_supplier_certificate(data) == render_supplier_certificate(data)
    other = sample_certificate_data(issued_on=date(2025, 1, 21))
    assert render_supplier_certificate(other) != render_supplier_certificate(data)


def test_overseas_supplier_and_long_names_still_fit():
    data = sample_certificate_data(
        credit_code=None,
        valid_until=None,
        supplier_name_zh="德国某某精密零部件制造股份有限公司重庆分公司（外商独资）" * 2,
    )
    text = pdf_text(render_supplier_certificate(data))
    assert "境外供应商" in text
    assert "德国某某精密零部件制造股份有限公司" in text


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        sample_certificate_data(kind="gold")
