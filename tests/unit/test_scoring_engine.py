"""The pure scoring engine: worked examples with exact figures, and properties (issue 4)."""

from __future__ import annotations

import copy
import json
import pickle
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction
from math import floor

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from config.schemes import ADMISSION_SCHEME, DEFAULT_BANDS, DEFAULT_SCHEMES, PERIODIC_SCHEME
from supplychain.scoring import (
    INCIDENT_CATEGORIES,
    INCIDENT_SEVERITIES,
    CertificateFact,
    Criterion,
    Dimension,
    IncidentFact,
    InvalidManualScoreError,
    InvalidSchemeError,
    MissingManualScoresError,
    PledgeFact,
    RedLine,
    Scheme,
    SupplierFacts,
    TrainingFact,
    evaluation_snapshot,
    missing_manual_criteria,
    months_before,
    percentile,
    scheme_from_dict,
    scheme_to_dict,
    score,
    score_snapshot,
)

AS_OF = date(2024, 6, 30)
RUBRIC = "90-100 excellent; 75-89 good; 60-74 fair; 0-59 poor"
BAND_ORDER = {"unqualified": 0, "conditional": 1, "qualified": 2, "excellent": 3}


def small_scheme(**changes) -> Scheme:
    """Two dimensions covering every criterion kind; every red-line kind."""
    fields = dict(
        code="test.small",
        kind="periodic",
        version=3,
        name_zh="测试方案",
        name_en="Test scheme",
        dimensions=(
            Dimension(
                "quality",
                "质量",
                "Quality",
                60,
                (
                    Criterion("q_manual", "质量评分", "Quality score", "manual", 50, rubric_en=RUBRIC),
                    Criterion(
                        "iso9001", "ISO 9001", "ISO 9001", "certificate_valid", 50, {"cert_type": "iso9001"}
                    ),
                ),
            ),
            Dimension(
                "esg",
                "ESG",
                "ESG",
                40,
                (
                    Criterion("training", "培训", "Training", "training_hours", 25, {"hours": 8}),
                    Criterion(
                        "no_incident",
                        "无重大事件",
                        "No major incident",
                        "no_major_incident",
                        25,
                        {"years": 3},
                    ),
                    Criterion(
                        "pledge",
                        "廉洁承诺",
                        "Integrity pledge",
                        "pledge_signed",
                        25,
                        {"pledge_kind": "integrity"},
                    ),
                    Criterion(
                        "saq_env", "自评-环境", "SAQ environment", "saq_theme", 25, {"theme": "environment"}
                    ),
                ),
            ),
        ),
        bands=DEFAULT_BANDS,
        red_lines=(
            RedLine("dishonest", "dishonest_list", {}, True),
            RedLine("bribery", "principal_bribery", {}, True),
            RedLine("blacklist", "blacklisted", {}, True),
            RedLine("licence", "missing_licence", {}, False),
            RedLine("pledge_refused", "pledge_refused", {"pledge_kind": "integrity"}, True),
            RedLine("critical", "critical_incident", {"years": 3}, True),
        ),
    )
    fields.update(changes)
    return Scheme(**fields)


def good_facts(**changes) -> SupplierFacts:
    """Facts for the worked example: 6 h of training in the window, SAQ environment 72.5."""
    fields = dict(
        certificates=(CertificateFact("iso9001", date(2022, 1, 1), date(2025, 1, 1), True, "00122Q"),),
        pledges=(PledgeFact("integrity", date(2024, 1, 5), date(2025, 1, 4)),),
        trainings=(
            TrainingFact(date(2023, 6, 30), 10),  # exactly 12 months before: outside the window
            TrainingFact(date(2023, 7, 1), 4),
            TrainingFact(date(2024, 6, 30), 2.0),
            TrainingFact(date(2024, 7, 1), 10),  # after the as-of date: ignored
        ),
        incidents=(IncidentFact("safety", "minor", date(2024, 3, 1)),),
        saq_theme_scores={"environment": 72.5},
    )
    fields.update(changes)
    return SupplierFacts(**fields)


# ---------------------------------------------------------------------------------------------
# Worked examples


