"""Scorecard PDF defects of issue 13 (D12): crowded bilingual chart labels, a header cut mid-word, a
Chinese-only card saying "No data" in English, and one file name for three languages."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta, timezone

from pypdf import PdfReader
from reportlab.graphics.shapes import String

from reports import charts, render_scorecard
from reports.samples import sample_scorecard_data

LABELS = [("产品质量\nProduct quality", 92), ("交付情况\nDelivery", 85), ("价格水平\nPrice level", 78),
          ("售后服务\nAfter-sales service", 88), ("安全生产\nSafe production", 90),
          ("环境绩效\nEnvironmental performance", 76), ("合同履约\nContract performance", 81)]


def _all_strings(drawing):
    yield from charts._strings(drawing)


def test_seven_bilingual_dimension_labels_do_not_overlap():
    # The scorecard's chart: half a page wide, 124 pt high, 6.5 pt labels.
    drawing = charts.horizontal_bar_chart(LABELS, "维度得分 / Dimension scores", width=255, height=124,
                                          value_max=100, font_size=6.5, label_width=92)
    words = {line for label, _ in LABELS for line in label.split("\n")}
    lines = sorted(((s.y, s.fontSize) for s in _all_strings(drawing) if isinstance(s, String) and s.text in words),
                   reverse=True)
    assert len(lines) == 14
    for (upper_y, size), (lower_y, _) in zip(lines, lines[1:], strict=False):
        assert upper_y - lower_y >= size, "two label lines overlap"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_decided_at_header_is_not_cut_mid_word():
    data = sample_scorecard_data()
    zone = timezone(timedelta(hours=8))
    approvals = tuple(a._replace(decided_at=a.decided_at.astimezone(zone)) for a in data.approvals)
    text = _text(render_scorecard(replace(data, approvals=approvals), ("zh", "en")))
    assert "Decided at" in text and "(+08:00)" in text


def test_a_chinese_only_scorecard_says_no_data_in_chinese_only():
    data = replace(sample_scorecard_data(), trend=())
    zh = _text(render_scorecard(data, ("zh",)))
    assert "无数据" in zh and "No data" not in zh
    en = _text(render_scorecard(data, ("en",)))
    assert "No data" in en and "无数据" not in en
    assert charts.no_data_text(("zh", "en")) == "无数据 / No data"
