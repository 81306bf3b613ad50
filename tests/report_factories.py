"""Test data for reports: final evaluations scored by the real engine, and the evidence around them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from config.schemes import DEFAULT_SCHEMES
from supplychain.models import (
    BlacklistEntry,
    Certification,
    CorrectiveAction,
    Incident,
    Supplier,
    SupplyCategory,
    TrainingSession,
    User,
)
from supplychain.models.evaluation import Evaluation, EvaluationApproval
from supplychain.models.scheme import SchemeVersion
from supplychain.scoring import evaluation_snapshot, scheme_to_dict, score
from supplychain.services.evaluation import facts_loader
from supplychain.services.evaluation.periods import Period
from tests import evidence_factories
from tests.evidence_factories import gen_pledge  # noqa: F401 - one pledge factory for every test
from tests.factories import gen_category


def gen_scheme_version(session, kind: str = "periodic") -> SchemeVersion:
    """Version 1 of the default scheme of a kind (reused)."""
    code = f"{kind}.default"
    existing = session.scalar(
        select(SchemeVersion).where(SchemeVersion.code == code, SchemeVersion.version == 1)
    )
    if existing is not None:
        return existing
    scheme = DEFAULT_SCHEMES[kind]
    definition = scheme_to_dict(scheme)
    definition.update(code=code, version=1)
    version = SchemeVersion(
        code=code, kind=kind, version=1, name_zh=scheme.name_zh, name_en=scheme.name_en, definition=definition
    )
    session.add(version)
    session.flush()
    return version


def gen_final_evaluation(
    session,
    supplier: Supplier,
    *,
    kind: str = "periodic",
    year: int = 2024,
    period_type: str = "year",
    index: int = 1,
    category: SupplyCategory | None = None,
    manual: float | dict = 85,
    as_of: date | None = None,
    outcome: str | None = None,
    social: bool | None = None,
    approvers: list[User] | None = None,
    total: float | None = None,
    grade: str | None = None,
    status: str = "final",
) -> Evaluation:
    """A final evaluation scored by the engine from the supplier's records (manual criteria all `manual`).

    total/grade override the engine's figures where a test needs an exact value."""
    version = gen_scheme_version(session, kind)
    from supplychain.services.evaluation.schemes import as_scheme

    scheme = as_scheme(version)
    category = category or (supplier.categories[0] if supplier.categories else gen_category(session))
    period = Period(period_type, year, index) if kind == "periodic" else None
    as_of = as_of or (period.end if period else date(year, 6, 30))
    facts = facts_loader.load_one(session, supplier.id, as_of, facts_loader.window_for(scheme))
    scores = manual if isinstance(manual, dict) else {c.key: manual for c in scheme.scorable_criteria()}
    snapshot = evaluation_snapshot(scheme, facts, scores, as_of)
    result = score(scheme, facts, scores, as_of).to_dict()
    if total is not None:
        result["total"] = total
    if grade is not None:
        result["band"] = grade
    finalised = datetime.combine(as_of + timedelta(days=10), datetime.min.time(), tzinfo=UTC)
    evaluation = Evaluation(
        supplier=supplier,
        category=category,
        scheme_version=version,
        kind=kind,
        status=status,
        period_type=period.type if period else None,
        period_year=period.year if period else None,
        period_index=period.index if period else None,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        manual_scores=scores,
        manual_notes={},
        editor_ids=[],
        as_of=as_of,
        required_levels=len(approvers or []) or 1,
        approved_levels=len(approvers or []) or 1,
        round=1,
        snapshot=snapshot,
        result=result,
        total=result["total"],
        grade=result["band"],
        passed=result["passed"],
        social_non_compliance=result["social_non_compliance"] if social is None else social,
        outcome=outcome,
        submitted_at=finalised - timedelta(days=5),
        finalised_at=finalised if status == "final" else None,
    )
    session.add(evaluation)
    session.flush()
    for level, approver in enumerate(approvers or [], start=1):
        session.add(
            EvaluationApproval(
                evaluation_id=evaluation.id,
                round=1,
                level=level,
                decision="approved",
                approver_id=approver.id,
                decided_at=finalised - timedelta(days=4 - level),
            )
        )
    session.flush()
    session.refresh(evaluation)
    return evaluation


def gen_certificate(
    session,
    supplier: Supplier,
    cert_type: str = "iso9001",
    issued_on: date = date(2022, 1, 1),
    expires_on: date | None = date(2027, 1, 1),
    verified: bool = True,
    number: str = "00122Q31234R2M",
) -> Certification:
    """A certificate, verified on its issue date by default."""
    return evidence_factories.gen_certificate(
        session, supplier, cert_type, issued_on, expires_on, issued_on if verified else None, number
    )


def gen_training(
    session,
    held_on: date,
    suppliers: list[Supplier] = (),
    topic: str = "esg",
    hours: float = 4,
    head_count: int = 2,
) -> TrainingSession:
    """A training session with the suppliers attending (completed)."""
    training = evidence_factories.gen_training(
        session, held_on, topic, hours, title=f"供应商ESG培训 {held_on}", organiser=None
    )
    for supplier in suppliers:
        evidence_factories.gen_attendance(session, training, supplier, head_count)
    return training


def gen_incident(
    session,
    supplier: Supplier,
    category: str = "environmental",
    severity: str = "major",
    occurred_on: date = date(2024, 5, 10),
    description: str = "废水超标排放",
) -> Incident:
    """An incident at a supplier."""
    return evidence_factories.gen_incident(
        session, supplier, category, severity, occurred_on, description=description, source=None
    )


def gen_action(
    session,
    supplier: Supplier,
    due_on: date,
    incident: Incident | None = None,
    evaluation: Evaluation | None = None,
    status: str = "open",
    created_on: date | None = None,
    verified_on: date | None = None,
    action: str = "完成废水处理设施整改",
) -> CorrectiveAction:
    """A corrective action (created on a given day)."""
    created = datetime.combine(created_on or due_on - timedelta(days=60), datetime.min.time(), tzinfo=UTC)
    item = CorrectiveAction(
        supplier_id=supplier.id,
        incident_id=incident.id if incident else None,
        evaluation_id=evaluation.id if evaluation else None,
        action=action,
        owner="李强",
        due_on=due_on,
        status=status,
        verified_on=verified_on,
        created_at=created,
    )
    session.add(item)
    session.flush()
    return item


def gen_termination(
    session, supplier: Supplier, terminated_on: date, reason: str = "illegal_labour", social: bool = True
) -> BlacklistEntry:
    """A blacklist entry terminating the supplier (social-responsibility non-compliance by default)."""
    entry = BlacklistEntry(
        credit_code=supplier.credit_code,
        supplier_id=supplier.id,
        company_name=supplier.name_zh,
        reason=reason,
        decided_by="招标监督委员会",
        since_on=terminated_on,
        social_noncompliance=social,
        terminated_on=terminated_on,
    )
    session.add(entry)
    session.flush()
    return entry