def test_worked_example_exact_figures():
    result = score(small_scheme(), good_facts(), {"q_manual": 85}, AS_OF)
    # quality = 85 x 50 % + 100 x 50 % = 92.5; esg = (75 + 100 + 100 + 72.5) / 4 = 86.875
    # total = 92.5 x 60 % + 86.875 x 40 % = 90.25 -> 90.3 (half up, not banker's 90.2)
    assert result.total == 90.3
    assert [(d.key, d.score, d.points) for d in result.dimension_scores] == [
        ("quality", 92.5, 55.5),
        ("esg", 86.9, 34.75),
    ]
    assert [(e.criterion_key, e.score, e.points) for e in result.explanations] == [
        ("q_manual", 85.0, 25.5),
        ("iso9001", 100.0, 30.0),
        ("training", 75.0, 7.5),
        ("no_incident", 100.0, 10.0),
        ("pledge", 100.0, 10.0),
        ("saq_env", 72.5, 7.25),
    ]
    assert result.band.key == "excellent"
    assert result.band.action == "excellent_certificate"
    assert result.passed is True
    assert result.red_lines_failed == ()
    assert result.social_non_compliance is False
    assert (result.scheme_code, result.scheme_version, result.as_of) == ("test.small", 3, AS_OF)


def test_explanations_are_bilingual_and_name_the_evidence():
    lines = {
        e.criterion_key: e for e in score(small_scheme(), good_facts(), {"q_manual": 85}, AS_OF).explanations
    }
    assert (
        lines["q_manual"].text_en
        == "Quality score: evaluator score 85 against the rubric → 85/100 (25.50 points)"
    )
    assert lines["q_manual"].text_zh == "质量评分：评审打分 85（按评分标准） → 85/100（25.50 分）"
    assert lines["iso9001"].text_en == (
        "ISO 9001: valid ISO 9001 certificate on 2024-06-30, no. 00122Q, expires 2025-01-01"
        " → 100/100 (30.00 points)"
    )
    assert "有效期至 2025-01-01" in lines["iso9001"].text_zh
    assert lines["training"].text_en == (
        "Training: 6 h of training in the 12 months to 2024-06-30 (target 8 h) → 75/100 (7.50 points)"
    )
    assert lines["training"].text_zh.startswith(
        "培训：截至 2024-06-30 的 12 个月内培训 6 小时（目标 8 小时）"
    )
    assert "signed on 2024-01-05" in lines["pledge"].text_en
    assert "已于 2024-01-05 签署廉洁承诺书" in lines["pledge"].text_zh
    assert "scored 72.5" in lines["saq_env"].text_en


def test_default_periodic_scheme_worked_example():
    # No receipts: delivery and acceptance are scored by hand against their rubric (the fallback).
    manual = {c.key: 80 for c in PERIODIC_SCHEME.scorable_criteria()}
    result = score(PERIODIC_SCHEME, SupplierFacts(), manual, AS_OF)
    # quality 80x70%+100x30% = 86 -> 25.8; delivery 16; price 12; service 8; contract 8;
    # ESG 3 x 15 (no incidents) + 0 (no pledge, no training, no reviewed self-assessment) = 45 % -> 6.75
    assert result.total == 76.6
    assert result.band.key == "qualified"
    assert result.band.action == "qualified_certificate"
    assert result.passed


def test_default_admission_scheme_worked_example():
    facts = SupplierFacts(
        certificates=tuple(
            CertificateFact(t, date(2023, 1, 1), date(2026, 1, 1))
            for t in ("iso9001", "iso14001", "iso45001")
        ),
        pledges=(
            PledgeFact("integrity", date(2024, 5, 1)),
            PledgeFact("code_of_conduct", date(2024, 5, 1)),
        ),
    )
    manual = {c.key: 80 for c in ADMISSION_SCHEME.manual_criteria()}
    result = score(ADMISSION_SCHEME, facts, manual, AS_OF)
    # 88x15% + 80x15% + 80x20% + 94x15% + 94x10% + 100x10% + 80x15% = 86.7
    assert result.total == 86.7
    assert result.band.key == "qualified"
    assert result.band.action == "admission"
    assert result.passed


def test_admission_requires_a_signed_integrity_pledge():
    manual = {c.key: 100 for c in ADMISSION_SCHEME.manual_criteria()}
    result = score(ADMISSION_SCHEME, SupplierFacts(), manual, AS_OF)
    assert result.red_lines_failed == ("integrity_pledge",)
    assert result.band.key == "unqualified"
    assert result.band.action == "reject"
    assert not result.passed


