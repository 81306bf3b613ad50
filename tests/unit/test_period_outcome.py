"""The group-level rule for one period's evaluations, and what a reader sees of them (pure)."""

from __future__ import annotations

from datetime import date

from supplychain.services.evaluation.period_evaluations import PeriodEvaluation, outcome


def _evaluation(evaluation_id: int, organisation_id: int, level: str, total: float) -> PeriodEvaluation:
    return PeriodEvaluation(evaluation_id, organisation_id, f"ORG{organisation_id}", "组织", "Org", "方案", "Scheme", 1,
                            total, level, level, date(2025, 12, 31), level)


PERIOD = [_evaluation(1, 10, "qualified", 80), _evaluation(2, 20, "conditional", 66),
          _evaluation(3, 30, "conditional", 62), _evaluation(4, 40, "excellent", 95)]


def test_every_evaluation_at_the_lowest_grade_governs_lowest_first():
    result = outcome(PERIOD, lambda organisation_id: True)
    assert result.governing_level == "conditional" and result.count == 4 and result.hidden == 0
    assert [e.evaluation_id for e in result.shown] == [3, 2, 1, 4]
    assert [e.governs for e in result.shown] == [True, True, False, False]


def test_a_reader_sees_their_own_and_only_counts_the_others_whose_grade_still_governs():
    result = outcome(PERIOD, lambda organisation_id: organisation_id == 10)
    assert [e.evaluation_id for e in result.shown] == [1] and result.hidden == 3
    assert result.governing_level == "conditional" and not result.shown[0].governs
    # The verified figures are the same for every reader.
    assert result.figures(1) == outcome(PERIOD, lambda organisation_id: True).figures(1) == {
        "rule": "lowest_grade", "evaluations": 4, "governing_level": "conditional", "governs": False}
    assert outcome(PERIOD, lambda organisation_id: False).figures(3)["governs"] is True
