"""The audit evidence rules on plain facts: which findings are open on the as-of day, which audit is the last."""

from __future__ import annotations

from datetime import date

from supplychain.scoring import score
from supplychain.scoring.facts import AuditFact, FindingFact, SupplierFacts
from supplychain.scoring.model import LAST_AUDIT_SCORE, NO_OPEN_MAJOR_FINDING, Criterion, Dimension, GradeBand, Scheme
from supplychain.scoring.validation import validate_scheme

AS_OF = date(2026, 6, 30)


def _scheme(params: dict) -> Scheme:
    return Scheme(
        code="audit.unit", kind="periodic", version=1, name_zh="审核", name_en="Audits",
        dimensions=(Dimension("site", "现场", "Site", 100, (
            Criterion("open", "无未关闭重大发现", "No open major finding", NO_OPEN_MAJOR_FINDING, 50, {}),
            Criterion("last", "最近审核得分", "Last audit score", LAST_AUDIT_SCORE, 50, params),
        )),),
        bands=(GradeBand("all", "全部", "All", 0, 100, "#0969da", "qualified_certificate"),),
    )


def _scores(facts: SupplierFacts, params: dict | None = None) -> dict[str, float]:
    return {line.criterion_key: line.score for line in score(_scheme(params or {}), facts, {}, AS_OF).explanations}


def test_a_minor_finding_or_one_resolved_by_the_day_leaves_nothing_open():
    facts = SupplierFacts(findings=(FindingFact("minor", "social", date(2026, 5, 1)),
                                    FindingFact("critical", "environmental", date(2026, 1, 5), date(2026, 6, 30))))
    assert _scores(facts)["open"] == 100.0


def test_a_major_finding_resolved_after_the_day_was_open_on_it():
    facts = SupplierFacts(findings=(FindingFact("major", "social", date(2026, 3, 1), date(2026, 7, 1)),))
    assert _scores(facts)["open"] == 0.0
    later = score(_scheme({}), facts, {}, date(2026, 7, 1)).explanations
    assert {line.criterion_key: line.score for line in later}["open"] == 100.0
    found_later = SupplierFacts(findings=(FindingFact("major", "social", date(2026, 7, 2)),))
    assert _scores(found_later)["open"] == 100.0


def test_the_last_audit_held_by_the_day_gives_the_score_within_the_window():
    facts = SupplierFacts(audits=(AuditFact(date(2025, 1, 10), 95.0), AuditFact(date(2026, 2, 1), 62.35),
                                  AuditFact(date(2026, 8, 1), 10.0)))
    assert _scores(facts)["last"] == 62.4
    assert _scores(facts, {"months": 3})["last"] == 0.0
    assert _scores(SupplierFacts())["last"] == 0.0


def test_months_must_be_a_whole_number_in_range():
    assert validate_scheme(_scheme({"months": 24})) == []
    problems = validate_scheme(_scheme({"months": 0}))
    assert [p.code for p in problems] == ["criterion.param_invalid"]