def test_failed_red_line_forces_lowest_band_but_keeps_total():
    result = score(small_scheme(), good_facts(on_dishonest_list=True), {"q_manual": 85}, AS_OF)
    assert result.total == 90.3
    assert result.score_band.key == "excellent"
    assert result.band.key == "unqualified"
    assert result.band.action == "suspend"
    assert result.passed is False
    assert result.red_lines_failed == ("dishonest",)
    assert result.social_non_compliance is True
    outcome = next(o for o in result.red_lines if o.key == "dishonest")
    assert outcome.text_zh.endswith("已列入严重违法失信名单")


def test_every_red_line_kind_fails_on_its_fact():
    cases = {
        "dishonest": good_facts(on_dishonest_list=True),
        "bribery": good_facts(principal_bribery_conviction=True),
        "blacklist": good_facts(blacklisted=True),
        "licence": good_facts(required_licences=("production_licence",)),
        "pledge_refused": good_facts(pledges=(PledgeFact("integrity", None, refused=True),)),
        "critical": good_facts(incidents=(IncidentFact("labour", "critical", date(2022, 1, 1)),)),
    }
    for key, facts in cases.items():
        result = score(small_scheme(), facts, {"q_manual": 100}, AS_OF)
        assert result.red_lines_failed == (key,), key
        assert not result.passed
    licence = score(small_scheme(), cases["licence"], {"q_manual": 100}, AS_OF)
    assert licence.social_non_compliance is False  # a missing licence is not social non-compliance
    assert "production licence" in next(o.text_en for o in licence.red_lines if o.failed)


def test_lowest_band_by_score_alone_does_not_pass():
    facts = SupplierFacts()
    result = score(small_scheme(red_lines=()), facts, {"q_manual": 0}, AS_OF)
    # esg = (0 + 100 + 0 + 0) / 4 = 25 -> total 10
    assert result.total == 10.0
    assert result.band.key == "unqualified"
    assert result.red_lines_failed == ()
    assert not result.passed


@pytest.mark.parametrize(
    ("certificate", "expected", "reason"),
    [
        (CertificateFact("iso9001", date(2021, 7, 1), date(2024, 6, 30)), 100.0, "expires 2024-06-30"),
        (CertificateFact("iso9001", date(2021, 7, 1), date(2024, 6, 29)), 0.0, "expired on 2024-06-29"),
        (CertificateFact("iso9001", date(2021, 7, 1), None), 100.0, "no expiry date"),
        (
            CertificateFact("iso9001", date(2024, 7, 1), date(2027, 6, 30)),
            0.0,
            "no ISO 9001 certificate on file",
        ),
        (
            CertificateFact("iso9001", date(2021, 7, 1), date(2025, 6, 30), verified=False),
            0.0,
            "not verified",
        ),
        (
            CertificateFact("iso14001", date(2021, 7, 1), date(2025, 6, 30)),
            0.0,
            "no ISO 9001 certificate on file",
        ),
    ],
)
def test_certificate_validity_as_of_date(certificate, expected, reason):
    result = score(small_scheme(), good_facts(certificates=(certificate,)), {"q_manual": 85}, AS_OF)
    line = next(e for e in result.explanations if e.criterion_key == "iso9001")
    assert line.score == expected
    assert reason in line.text_en


def test_unverified_certificate_can_be_accepted_by_param():
    scheme = small_scheme()
    dims = list(scheme.dimensions)
    dims[0] = Dimension(
        "quality",
        "质量",
        "Quality",
        60,
        (
            dims[0].criteria[0],
            Criterion(
                "iso9001",
                "",
                "ISO 9001",
                "certificate_valid",
                50,
                {"cert_type": "iso9001", "require_verified": False},
            ),
        ),
    )
    facts = good_facts(certificates=(CertificateFact("iso9001", date(2021, 7, 1), None, verified=False),))
    result = score(small_scheme(dimensions=tuple(dims)), facts, {"q_manual": 85}, AS_OF)
    assert result.explanations[1].score == 100.0


