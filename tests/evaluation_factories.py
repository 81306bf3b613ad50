"""gen_* helpers for evaluation tests: evidence rows, screenings, and evaluations at any stage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from supplychain.models import (
    BlacklistEntry,
    CategoryRequirement,
    Certification,
    Incident,
    TrainingAttendance,
)
from supplychain.models.evaluation import Evaluation
from supplychain.services.evaluation import evaluations, lifecycle, schemes
from supplychain.services.registry import relationships
from supplychain.services.risk import screening
from tests import evidence_factories
from tests.evidence_factories import gen_pledge  # noqa: F401 - one pledge factory for every test
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user

TODAY = date(2026, 6, 30)
SETTINGS = lifecycle.LifecycleSettings(corrective_action_days=90, certificate_secret="test-secret")


def gen_certification(
    session,
    supplier,
    cert_type: str = "iso9001",
    issued_on: date = date(2024, 1, 1),
    expires_on: date | None = date(2027, 1, 1),
    verified_on: date | None = date(2024, 1, 5),
    number: str | None = None,
) -> Certification:
    """A certificate of the supplier, verified unless verified_on=None."""
    return evidence_factories.gen_certificate(
        session, supplier, cert_type, issued_on, expires_on, verified_on, number or f"{cert_type.upper()}-001"
    )


def gen_training(
    session,
    supplier,
    held_on: date = date(2026, 3, 1),
    hours: float = 8,
    topic: str = "esg",
    completed: bool = True,
) -> TrainingAttendance:
    """A training session the supplier attended."""
    training = evidence_factories.gen_training(
        session, held_on, topic, hours, title="供应商ESG培训", organiser=None
    )
    return evidence_factories.gen_attendance(session, training, supplier, head_count=2, completed=completed)


def gen_incident(
    session, supplier, category: str = "safety", severity: str = "major", occurred_on: date = date(2025, 5, 1)
) -> Incident:
    """An incident at the supplier."""
    return evidence_factories.gen_incident(
        session, supplier, category, severity, occurred_on, description="现场检查发现问题", source=None
    )


def gen_blacklist(
    session, supplier=None, credit_code: str | None = None, since_on: date = date(2025, 1, 1), **kwargs
) -> BlacklistEntry:
    """A blacklist entry by supplier and/or credit code."""
    entry = BlacklistEntry(
        supplier_id=supplier.id if supplier else None,
        credit_code=credit_code,
        reason=kwargs.pop("reason", "bribery"),
        decided_by="招标监督委员会",
        since_on=since_on,
        **kwargs,
    )
    session.add(entry)
    session.flush()
    return entry


def gen_requirement(session, category, value: str = "production_licence", kind: str = "certificate"):
    """A certificate (or pledge) the category requires."""
    requirement = CategoryRequirement(category_id=category.id, kind=kind, value=value)
    session.add(requirement)
    session.flush()
    return requirement


def gen_screening(session, supplier, checked_on: date = date(2026, 1, 15), **findings):
    """An integrity screening, clear unless findings are given."""
    note = "信用中国查询" if any(findings.values()) else ""
    data = screening.ScreeningData(checked_on=checked_on, source="信用中国", note=note, **findings)
    return screening.record_screening(session, supplier, data, None, max(TODAY, checked_on))


def gen_good_evidence(session, supplier, today: date = TODAY) -> None:
    """Evidence that passes every evidence criterion and red line of the default schemes."""
    for cert_type in ("iso9001", "iso14001", "iso45001", "production_licence"):
        gen_certification(session, supplier, cert_type)
    gen_pledge(session, supplier, "integrity")
    gen_pledge(session, supplier, "code_of_conduct")
    gen_training(session, supplier, date(2025, 10, 1), hours=16)  # counts for 2025 periods
    gen_training(session, supplier, today - timedelta(days=30), hours=16)
    gen_screening(session, supplier, today - timedelta(days=10))


def all_manual(evaluation: Evaluation, value: float = 80) -> dict[str, str]:
    """The same manual score for every manual criterion of the evaluation's scheme."""
    return {c.key: str(value) for c in evaluations.manual_criteria(evaluation)}


def gen_evaluation(
    session,
    supplier=None,
    kind: str = "periodic",
    period=("year", 2025, 1),
    actor=None,
    category=None,
    today: date = TODAY,
    **supplier_kwargs,
) -> Evaluation:
    """A draft evaluation (supplier qualified for periodic, registered for admission, unless given)."""
    if supplier is None:
        status = "qualified" if kind == "periodic" else "registered"
        supplier = gen_supplier(session, status=status, **supplier_kwargs)
    actor = actor or gen_user(session, "procurement")
    category = category or supplier.categories[0]
    data = evaluations.NewEvaluation(
        supplier.id, kind, category.id, *(period if kind == "periodic" else (None,) * 3)
    )
    return evaluations.create_evaluation(session, data, actor, today)


def gen_submitted(session, value: float = 80, levels: int = 3, today: date = TODAY, **kwargs) -> Evaluation:
    """An evaluation submitted with every manual criterion at ``value``."""
    evaluation = gen_evaluation(session, today=today, **kwargs)
    actor = session.get(type(evaluation.created_by), evaluation.created_by_id)
    evaluations.save_scores(
        session, evaluation, all_manual(evaluation, value), {}, evaluation.version_id, actor
    )
    return evaluations.submit(session, evaluation, evaluation.version_id, actor, today, levels)


def approve_all(session, evaluation: Evaluation, today: date = TODAY, reviewers=None) -> Evaluation:
    """Approve every remaining level, each by a different reviewer."""
    reviewers = list(reviewers or [])
    while evaluation.status == "submitted":
        level = evaluation.approved_levels + 1
        if len(reviewers) < level:
            reviewers.append(gen_user(session, "reviewer"))
        evaluations.decide(
            session,
            evaluation,
            "approved",
            level,
            "",
            evaluation.version_id,
            reviewers[level - 1],
            today,
            SETTINGS,
        )
    return evaluation


class SharedSupplierEvaluations(NamedTuple):
    a: object
    b: object
    supplier: object
    buyer_a: object
    low: Evaluation
    high: Evaluation


def gen_shared_supplier_evaluations(session) -> SharedSupplierEvaluations:
    """A supplier of subsidiary A (Alpha Sub) that subsidiary B (Beta Sub) also buys from: A's buyer grades it
    Unqualified (low), B's buyer Excellent (high), both final in the same period; committed."""
    a = gen_organisation(session, "SUB-A", name_zh="甲子公司", name_en="Alpha Sub")
    b = gen_organisation(session, "SUB-B", name_zh="乙子公司", name_en="Beta Sub")
    supplier = gen_supplier(session, status="qualified", organisation=a)
    relationships.open_relationship(session, relationships.RelationshipData(b.id, supplier.id), None, TODAY)
    gen_good_evidence(session, supplier, TODAY)
    gen_screening(session, supplier, TODAY)
    buyer_a = gen_user(session, "procurement", organisation=a)
    low = approve_all(session, gen_submitted(session, value=10, supplier=supplier, actor=buyer_a))
    high = approve_all(session, gen_submitted(session, value=95, supplier=supplier,
                                              actor=gen_user(session, "procurement", organisation=b)))
    session.commit()
    return SharedSupplierEvaluations(a, b, supplier, buyer_a, low, high)


def ensure_schemes(session) -> None:
    """The default schemes stored (version 1)."""
    schemes.ensure_defaults(session)


__all__ = ["TODAY", "SETTINGS", "gen_category", "gen_supplier", "gen_user"]
