"""Demo evaluations at every stage (called by services.demo_data.demo.load after the demo evidence).

Deterministic: the same demo suppliers and evidence give the same evaluations. Suppliers are
taken in id order among those whose evidence fails no red line (except the one meant to).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import clock
from supplychain.models import Organisation, Supplier, SupplierRelationship, User
from supplychain.models.evaluation import Evaluation
from supplychain.services.evaluation import evaluations, lifecycle, schemes
from supplychain.services.risk import screening

REVIEWERS = ("reviewer@example.com", "reviewer2@example.com", "reviewer3@example.com")
BUYER = "buyer@example.com"


def _user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def _clean(session: Session, supplier: Supplier, kind: str, as_of: date) -> bool:
    """No red line fails for this supplier on the day (so the demo grade follows the manual scores)."""
    scheme = schemes.as_scheme(schemes.current_for(session, kind, supplier.categories[0].id))
    from supplychain.services.evaluation import facts_loader

    facts = facts_loader.load_one(session, supplier.id, as_of, facts_loader.window_for(scheme))
    manual = {c.key: 80 for c in scheme.scorable_criteria()}
    from supplychain.scoring import score

    return not score(scheme, facts, manual, as_of).red_lines_failed


def _scores(evaluation: Evaluation, value: float, low: dict[str, float] | None = None) -> dict[str, str]:
    values = {c.key: str(value) for c in evaluations.manual_criteria(evaluation)}
    values.update({k: str(v) for k, v in (low or {}).items() if k in values})
    return values


def _run(
    session: Session,
    supplier: Supplier,
    kind: str,
    period,
    value: float,
    buyer: User,
    today: date,
    reviewers: list[User],
    approve: int,
    low: dict[str, float] | None = None,
    organisation_id: int | None = None,
) -> Evaluation | None:
    """Create, score, submit and approve up to ``approve`` levels (0: leave a draft, -1: do not submit)."""
    data = evaluations.NewEvaluation(
        supplier.id, kind, supplier.categories[0].id, *(period or (None, None, None)), organisation_id=organisation_id
    )
    evaluation = evaluations.create_evaluation(session, data, buyer, today)
    evaluations.save_scores(
        session, evaluation, _scores(evaluation, value, low), {}, evaluation.version_id, buyer
    )
    if approve < 0:
        return evaluation
    evaluations.submit(session, evaluation, evaluation.version_id, buyer, today, 3)
    settings = lifecycle.LifecycleSettings(90, "demo-certificates")
    for level in range(1, approve + 1):
        evaluations.decide(
            session,
            evaluation,
            "approved",
            level,
            "同意 / approved",
            evaluation.version_id,
            reviewers[level - 1],
            today,
            settings,
        )
    return evaluation


def load(session: Session, today: date | None = None) -> list[Evaluation]:
    """Create the demo evaluations; does nothing when evaluations exist or the demo accounts are missing."""
    today = today or clock.today()
    if session.scalar(select(Evaluation.id).limit(1)) is not None:
        return []
    buyer = _user(session, BUYER)
    reviewers = [r for r in (_user(session, e) for e in REVIEWERS) if r is not None]
    if buyer is None or len(reviewers) < 3:
        return []
    schemes.ensure_defaults(session)
    year = today.year - 1
    period = ("year", year, 1)
    as_of = date(year, 12, 31)
    registered = [
        s
        for s in session.scalars(
            select(Supplier)
            .where(Supplier.status == "registered", Supplier.country == "CN")
            .order_by(Supplier.id)
        )
        if s.categories
    ]
    qualified = [
        s
        for s in session.scalars(select(Supplier).where(Supplier.status == "qualified").order_by(Supplier.id))
        if s.categories
    ]
    created: list[Evaluation] = []

    # Admissions: one through three levels, one rejected on a red line, one waiting for level 2.
    candidates = []
    for supplier in registered:
        screening.record_screening(
            session,
            supplier,
            screening.ScreeningData(checked_on=today - timedelta(days=7), source="信用中国 / 中国裁判文书网"),
            buyer,
            today,
        )
        if _clean(session, supplier, "admission", today):
            candidates.append(supplier)
        if len(candidates) == 2:
            break
    for supplier, approve in zip(candidates, (3, 1), strict=False):
        created.append(_run(session, supplier, "admission", None, 88, buyer, today, reviewers, approve))
    if len(registered) > len(candidates) + 3:
        dishonest = registered[-1]
        screening.record_screening(
            session,
            dishonest,
            screening.ScreeningData(
                on_dishonest_list=True,
                checked_on=today - timedelta(days=3),
                source="信用中国",
                note="列入严重违法失信名单（示例） / on the national dishonest-enterprise list (demo)",
            ),
            buyer,
            today,
        )
        created.append(_run(session, dishonest, "admission", None, 90, buyer, today, reviewers, 3))

    # Periodic evaluations of last year: excellent, conditional, waiting for level 2, a draft.
    clean = [s for s in qualified if _clean(session, s, "periodic", as_of)][:4]
    plans = (
        (97, 3, None),
        (70, 3, {"price_competitiveness": 35, "service_responsiveness": 40}),
        (82, 1, None),
        (75, -1, None),
    )
    for supplier, (value, approve, low) in zip(clean, plans, strict=False):
        created.append(
            _run(session, supplier, "periodic", period, value, buyer, today, reviewers, approve, low)
        )
    # The excellent one evaluated by a second subsidiary too, lower: each evaluation stands on its own and the
    # scorecard shows both, with the lowest grade governing the group-level status (issue 9, docs/disclosure.md).
    # The first buyer of the supplier is the one the demo's records are assigned to (group_demo.assign_records).
    first_buyer = session.scalar(select(SupplierRelationship.organisation_id)
                                 .where(SupplierRelationship.supplier_id == clean[0].id)
                                 .order_by(SupplierRelationship.id).limit(1)) if clean else None
    subsidiary = session.scalar(
        select(Organisation).where(Organisation.kind == "subsidiary", Organisation.id != first_buyer)
        .order_by(Organisation.code).limit(1))
    if clean and subsidiary is not None:
        created.append(_run(session, clean[0], "periodic", period, 86, buyer, today, reviewers, 3,
                            organisation_id=subsidiary.id))
    session.flush()
    return [e for e in created if e is not None]