def test_pledges_signature_refusal_and_expiry():
    def pledge_line(*pledges):
        result = score(small_scheme(), good_facts(pledges=pledges), {"q_manual": 85}, AS_OF)
        line = next(e for e in result.explanations if e.criterion_key == "pledge")
        return line, result.red_lines_failed

    line, failed = pledge_line(PledgeFact("integrity", date(2022, 1, 1), date(2023, 12, 31)))
    assert (line.score, failed) == (0.0, ())
    assert "expired on 2023-12-31" in line.text_en
    line, failed = pledge_line(PledgeFact("integrity", None, refused=True, refused_on=date(2023, 1, 1)))
    assert (line.score, failed) == (0.0, ("pledge_refused",))
    assert line.text_zh.endswith("拒绝签署廉洁承诺书 → 0/100（0.00 分）")
    # a later signature cures an earlier refusal; a refusal dated after the as-of date is ignored
    line, failed = pledge_line(
        PledgeFact("integrity", None, refused=True, refused_on=date(2023, 1, 1)),
        PledgeFact("integrity", date(2024, 2, 1)),
    )
    assert (line.score, failed) == (100.0, ())
    line, failed = pledge_line(PledgeFact("integrity", None, refused=True, refused_on=date(2024, 7, 1)))
    assert (line.score, failed) == (0.0, ())
    line, failed = pledge_line(PledgeFact("anti_bribery", date(2024, 2, 1)))
    assert (line.score, failed) == (0.0, ())


def test_incident_window_is_the_last_n_years():
    def outcome(*incidents):
        result = score(small_scheme(), good_facts(incidents=incidents), {"q_manual": 85}, AS_OF)
        return next(
            e for e in result.explanations if e.criterion_key == "no_incident"
        ).score, result.red_lines_failed

    assert outcome(IncidentFact("environmental", "major", date(2021, 6, 30))) == (100.0, ())
    assert outcome(IncidentFact("environmental", "major", date(2021, 7, 1))) == (0.0, ())
    assert outcome(IncidentFact("environmental", "major", date(2024, 7, 1))) == (100.0, ())
    assert outcome(IncidentFact("environmental", "minor", date(2024, 1, 1))) == (100.0, ())
    assert outcome(IncidentFact("ethics", "critical", date(2024, 1, 1))) == (0.0, ("critical",))


def test_incident_categories_filter():
    scheme = small_scheme(
        red_lines=(RedLine("critical", "critical_incident", {"years": 1, "categories": ["labour"]}, True),)
    )
    facts = good_facts(incidents=(IncidentFact("quality", "critical", date(2024, 1, 1)),))
    assert score(scheme, facts, {"q_manual": 85}, AS_OF).red_lines_failed == ()
    facts = good_facts(incidents=(IncidentFact("labour", "critical", date(2024, 1, 1)),))
    assert score(scheme, facts, {"q_manual": 85}, AS_OF).red_lines_failed == ("critical",)


def test_training_is_proportional_and_capped():
    def training_score(*hours):
        facts = good_facts(trainings=tuple(TrainingFact(date(2024, 1, 1), h) for h in hours))
        result = score(small_scheme(), facts, {"q_manual": 85}, AS_OF)
        return next(e for e in result.explanations if e.criterion_key == "training").score

    assert training_score() == 0.0
    assert training_score(1) == 12.5
    assert training_score(1, 0.5, 1) == 31.3  # 2.5 / 8 = 31.25 -> 31.3
    assert training_score(20) == 100.0


def test_saq_theme_missing_or_out_of_range():
    def saq(scores):
        result = score(small_scheme(), good_facts(saq_theme_scores=scores), {"q_manual": 85}, AS_OF)
        return next(e for e in result.explanations if e.criterion_key == "saq_env")

    assert saq({}).score == 0.0
    assert "not answered" in saq({}).text_en
    assert saq({"environment": 140}).score == 100.0
    assert saq({"environment": 66.66}).score == 66.7


def test_months_before_clamps_to_month_end():
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2024, 1, 15), 36) == date(2021, 1, 15)


def test_missing_manual_scores_are_an_error_listing_every_one():
    scheme = PERIODIC_SCHEME
    manual = {c.key: 70 for c in scheme.scorable_criteria()}
    manual["price_competitiveness"] = "  "
    del manual["on_time_delivery"]
    # Without receipts the on-time delivery fallback needs its score too.
    assert missing_manual_criteria(scheme, manual, SupplierFacts(), AS_OF) == ("on_time_delivery",
                                                                               "price_competitiveness")
    assert missing_manual_criteria(scheme, manual) == ("price_competitiveness",)
    with pytest.raises(MissingManualScoresError) as caught:
        score(scheme, SupplierFacts(), manual, AS_OF)
    assert caught.value.criteria == ("on_time_delivery", "price_competitiveness")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (100.5, "manual_score.out_of_range"),
        (-1, "manual_score.out_of_range"),
        ("abc", "manual_score.not_a_number"),
        (float("nan"), "manual_score.not_a_number"),
        (True, "manual_score.not_a_number"),
    ],
)
def test_invalid_manual_score_is_rejected(raw, code):
    with pytest.raises(InvalidManualScoreError) as caught:
        score(small_scheme(), good_facts(), {"q_manual": raw}, AS_OF)
    assert (caught.value.criterion_key, caught.value.code) == ("q_manual", code)


