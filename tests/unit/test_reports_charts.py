"""Charts: Drawings for the PDFs, SVG text for the web pages, Chinese labels intact."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import SimpleDocTemplate

from reports import charts

DIMENSIONS = [
    ("产品质量\nProduct quality", 92),
    ("交付情况\nDelivery", 85.5),
    ("安全生产", 90),
    ("价格水平", 78),
]
TREND = [("2021", 74.5), ("2022", None), ("2023", 82.5), ("2024", 86.5)]
REGIONS = [("西南 Southwest", 1647), ("华东 East", 760), ("海外 Overseas", 26), ("东北", 0)]

ALL_CHARTS = {
    "bar": lambda: charts.bar_chart([("2022", 3050), ("2023", 3120), ("2024", 3168)], "供应商总数"),
    "horizontal": lambda: charts.horizontal_bar_chart(DIMENSIONS, "维度得分 / Dimension scores"),
    "line": lambda: charts.line_chart(TREND, "综合得分趋势"),
    "pie": lambda: charts.pie_chart(REGIONS, "地区分布", donut=False),
    "donut": lambda: charts.pie_chart(REGIONS, "地区分布"),
    "radar": lambda: charts.radar_chart([(n, v) for n, v in DIMENSIONS], "雷达图"),
}


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("name", sorted(ALL_CHARTS))
def test_every_chart_is_a_drawing_with_its_title_in_svg(name):
    drawing = ALL_CHARTS[name]()
    assert isinstance(drawing, Drawing)
    svg = charts.to_svg(drawing)
    assert svg.startswith("<svg ")
    assert svg.rstrip().endswith("</svg>")
    assert any(
        t.startswith(("供应商总数", "维度得分", "综合得分趋势", "地区分布", "雷达图")) for t in texts(svg)
    )


def test_chinese_and_bilingual_labels_survive_as_text():
    svg = charts.to_svg(charts.horizontal_bar_chart(DIMENSIONS, "维度得分 / Dimension scores"))
    words = texts(svg)
    for label in ("产品质量", "Product quality", "交付情况", "安全生产", "价格水平", "92.0", "85.5"):
        assert label in words
    # A mixed line is one <text> in SVG (the browser sets it), not one per font run.
    assert "维度得分 / Dimension scores" in words
    assert "font-family: 'Noto Sans CJK SC'" in svg
    assert "Helvetica, Arial" in svg


def test_pie_legend_has_labels_values_and_shares():
    words = texts(charts.to_svg(charts.pie_chart(REGIONS, "地区分布")))
    assert "西南 Southwest" in words
    assert "1,647 (67.7%)" in words
    assert "2,433" in words  # the donut's total


def test_svg_is_inline_ready_and_ids_do_not_collide():
    one = charts.to_svg(ALL_CHARTS["bar"](), title="供应商 & <总数>")
    two = charts.to_svg(ALL_CHARTS["line"]())
    assert "<?xml" not in one and "DOCTYPE" not in one
    assert 'role="img"' in one
    assert "<title>供应商 &amp; &lt;总数&gt;</title>" in one
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    ids_two = set(re.findall(r'id="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two
    for ref in re.findall(r"url\(#([^)]+)\)", one):
        assert ref in ids_one


def test_standalone_svg_keeps_the_prologue():
    assert charts.to_svg(ALL_CHARTS["bar"](), inline=False).startswith("<?xml")


def test_empty_data_draws_a_no_data_note():
    for drawing in (
        charts.bar_chart([], "空"),
        charts.horizontal_bar_chart([]),
        charts.line_chart([("2024", None)]),
        charts.pie_chart([("A", 0)]),
        charts.radar_chart([]),
    ):
        assert charts.NO_DATA in texts(charts.to_svg(drawing))


def test_values_beyond_the_scale_are_clamped_but_printed():
    svg = charts.to_svg(charts.horizontal_bar_chart([("超额", 130), ("负数", -5)], value_max=100))
    assert "130.0" in texts(svg) and "-5.0" in texts(svg)


def test_nice_axis_maximum():
    assert charts._nice_max(95) == 100
    assert charts._nice_max(3168) == 4000
    assert charts._nice_max(7) == 8
    assert charts._ticks(0, 4000) == [0, 1000, 2000, 3000, 4000]


def test_drawings_are_flowables_in_a_pdf_with_their_chinese_labels():
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1).build([ALL_CHARTS["horizontal"](), ALL_CHARTS["donut"]()])
    text = "".join(PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text().split())
    for label in ("产品质量", "Productquality", "维度得分", "西南", "Southwest"):
        assert label in text


def test_drawing_is_deterministic():
    assert charts.to_svg(ALL_CHARTS["radar"]()) == charts.to_svg(ALL_CHARTS["radar"]())
