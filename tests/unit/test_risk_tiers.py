"""The pure scoring of inherent risk tiers (issue 11): factors, points, tiers, and the weights check."""

from __future__ import annotations

import pytest

from supplychain.models.risk_tiers import DEFAULT_WEIGHTS, RISK_FACTORS
from supplychain.services.risk.tiers import RiskFacts, Scoring, assess, check_scoring, tier_for

SCORING = Scoring(DEFAULT_WEIGHTS, high_from=40, medium_from=20)


def _points(assessment) -> dict[str, float]:
    return {factor.factor: factor.points for factor in assessment.factors}


def test_a_supplier_without_any_risk_is_low_with_every_factor_explained():
    result = assess(RiskFacts(category_level="low", categories=(("设备", "Equipment"),), area="southwest"), SCORING)
    assert result.tier == "low" and result.score == 0
    assert [factor.factor for factor in result.factors] == list(RISK_FACTORS)
    assert {factor.code for factor in result.factors} == {
        "category", "region", "spend_none", "single_source_none", "incidents_none", "licences_none"}


def test_a_high_risk_category_with_an_expired_licence_is_high_risk():
    facts = RiskFacts(category_level="high", categories=(("工程分包", "Engineering subcontracting"),),
                      area="east", area_level="low", expired_types=("safety_production_licence",))
    result = assess(facts, SCORING)
    assert _points(result) == {"category": 25, "region": 0, "spend_share": 0, "single_source": 0, "incidents": 0,
                               "expired_licences": 15}
    assert result.score == 40 and result.tier == "high"
    category = result.factors[0]
    assert category.args["names_zh"] == "工程分包" and category.args["level"] == "high"


def test_medium_levels_give_half_the_weight_and_a_country_is_named_as_such():
    facts = RiskFacts(category_level="medium", categories=(("原材料", "Raw materials"),), area="VN",
                      area_level="medium", area_is_country=True)
    result = assess(facts, SCORING)
    assert _points(result)["category"] == 12.5 and _points(result)["region"] == 5
    assert result.factors[1].code == "country" and result.factors[1].args["area"] == "VN"
    assert result.score == 17.5 and result.tier == "low"


def test_spend_share_grows_with_the_share_up_to_the_full_weight():
    half = assess(RiskFacts(spend_share=0.05, spend_currency="CNY"), SCORING)
    full = assess(RiskFacts(spend_share=0.4, spend_currency="CNY"), SCORING)
    assert _points(half)["spend_share"] == 7.5
    assert _points(full)["spend_share"] == 15
    assert full.factors[2].args == {"percent": 40.0, "currency": "CNY"}


def test_incidents_add_up_by_severity_and_are_capped_at_the_weight():
    one_minor = assess(RiskFacts(incidents={"minor": 1}), SCORING)
    many = assess(RiskFacts(incidents={"major": 1, "critical": 1}), SCORING)
    assert _points(one_minor)["incidents"] == 5
    assert _points(many)["incidents"] == 20
    assert many.factors[4].args == {"count": 2, "serious": 2, "years": 3}


def test_the_only_qualified_supplier_of_a_category_gets_the_single_source_points():
    result = assess(RiskFacts(sole_source=(("物流", "Logistics"),)), SCORING)
    assert _points(result)["single_source"] == 15
    assert result.factors[3].args["names_en"] == "Logistics"


@pytest.mark.parametrize(("score", "tier"), [(40, "high"), (39.9, "medium"), (20, "medium"), (19.9, "low")])
def test_thresholds_cut_the_score_into_tiers(score, tier):
    assert tier_for(score, SCORING) == tier


def test_changed_weights_change_the_points():
    weights = {**DEFAULT_WEIGHTS, "category": 50, "incidents": 0, "region": 0, "spend_share": 0, "single_source": 25,
               "expired_licences": 25}
    result = assess(RiskFacts(category_level="high", categories=(("环保服务", "Environmental services"),),
                              incidents={"critical": 3}), Scoring(weights, 50, 25))
    assert _points(result)["category"] == 50 and _points(result)["incidents"] == 0
    assert result.tier == "high"


def test_weights_that_do_not_add_up_to_100_say_the_total_and_what_is_expected():
    weights = {**DEFAULT_WEIGHTS, "category": 15}
    problems, clean = check_scoring(weights, 40, 20)
    assert clean is None
    assert problems == {"weights": [("weights_total", {"total": 90, "expected": 100})]}


def test_every_bad_number_is_named_at_once():
    weights = {**DEFAULT_WEIGHTS, "region": "ten", "incidents": "-5"}
    problems, clean = check_scoring(weights, "0", "abc")
    assert clean is None
    assert set(problems) == {"weight_region", "weight_incidents", "high_from", "medium_from"}


def test_the_medium_tier_must_start_below_the_high_tier():
    problems, _clean = check_scoring(DEFAULT_WEIGHTS, 30, 30)
    assert problems == {"medium_from": [("threshold_order", {"high": 30})]}


def test_good_weights_and_thresholds_become_a_scoring():
    problems, clean = check_scoring({k: str(v) for k, v in DEFAULT_WEIGHTS.items()}, "60", "30")
    assert problems == {}
    assert clean == Scoring(DEFAULT_WEIGHTS, 60, 30)