def test_manual_score_text_and_unknown_keys():
    base = score(small_scheme(), good_facts(), {"q_manual": 85}, AS_OF)
    assert score(small_scheme(), good_facts(), {"q_manual": "85", "other": 3}, AS_OF) == base
    assert score(small_scheme(), good_facts(), {"q_manual": "８５"}, AS_OF) == base


def test_invalid_scheme_is_refused():
    scheme = small_scheme(bands=DEFAULT_BANDS[:3])
    with pytest.raises(InvalidSchemeError) as caught:
        score(scheme, good_facts(), {"q_manual": 85}, AS_OF)
    assert [e.code for e in caught.value.errors] == ["bands.gap"]


def test_float_inputs_are_read_as_typed_and_rounded_half_up():
    # In binary floating point 0.5 x 80.1 + 0.5 x 80 is 80.04999..., which would round to 80.0.
    dimension = Dimension(
        "d",
        "维度",
        "D",
        100,
        (
            Criterion("a", "甲", "A", "manual", 50, rubric_zh="标准"),
            Criterion("b", "乙", "B", "manual", 50, rubric_zh="标准"),
        ),
    )
    scheme = small_scheme(dimensions=(dimension,), red_lines=())
    result = score(scheme, SupplierFacts(), {"a": 80.1, "b": 80}, AS_OF)
    assert result.total == 80.1
    assert [e.points for e in result.explanations] == [40.05, 40.0]
    assert result.dimension_scores[0].score == 80.1


def test_decimal_weights_and_scores_are_exact():
    dimensions = (
        Dimension("a", "甲", "A", 33.3, (Criterion("m1", "一", "One", "manual", 100, rubric_zh="标准"),)),
        Dimension(
            "b",
            "乙",
            "B",
            66.7,
            (
                Criterion("m2", "二", "Two", "manual", 12.5, rubric_zh="标准"),
                Criterion("t", "培训", "Training", "training_hours", 87.5, {"hours": 3}),
            ),
        ),
    )
    scheme = small_scheme(dimensions=dimensions, red_lines=())
    facts = SupplierFacts(trainings=(TrainingFact(date(2024, 1, 1), 1),))  # 1/3 -> 33.3
    result = score(scheme, facts, {"m1": 89.95, "m2": 70.25}, AS_OF)
    # a = 89.95; b = 70.25 x 12.5 % + 33.3 x 87.5 % = 8.78125 + 29.1375 = 37.91875
    # total = 89.95 x 33.3 % + 37.91875 x 66.7 % = 29.95335 + 25.29180625 = 55.24515625
    assert result.total == 55.2
    assert [(d.score, d.points, d.weight) for d in result.dimension_scores] == [
        (90.0, 29.95, 33.3),
        (37.9, 25.29, 66.7),
    ]
    assert [e.points for e in result.explanations] == [29.95, 5.86, 19.43]


def test_result_does_not_depend_on_the_callers_decimal_context():
    expected = score(small_scheme(), good_facts(), {"q_manual": 85}, AS_OF)
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = ROUND_DOWN
        assert score(small_scheme(), good_facts(), {"q_manual": 85}, AS_OF) == expected


def test_result_to_dict_is_json_safe():
    result = score(small_scheme(), good_facts(on_dishonest_list=True), {"q_manual": 85}, AS_OF)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["total"] == 90.3
    assert data["band"] == "unqualified"
    assert data["score_band"] == "excellent"
    assert data["red_lines_failed"] == ["dishonest"]
    assert data["social_non_compliance"] is True
    assert len(data["explanations"]) == 6


