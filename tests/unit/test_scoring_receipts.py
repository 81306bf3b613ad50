"""Receipt rates in the scoring engine: on-time delivery and acceptance, their 0-100 mapping, the manual fallback."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from config.schemes import PERIODIC_SCHEME
from supplychain.scoring import MissingManualScoresError, manual_keys_needed, score
from supplychain.scoring.facts import DeliveryFact, SupplierFacts, is_on_time
from supplychain.scoring.model import (
    ACCEPTANCE_RATE,
    ON_TIME_DELIVERY_RATE,
    Criterion,
    Dimension,
    GradeBand,
    Scheme,
)
from supplychain.scoring.validation import validate_scheme

AS_OF = date(2026, 12, 31)
BANDS = (GradeBand("pass", "合格", "Pass", 60, 100, "#1a7f37", "qualified_certificate"),
         GradeBand("fail", "不合格", "Fail", 0, 60, "#cf222e", "suspend"))
RUBRIC = "90–100: excellent\n0–59: poor"


def _scheme(kind: str = ON_TIME_DELIVERY_RATE, **params) -> Scheme:
    values = {"full_at": 98, "zero_at": 80, **params}
    criterion = Criterion("rate", "比率", "Rate", kind, 100, values, rubric_zh=RUBRIC, rubric_en=RUBRIC)
    return Scheme("periodic.test", "periodic", 1, "测试", "Test", (Dimension("d", "维度", "Dimension", 100,
                                                                              (criterion,)),), BANDS)


def _facts(*deliveries: DeliveryFact) -> SupplierFacts:
    return SupplierFacts(deliveries=deliveries)


def test_on_time_means_on_or_before_the_due_date():
    due = date(2026, 3, 10)
    assert is_on_time(due, due - timedelta(days=1))
    assert is_on_time(due, due)  # received on the due day: on time
    assert not is_on_time(due, due + timedelta(days=1))  # the day after: late


@pytest.mark.parametrize(("on_time", "lines", "expected"), [
    (20, 20, 100.0), (49, 50, 100.0),  # 98 % exactly: full marks
    (19, 20, 83.3),  # 95 %: (95 - 80) / (98 - 80) x 100
    (16, 20, 0.0), (0, 20, 0.0),  # 80 % exactly and below: nothing
    (17, 20, 27.8),  # 85 %
])
def test_on_time_rate_maps_linearly_between_the_thresholds(on_time, lines, expected):
    facts = _facts(DeliveryFact(date(2026, 6, 1), lines, on_time, 100, 100))
    result = score(_scheme(), facts, {}, AS_OF)
    assert result.total == expected
    line = result.explanations[0]
    assert line.text_en.startswith("Rate: from receipt data: on-time delivery")
    assert f"{on_time} of {lines} receipt lines" in line.text_en
    assert "按收货数据" in line.text_zh


def test_acceptance_rate_is_accepted_over_received_quantity():
    facts = _facts(DeliveryFact(date(2026, 2, 1), 3, 3, 1000, 960), DeliveryFact(date(2026, 5, 1), 1, 0, 200.5, 200.5))
    result = score(_scheme(ACCEPTANCE_RATE, full_at=99.5, zero_at=90), facts, {}, AS_OF)
    # 1160.5 / 1200.5 = 96.668 % -> (96.668 - 90) / 9.5 x 100 = 70.2
    assert result.total == 70.2
    assert "acceptance 96.7 % (1160.5 of 1200.5 received accepted" in result.explanations[0].text_en


def test_only_receipts_in_the_window_count():
    inside = DeliveryFact(date(2026, 1, 1), 10, 10, 10, 10)
    before = DeliveryFact(date(2025, 12, 31), 10, 0, 10, 10)  # the window is (2025-12-31, 2026-12-31]
    after = DeliveryFact(date(2027, 1, 1), 10, 0, 10, 10)
    assert score(_scheme(), _facts(inside, before, after), {}, AS_OF).total == 100.0


def test_without_receipts_the_evaluator_scores_against_the_rubric_and_the_line_says_so():
    scheme = _scheme()
    assert manual_keys_needed(scheme, SupplierFacts(), AS_OF) == ("rate",)
    with pytest.raises(MissingManualScoresError) as caught:
        score(scheme, SupplierFacts(), {}, AS_OF)
    assert caught.value.criteria == ("rate",)
    result = score(scheme, SupplierFacts(), {"rate": 72}, AS_OF)
    assert result.total == 72.0
    line = result.explanations[0]
    assert "no receipt data in the 12 months to 2026-12-31: evaluator score 72 against the rubric" in line.text_en
    assert "无收货数据" in line.text_zh and "人工评分 72" in line.text_zh


def test_with_receipts_a_manual_score_is_not_needed_and_ignored():
    facts = _facts(DeliveryFact(date(2026, 6, 1), 10, 10, 10, 10))
    assert manual_keys_needed(_scheme(), facts, AS_OF) == ()
    assert score(_scheme(), facts, {"rate": 10}, AS_OF).total == 100.0


def test_min_lines_turns_too_few_receipts_into_no_data():
    facts = _facts(DeliveryFact(date(2026, 6, 1), 2, 2, 10, 10))
    assert score(_scheme(min_lines=3), facts, {"rate": 50}, AS_OF).total == 50.0


def test_without_fallback_no_data_scores_zero():
    result = score(_scheme(manual_fallback=False), SupplierFacts(), {}, AS_OF)
    assert result.total == 0.0
    assert "no receipt data" in result.explanations[0].text_en


def test_default_periodic_scheme_uses_receipts_when_they_exist():
    manual = {c.key: 80 for c in PERIODIC_SCHEME.manual_criteria()}
    facts = _facts(DeliveryFact(date(2026, 6, 1), 50, 49, 1000, 995))  # 98 % on time, 99.5 % accepted
    result = score(PERIODIC_SCHEME, facts, manual, AS_OF)
    lines = {line.criterion_key: line for line in result.explanations}
    assert lines["on_time_delivery"].score == 100.0 and "from receipt data" in lines["on_time_delivery"].text_en
    assert lines["quality_acceptance"].score == 100.0
    # The worked example with 80 for both rates scores 76.6; full marks on both add 0.2 x 20 x 0.7 x 30 %.
    manual_only = score(PERIODIC_SCHEME, SupplierFacts(), {**manual, "on_time_delivery": 80,
                                                            "quality_acceptance": 80}, AS_OF)
    assert manual_only.total == 76.6
    assert result.total == pytest.approx(76.6 + 20 * 0.3 * 0.7 + 20 * 0.2, abs=0.05)


def test_a_snapshot_with_deliveries_rescores_identically():
    facts = _facts(DeliveryFact(date(2026, 6, 1), 7, 5, 12.125, 12))
    again = SupplierFacts.from_dict(facts.to_dict())
    assert again == facts
    assert score(_scheme(), again, {}, AS_OF) == score(_scheme(), facts, {}, AS_OF)


def test_facts_without_deliveries_keep_the_old_snapshot_form():
    assert "deliveries" not in SupplierFacts().to_dict()


@pytest.mark.parametrize(("params", "code"), [
    ({"full_at": 80, "zero_at": 90}, "criterion.rate_range"),
    ({"full_at": 90, "zero_at": 90}, "criterion.rate_range"),
    ({"full_at": 101, "zero_at": 90}, "criterion.param_invalid"),
    ({"zero_at": 90}, "criterion.param_missing"),
])
def test_bad_thresholds_are_refused(params, code):
    criterion = Criterion("rate", "比率", "Rate", ON_TIME_DELIVERY_RATE, 100, params, rubric_zh=RUBRIC)
    scheme = replace(_scheme(), dimensions=(Dimension("d", "维度", "Dimension", 100, (criterion,)),))
    assert code in {error.code for error in validate_scheme(scheme)}


def test_a_fallback_rate_needs_a_rubric():
    criterion = Criterion("rate", "比率", "Rate", ON_TIME_DELIVERY_RATE, 100, {"full_at": 98, "zero_at": 80})
    scheme = replace(_scheme(), dimensions=(Dimension("d", "维度", "Dimension", 100, (criterion,)),))
    assert "criterion.rubric_missing" in {error.code for error in validate_scheme(scheme)}
