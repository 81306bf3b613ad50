"""The yearly supply-chain disclosure PDF: sections, KPI table over three years, regions."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reports.data import DisclosureSection, Figure
from reports.disclosure import render_disclosure_pdf
from reports.fonts import FALLBACK_CID_FONT
from reports.samples import sample_disclosure_data


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("font_path", [None, FALLBACK_CID_FONT], ids=["auto-font", "cid-font"])
def test_bilingual_disclosure_has_sections_figures_and_regions(font_path):
    text = pdf_text(render_disclosure_pdf(sample_disclosure_data(), font_path=font_path))
    for expected in (
        "重庆机电控股（集团）有限公司",
        "2024年度供应链管理ESG信息披露",
        "Supply-chainESGdisclosure2024",
        "B5.1",
        "按地区划分的供应商数目",
        "Numberofsuppliersbygeographicalregion",
        "GRI308-1",
        "供应商总数",
        "Totalsuppliers",
        "3,050",
        "3,120",
        "3,168",  # the year and the two before it
        "98.5",
        "100.0",  # a row with a fraction shows one decimal throughout
        "西南/Southwest",
        "1,647",
        "52.0%",  # region table
        "供应商地区分布",  # region chart title
    ):
        assert expected in text, expected


def test_kpi_columns_are_the_year_and_the_two_before():
    text = pdf_text(render_disclosure_pdf(sample_disclosure_data(year=2025)))
    assert "202320242025" in text  # header cells side by side, oldest first
    assert "—" in text  # 2025 has no values in the sample: a dash, never a zero


@pytest.mark.parametrize("languages", [("zh",), ("en",)], ids="+".join)
def test_single_language(languages):
    text = pdf_text(render_disclosure_pdf(sample_disclosure_data(), languages))
    assert "重庆机电控股（集团）有限公司" in text  # the legal name in every language
    if languages == ("zh",):
        assert "供应商总数" in text and "Totalsuppliers" not in text
    else:
        assert "Totalsuppliers" in text and "供应商总数" not in text


def test_many_sections_flow_over_pages_with_numbers():
    figure = Figure("x", "Indicator", "指标", "%", {2022: 1, 2023: 2.25, 2024: None})
    sections = [
        DisclosureSection(f"S{i}", f"章节{i}", f"Section {i}", "说明" * 60, "Narrative " * 30, (figure,) * 4)
        for i in range(12)
    ]
    pdf = render_disclosure_pdf(sample_disclosure_data(sections=sections))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 2
    last = "".join(reader.pages[-1].extract_text().split())
    assert f"Page{len(reader.pages)}of{len(reader.pages)}" in last
    text = pdf_text(pdf)
    assert "1.0" in text and "2.3" in text  # 2.25 rounds half up
    assert "B5.1" in text  # regions still placed, at the end when no B5.1 section


def test_disclosure_is_reproducible():
    data = sample_disclosure_data()
    assert render_disclosure_pdf(data) == render_disclosure_pdf(data)


def test_figure_values_are_normalised():
    data = sample_disclosure_data(
        sections=[("A", "甲", "A", "", "", [("f", "F", "乙", "", {"2024": 3, 2023: 2})])]
    )
    assert data.sections[0].figures[0].values == {2023: 2, 2024: 3}