def test_numeric_columns_arrive_as_decimals():
    facts = good_facts(
        trainings=(
            TrainingFact(date(2024, 1, 1), Decimal("1.5")),
            TrainingFact(date(2024, 2, 1), Decimal("4.50")),
        ),
        saq_theme_scores={"environment": Decimal("72.50")},
    )
    assert facts.trainings[0].hours == 1.5 and facts.trainings[1].hours == 4.5
    assert json.loads(json.dumps(facts.to_dict())) == facts.to_dict()
    assert SupplierFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
    result = score(small_scheme(), facts, {"q_manual": 85}, AS_OF)
    assert [e.score for e in result.explanations if e.kind in ("training_hours", "saq_theme")] == [75.0, 72.5]


def test_compiled_scheme_pickles_and_copies():
    scheme = small_scheme()
    expected = score(scheme, good_facts(), {"q_manual": 85}, AS_OF)  # compiles and caches the plan
    for clone in (pickle.loads(pickle.dumps(scheme)), copy.deepcopy(scheme)):
        assert clone == scheme
        assert score(clone, good_facts(), {"q_manual": 85}, AS_OF) == expected


def test_percentile():
    assert percentile(80, [80]) == 100.0
    assert percentile(90, [60, 70, 80, 90]) == 100.0
    assert percentile(60, [60, 70, 80, 90]) == 25.0
    assert percentile(70, [60, 70, 70, 90, 95, 99]) == 50.0
    assert percentile(61, [60, 62, 70]) == 33.3
    assert percentile(50, [60, 70]) == 0.0
    with pytest.raises(ValueError):
        percentile(50, [])


# ---------------------------------------------------------------------------------------------
# Strategies


