"""Scorecards: what a PDF prints (text extracted), verification codes, evidence as of the evaluation."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from supplychain.models import ScorecardIssue
from supplychain.services.evaluation import scorecards
from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import (
    gen_action,
    gen_certificate,
    gen_final_evaluation,
    gen_incident,
    gen_pledge,
    gen_training,
)

SETTINGS = scorecards.ScorecardSettings(
    secret="test-secret", base_url="https://esg.example.com", issuer="示例集团有限公司"
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def evaluated(session):
    """A qualified Chongqing supplier with evidence and a final 2024 evaluation approved at two levels."""
    category = gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(
        session,
        status="qualified",
        name_zh="重庆渝新精密机械有限公司",
        name_en="Chongqing Yuxin Precision Machinery",
        categories=["equipment"],
        today=date(2022, 1, 5),
    )
    gen_certificate(session, supplier, "iso9001", expires_on=date(2027, 1, 1))
    gen_certificate(session, supplier, "iso14001", expires_on=date(2024, 6, 30), number="00122E30987R1M")
    gen_pledge(session, supplier, "integrity", signed_on=date(2023, 3, 1))
    gen_training(session, date(2024, 4, 1), [supplier], hours=6)
    gen_incident(session, supplier, "environmental", "minor", date(2024, 5, 10), "废水超标排放")
    gen_action(session, supplier, due_on=date(2024, 11, 30), action="完成废水处理设施整改")
    approvers = [
        gen_user(session, "reviewer", name="审核人 李强"),
        gen_user(session, "reviewer", name="审核人 张静"),
    ]
    gen_final_evaluation(session, supplier, year=2023, category=category, manual=70, approvers=approvers[:1])
    evaluation = gen_final_evaluation(
        session, supplier, year=2024, category=category, manual=88, approvers=approvers
    )
    session.commit()
    return evaluation


def test_pdf_text_has_name_credit_code_total_and_grade(session, evaluated):
    file = scorecards.scorecard_pdf(session, evaluated.id, "both", SETTINGS)
    text = _text(file.pdf)
    assert "重庆渝新精密机械有限公司" in text
    assert evaluated.supplier.credit_code in text
    assert f"{evaluated.total:.1f}" in text
    band = next(b for b in evaluated.snapshot["scheme"]["bands"] if b["key"] == evaluated.grade)
    assert band["name_zh"] in text and band["name_en"] in text
    assert scorecards.display_code(file.code) in text
    assert "审核人 李强" in text
    assert file.filename == f"scorecard-{evaluated.supplier.credit_code}-2024-E{evaluated.id}-zh-en.pdf"


@pytest.mark.parametrize(
    "language,present,absent", [("zh", "综合得分", "Total score"), ("en", "Total score", "综合得分")]
)
def test_one_language(session, evaluated, language, present, absent):
    text = _text(scorecards.scorecard_pdf(session, evaluated.id, language, SETTINGS).pdf)
    assert present in text and absent not in text
    assert "重庆渝新精密机械有限公司" in text  # the legal name in every language


def test_figures_come_from_the_stored_evaluation_and_the_snapshot(session, evaluated):
    context = scorecards.load_context(session, [evaluated])
    card = scorecards.build(evaluated, context, SETTINGS, ("zh", "en"), scorecards.now())
    data, figures = card.data, card.figures
    assert data.total == evaluated.total and figures["grade"] == evaluated.grade
    assert [p.period for p in data.trend] == ["2023", "2024"]
    assert data.percentile == 100.0  # alone in its category and period
    assert {c.type for c in data.certificates} == {"ISO 9001", "ISO 14001"}
    iso14001 = next(c for c in data.certificates if c.type == "ISO 14001")
    assert iso14001.status == "expired"  # expired on 30 June, before the evaluation date (31 Dec 2024)
    assert [p.kind_zh for p in data.pledges] == ["廉洁承诺书"]
    assert data.training_hours_12m == 6
    assert [i.summary for i in data.incidents] == ["废水超标排放"]
    assert data.open_corrective_actions == 1 and data.corrective_actions[0].status == "overdue"
    assert [a.level for a in data.approvals] == [1, 2]
    assert data.verification_url == f"https://esg.example.com/verify/{scorecards.display_code(card.code)}"


def test_same_figures_same_code_and_one_issue(session, evaluated):
    first = scorecards.scorecard_pdf(session, evaluated.id, "both", SETTINGS)
    session.commit()
    again = scorecards.scorecard_pdf(session, evaluated.id, "en", SETTINGS)
    session.commit()
    assert first.code == again.code
    assert session.query(ScorecardIssue).count() == 1
    other_secret = scorecards.ScorecardSettings(secret="another", base_url="x")
    card = scorecards.build(
        evaluated, scorecards.load_context(session, [evaluated]), other_secret, ("zh",), scorecards.now()
    )
    assert card.code != first.code  # the code is keyed: it cannot be computed without the secret


def test_verification(session, evaluated):
    code = scorecards.scorecard_pdf(session, evaluated.id, "both", SETTINGS).code
    session.commit()
    ok = scorecards.verify(session, scorecards.display_code(code).lower())
    assert ok.verified and ok.figures["total"] == evaluated.total
    # One character changed: unknown, never a near match.
    altered = ("1" if code[0] != "1" else "2") + code[1:]
    assert scorecards.verify(session, altered).reason == "unknown"
    assert scorecards.verify(session, "not a code").reason == "malformed"
    assert scorecards.verify(session, "").reason == "malformed"
    # Stored figures edited behind the hash's back: tampered.
    issue = session.query(ScorecardIssue).one()
    issue.figures = {**issue.figures, "total": 99.0}
    session.commit()
    assert scorecards.verify(session, code).reason == "tampered"


def test_a_changed_evaluation_no_longer_verifies(session, evaluated):
    code = scorecards.scorecard_pdf(session, evaluated.id, "both", SETTINGS).code
    evaluated.total = 12.5
    session.commit()
    answer = scorecards.verify(session, code)
    assert not answer.verified and answer.reason == "changed"


def test_only_final_evaluations_have_scorecards(session):
    supplier = gen_supplier(session, status="qualified")
    draft = gen_final_evaluation(session, supplier, status="submitted")
    session.commit()
    with pytest.raises(scorecards.ScorecardUnavailable):
        scorecards.scorecard_pdf(session, draft.id, "both", SETTINGS)
    with pytest.raises(scorecards.ScorecardUnavailable):
        scorecards.scorecard_pdf(session, 999999, "both", SETTINGS)
    with pytest.raises(scorecards.ScorecardUnavailable):
        scorecards.scorecard_pdf(session, draft.id, "fr", SETTINGS)


def test_overseas_supplier_without_credit_code(session):
    supplier = gen_supplier(
        session,
        status="qualified",
        name_zh="Schmidt Maschinenbau GmbH（德国）",
        credit_code="",
        country="DE",
        province="",
        city="München",
    )
    evaluation = gen_final_evaluation(session, supplier)
    session.commit()
    file = scorecards.scorecard_pdf(session, evaluation.id, "en", SETTINGS)
    text = _text(file.pdf)
    assert "overseas supplier" in text
    assert file.filename.startswith(f"scorecard-S{supplier.id}-")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("abcde-fghjk", "ABCDEFGHJK"),
        ("ABCDE FGHJK", "ABCDEFGHJK"),
        ("0O1IL23456", "0011123456"),
        ("ABCDE-FGHJ", None),
        ("ABCDE-FGHJU", None),
        (None, None),
    ],
)
def test_normalise_code(text, expected):
    assert scorecards.normalise_code(text) == expected


def test_qr_codes_point_at_the_public_address_when_there_is_one():
    config = {"SECRET_KEY": "s", "PUBLIC_BASE_URL": "https://esg.example.com/"}
    assert scorecards.settings_from(config, "http://10.0.0.5:8000/").base_url == "https://esg.example.com"
    assert scorecards.settings_from(config, "http://cli/", explicit=True).base_url == "http://cli"
    assert scorecards.settings_from({"SECRET_KEY": "s"}, "http://host:5000/").base_url == "http://host:5000"
    assert scorecards.settings_from({"SECRET_KEY": "s"}).secret == "s"
