"""The signed pledge record."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from reports.fonts import FALLBACK_CID_FONT
from reports.pledge import render_signed_pledge, text_sha256
from reports.samples import SAMPLE_PLEDGE_EN, SAMPLE_PLEDGE_ZH, sample_signed_pledge_data


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("font_path", [None, FALLBACK_CID_FONT], ids=["auto-font", "cid-font"])
def test_pledge_record_shows_text_and_signing_evidence(font_path):
    data = sample_signed_pledge_data()
    text = pdf_text(render_signed_pledge(data, font_path=font_path))
    for expected in (
        "廉洁承诺书",
        "Integritypledge",
        "重庆渝新精密机械有限公司",
        "91500000MA5U7K2X4L",
        "本公司郑重承诺",
        "不参与围标、串标等违法行为",
        "Wesolemnlyundertake",
        "bidrigging",
        "张伟",
        "总经理",
        "GeneralManager",
        "2024-01-0810:24UTC",
        "203.0.113.42",
        data.text_sha256[:32],
        data.text_sha256[32:],
        "PL-3H8D-77QA",
    ):
        assert expected in text, expected


def test_only_the_chosen_language_text_is_printed():
    zh = pdf_text(render_signed_pledge(sample_signed_pledge_data(), ("zh",)))
    assert "本公司郑重承诺" in zh and "Wesolemnlyundertake" not in zh and "签署记录" in zh
    en = pdf_text(render_signed_pledge(sample_signed_pledge_data(), ("en",)))
    assert "Wesolemnlyundertake" in en and "本公司郑重承诺" not in en and "Signingrecord" in en


def test_a_pledge_in_one_language_only_and_without_verification_link():
    data = sample_signed_pledge_data(text_en="", verification_code="", verification_url="", credit_code=None)
    text = pdf_text(render_signed_pledge(data))
    assert "本公司郑重承诺" in text and "Englishtext" not in text
    assert "境外供应商" in text


def test_long_text_runs_onto_more_pages():
    data = sample_signed_pledge_data(text_zh="\n\n".join([SAMPLE_PLEDGE_ZH] * 25), text_en=SAMPLE_PLEDGE_EN)
    assert len(PdfReader(io.BytesIO(render_signed_pledge(data))).pages) >= 2


def test_reproducible_and_digest_helper():
    data = sample_signed_pledge_data()
    assert render_signed_pledge(data) == render_signed_pledge(data)
    assert text_sha256("承诺") == hashlib.sha256("承诺".encode()).hexdigest()