@st.composite
def weights(draw, count: int) -> list[int]:
    """``count`` positive integer weights adding up to 100."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


CRITERION_KINDS_EVIDENCE = (
    "certificate_valid",
    "licences_valid",
    "pledge_signed",
    "training_hours",
    "no_major_incident",
    "saq_theme",
)
CERT_TYPES = ("iso9001", "iso14001", "production_licence")
PLEDGE_KINDS = ("integrity", "code_of_conduct")
THEMES = ("environment", "labour")


@st.composite
def criterion_params(draw, kind: str) -> dict:
    if kind == "certificate_valid":
        return {"cert_type": draw(st.sampled_from(CERT_TYPES)), "require_verified": draw(st.booleans())}
    if kind == "licences_valid":
        return {}
    if kind == "pledge_signed":
        return {"pledge_kind": draw(st.sampled_from(PLEDGE_KINDS))}
    if kind == "training_hours":
        return {
            "hours": draw(st.sampled_from([1, 4, 8, 12.5, 16])),
            "months": draw(st.sampled_from([6, 12, 24])),
        }
    if kind == "no_major_incident":
        categories = draw(st.lists(st.sampled_from(INCIDENT_CATEGORIES), unique=True, max_size=3))
        params = {"years": draw(st.integers(1, 5))}
        if categories:
            params["categories"] = tuple(categories)
        return params
    if kind == "saq_theme":
        return {"theme": draw(st.sampled_from(THEMES))}
    return {}


RED_LINES = (
    RedLine("dishonest", "dishonest_list", {}, True),
    RedLine("bribery", "principal_bribery", {}, True),
    RedLine("blacklist", "blacklisted", {}, True),
    RedLine("licence", "missing_licence", {}, False),
    RedLine("pledge_refused", "pledge_refused", {"pledge_kind": "integrity", "require_signed": False}, True),
    RedLine("critical", "critical_incident", {"years": 3}, True),
)


@st.composite
def schemes(draw, min_manual: int = 0) -> Scheme:
    """Valid random schemes: 1-4 dimensions of 1-4 criteria of any kind, some red lines."""
    dim_weights = draw(weights(draw(st.integers(1, 4))))
    dimensions = []
    index = 0
    for d_index, d_weight in enumerate(dim_weights):
        criteria = []
        for c_weight in draw(weights(draw(st.integers(1, 4)))):
            kind = draw(st.sampled_from(("manual", "manual", *CRITERION_KINDS_EVIDENCE)))
            if index < min_manual:
                kind = "manual"
            criteria.append(
                Criterion(
                    f"c{index}",
                    f"准则{index}",
                    f"Criterion {index}",
                    kind,
                    c_weight,
                    draw(criterion_params(kind)),
                    rubric_zh="评分标准" if kind == "manual" else "",
                )
            )
            index += 1
        dimensions.append(
            Dimension(f"d{d_index}", f"维度{d_index}", f"Dimension {d_index}", d_weight, tuple(criteria))
        )
    red_lines = draw(st.lists(st.sampled_from(RED_LINES), unique_by=lambda r: r.key))
    return Scheme(
        code="random",
        kind=draw(st.sampled_from(("admission", "periodic"))),
        version=draw(st.integers(1, 50)),
        name_zh="随机方案",
        name_en="",
        dimensions=tuple(dimensions),
        bands=DEFAULT_BANDS,
        red_lines=tuple(red_lines),
    )


days = st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def supplier_facts(draw) -> SupplierFacts:
    """Random facts around the as-of dates used by the properties."""
    certificates = draw(
        st.lists(
            st.builds(
                CertificateFact,
                st.sampled_from(CERT_TYPES),
                st.none() | days,
                st.none() | days,
                st.booleans(),
            ),
            max_size=4,
        )
    )
    pledges = draw(
        st.lists(
            st.builds(
                PledgeFact,
                st.sampled_from(PLEDGE_KINDS),
                st.none() | days,
                st.none() | days,
                st.booleans(),
                st.none() | days,
            ),
            max_size=3,
        )
    )
    trainings = draw(
        st.lists(st.builds(TrainingFact, days, st.sampled_from([0.5, 1, 2, 3.5, 8])), max_size=5)
    )
    incidents = draw(
        st.lists(
            st.builds(
                IncidentFact, st.sampled_from(INCIDENT_CATEGORIES), st.sampled_from(INCIDENT_SEVERITIES), days
            ),
            max_size=4,
        )
    )
    return SupplierFacts(
        certificates=tuple(certificates),
        pledges=tuple(pledges),
        trainings=tuple(trainings),
        incidents=tuple(incidents),
        blacklisted=draw(st.booleans()),
        on_dishonest_list=draw(st.booleans()),
        principal_bribery_conviction=draw(st.booleans()),
        saq_theme_scores=draw(
            st.dictionaries(st.sampled_from(THEMES), st.floats(0, 100, allow_nan=False) | st.integers(0, 100))
        ),
        required_licences=tuple(draw(st.lists(st.sampled_from(CERT_TYPES), max_size=2))),
    )


manual_values = (
    st.floats(0, 100, allow_nan=False) | st.integers(0, 100) | st.sampled_from([12.3, 99.95, 74.95])
)


@st.composite
def scoring_inputs(draw, min_manual: int = 0):
    scheme = draw(schemes(min_manual=min_manual))
    manual = {c.key: draw(manual_values) for c in scheme.manual_criteria()}
    as_of = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31)))
    return scheme, draw(supplier_facts()), manual, as_of


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------
# Properties


@PROPERTY_SETTINGS
@given(scoring_inputs())
def test_scores_stay_in_bounds(inputs):
    scheme, facts, manual, as_of = inputs
    result = score(scheme, facts, manual, as_of)
    assert 0 <= result.total <= 100
    assert result.total == round(result.total, 1)
    assert all(0 <= d.score <= 100 for d in result.dimension_scores)
    assert all(0 <= e.score <= 100 for e in result.explanations)
    assert len(result.explanations) == sum(len(d.criteria) for d in scheme.dimensions)
    assert abs(sum(e.points for e in result.explanations) - result.total) < 0.06 + 0.005 * len(
        result.explanations
    )
    band = result.score_band
    assert band.min_score <= result.total and (result.total < band.max_score or band.max_score == 100)


def _exact(number) -> Fraction:
    return Fraction(number) if isinstance(number, int) else Fraction(Decimal(repr(number)))


@PROPERTY_SETTINGS
@given(scoring_inputs())
def test_total_is_the_exact_weighted_sum_rounded_half_up(inputs):
    scheme, facts, manual, as_of = inputs
    result = score(scheme, facts, manual, as_of)
    lines = iter(result.explanations)
    exact = Fraction(0)
    for dimension in scheme.dimensions:
        for criterion in dimension.criteria:
            line = next(lines)
            if criterion.kind == "manual":
                assert line.score == manual[criterion.key]
            exact += _exact(dimension.weight) * _exact(criterion.weight) * _exact(line.score) / 10000
    assert result.total == floor(exact * 10 + Fraction(1, 2)) / 10


@PROPERTY_SETTINGS
@given(scoring_inputs(min_manual=1), st.data())
def test_never_decreases_when_a_manual_score_rises(inputs, data):
    scheme, facts, manual, as_of = inputs
    key = data.draw(st.sampled_from(sorted(manual)))
    higher = data.draw(st.floats(min_value=float(manual[key]), max_value=100, allow_nan=False))
    before = score(scheme, facts, manual, as_of)
    after = score(scheme, facts, {**manual, key: higher}, as_of)
    assert after.total >= before.total
    assert BAND_ORDER[after.band.key] >= BAND_ORDER[before.band.key]
    assert after.passed or not before.passed
    for d_before, d_after in zip(before.dimension_scores, after.dimension_scores, strict=True):
        assert d_after.score >= d_before.score


@PROPERTY_SETTINGS
@given(scoring_inputs())
def test_a_failed_red_line_always_fails_the_evaluation(inputs):
    scheme, facts, manual, as_of = inputs
    result = score(scheme, facts, manual, as_of)
    if result.red_lines_failed:
        assert result.passed is False
        assert result.band.key == "unqualified"
    else:
        assert result.band == result.score_band
    assert set(result.red_lines_failed) == {o.key for o in result.red_lines if o.failed}


@PROPERTY_SETTINGS
@given(
    scoring_inputs(), st.sampled_from(["on_dishonest_list", "blacklisted", "principal_bribery_conviction"])
)
def test_knock_out_fact_fails_even_with_perfect_scores(inputs, fact):
    scheme, facts, manual, as_of = inputs
    scheme = replace(scheme, red_lines=RED_LINES)
    perfect = {key: 100 for key in manual}
    facts = SupplierFacts.from_dict({**facts.to_dict(), fact: True})
    result = score(scheme, facts, perfect, as_of)
    assert not result.passed
    assert result.band.key == "unqualified"
    assert result.red_lines_failed


@PROPERTY_SETTINGS
@given(scoring_inputs())
def test_deterministic_and_snapshot_round_trip_gives_identical_results(inputs):
    scheme, facts, manual, as_of = inputs
    result = score(scheme, facts, manual, as_of)
    assert score(scheme, facts, dict(manual), as_of) == result
    snapshot = json.loads(json.dumps(evaluation_snapshot(scheme, facts, manual, as_of), ensure_ascii=False))
    assert score_snapshot(snapshot) == result
    assert SupplierFacts.from_dict(snapshot["facts"]) == facts
    fresh = scheme_from_dict(json.loads(json.dumps(scheme_to_dict(scheme))))
    assert fresh == scheme
    assert score(fresh, facts, manual, as_of) == result


@PROPERTY_SETTINGS
@given(supplier_facts(), st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31)))
def test_facts_after_the_as_of_date_do_not_matter(facts, as_of):
    scheme = small_scheme()
    manual = {"q_manual": 50}
    later = as_of + timedelta(days=1)
    extra = SupplierFacts(
        certificates=(*facts.certificates, CertificateFact("iso9001", later, None)),
        pledges=(
            *facts.pledges,
            PledgeFact("integrity", later),
            PledgeFact("integrity", None, None, True, later),
        ),
        trainings=(*facts.trainings, TrainingFact(later, 100)),
        incidents=(*facts.incidents, IncidentFact("safety", "critical", later)),
        blacklisted=facts.blacklisted,
        on_dishonest_list=facts.on_dishonest_list,
        principal_bribery_conviction=facts.principal_bribery_conviction,
        saq_theme_scores=facts.saq_theme_scores,
        required_licences=facts.required_licences,
    )
    assert score(scheme, extra, manual, as_of) == score(scheme, facts, manual, as_of)


@given(st.floats(0, 100, allow_nan=False), st.lists(st.floats(0, 100, allow_nan=False), max_size=30))
def test_percentile_bounds_and_order(value, others):
    population = [value, *others]
    rank = percentile(value, population)
    assert 0 < rank <= 100
    assume(others)
    best = max(population)
    assert percentile(best, population) == 100.0
    assert percentile(min(population), population) <= rank


def test_default_schemes_score_without_errors():
    for scheme in DEFAULT_SCHEMES.values():
        manual = {c.key: 75 for c in scheme.scorable_criteria()}
        result = score(scheme, SupplierFacts(), manual, AS_OF)
        assert 0 <= result.total <= 100
