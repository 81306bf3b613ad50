"""Evaluations: create (one or in bulk), score, submit, approve or return, and read (issue 4).

A draft's manual scores are edited under an optimistic lock (``expected_version`` must match the
row's ``version_id``; a concurrent flush raises the same Conflict). Submission freezes the facts
as of the evaluation date with the scheme and manual scores in a snapshot and stores the figures
computed from it; the last approval makes it final and applies the lifecycle consequences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from supplychain import clock, scope
from supplychain.errors import Conflict, ValidationFailed
from supplychain.labels import STATUS_LABELS
from supplychain.models import (
    AuditEntry,
    IntegrityPledge,
    Supplier,
    SupplyCategory,
    User,
    supplier_categories,
)
from supplychain.models.base import utcnow
from supplychain.models.evaluation import EVALUATION_KINDS, Evaluation, EvaluationApproval
from supplychain.models.screening import ScreeningResult
from supplychain.scoring import (
    MANUAL_SCORE_MESSAGES,
    ScoreResult,
    SupplierFacts,
    evaluation_snapshot,
    manual_keys_needed,
    parse_manual_score,
    percentile,
    score,
    score_snapshot,
)
from supplychain.services.core import audit, record_scope
from supplychain.services.evaluation import approvals, facts_loader, lifecycle, schemes
from supplychain.services.evaluation.periods import Period, make_period, period_label
from supplychain.services.registry import relationships
from supplychain.services.registry.suppliers import Page
from supplychain.services.risk import screening

ADMISSION_FROM = ("registered", "under_review", "rejected")
PERIODIC_FROM = ("qualified", "conditional", "suspended")
OPEN_STATUSES = ("draft", "submitted")
SCREENING_MAX_AGE_DAYS = 365
MAX_NOTE = 1000
MANUAL_MESSAGES = {
    "manual_score.not_a_number": _l("Enter a number from 0 to 100."),
    "manual_score.out_of_range": _l("The score must be between 0 and 100."),
}
assert set(MANUAL_MESSAGES) == set(MANUAL_SCORE_MESSAGES)


@dataclass
class NewEvaluation:
    """What the "new evaluation" form asks for."""

    supplier_id: int | None
    kind: str
    category_id: int | None
    period_type: str | None = None
    period_year: int | None = None
    period_index: int | None = None
    organisation_id: int | None = None


def _flush(session: Session) -> None:
    """Flush; a row changed by someone else since it was read is a Conflict, not a crash."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict() from exc


def _check_version(evaluation: Evaluation, expected_version: int | None) -> None:
    if expected_version is None or int(expected_version) != evaluation.version_id:
        raise Conflict()


def _add_editor(evaluation: Evaluation, actor: User | None) -> None:
    if actor is not None and actor.id not in (evaluation.editor_ids or []):
        evaluation.editor_ids = [*(evaluation.editor_ids or []), actor.id]


def is_blacklisted(session: Session, supplier: Supplier, today: date) -> bool:
    """Blacklisted by status or by an entry in force today (by supplier or credit code)."""
    if supplier.status == "blacklisted":
        return True
    return bool(
        facts_loader.blacklisted_ids(session, [(supplier.id, supplier.credit_code, supplier.status)], today)
    )


def eligibility_problems(session: Session, supplier: Supplier, kind: str, today: date) -> list:
    """Why this supplier cannot get an evaluation of this kind now (empty when it can)."""
    if is_blacklisted(session, supplier, today):
        return [_l("This supplier is blacklisted: it cannot be evaluated.")]
    if supplier.status == "exited":
        return [_l("This supplier has exited: it cannot be evaluated.")]
    status = STATUS_LABELS.get(supplier.status, supplier.status)
    if kind == "admission" and supplier.status not in ADMISSION_FROM:
        return [
            _l("An admission evaluation is for registered suppliers; this one is %(status)s.", status=status)
        ]
    if kind == "periodic" and supplier.status not in PERIODIC_FROM:
        return [
            _l("A periodic evaluation is for qualified suppliers; this one is %(status)s.", status=status)
        ]
    return []


def _overlapping(
    session: Session, supplier_id: int, kind: str, period: Period | None, exclude_id: int | None = None,
    organisation_id: int | None = None,
) -> Evaluation | None:
    """An admission in progress anywhere in the group (one admission per supplier), or a periodic
    evaluation of the same organisation overlapping the period (organisations evaluate independently)."""
    stmt = scope.unscoped(select(Evaluation).where(
        Evaluation.supplier_id == supplier_id, Evaluation.kind == kind, Evaluation.status != "cancelled"
    ))
    if kind == "periodic":
        stmt = stmt.where(Evaluation.organisation_id == organisation_id)
    if exclude_id is not None:
        stmt = stmt.where(Evaluation.id != exclude_id)
    if period is None:
        stmt = stmt.where(Evaluation.status.in_(OPEN_STATUSES))
    else:
        stmt = stmt.where(Evaluation.period_start <= period.end, Evaluation.period_end >= period.start)
    return session.scalar(stmt.order_by(Evaluation.id).limit(1))


def _overlap_message(existing: Evaluation) -> Any:
    if existing.kind == "admission":
        return _l("This supplier already has an admission evaluation in progress (#%(id)d).", id=existing.id)
    return _l(
        "Evaluation #%(id)d of this supplier already covers part of this period (%(period)s).",
        id=existing.id,
        period=period_label(existing.period_type, existing.period_year, existing.period_index, "zh"),
    )


def create_evaluation(session: Session, data: NewEvaluation, actor: User | None, today: date) -> Evaluation:
    """Start a draft evaluation; raises ValidationFailed with every problem at once."""
    errors: dict[str, list] = {}
    supplier = session.get(Supplier, data.supplier_id) if data.supplier_id else None
    if supplier is None:
        errors["supplier_id"] = [_l("Choose a supplier.")]
    if data.kind not in EVALUATION_KINDS:
        errors["kind"] = [_l("Choose admission or periodic.")]
    period = None
    if data.kind == "periodic":
        try:
            period = make_period(data.period_type, data.period_year, data.period_index, today)
        except ValidationFailed as failed:
            errors.update(failed.errors)
    category = session.get(SupplyCategory, data.category_id) if data.category_id else None
    organisation_id, problems = scope.record_organisation(session, data.organisation_id, actor)
    if problems:
        errors["organisation_id"] = problems
    if supplier is not None:
        if category is None or category not in supplier.categories:
            errors["category_id"] = [_l("Choose one of the supplier's supply categories.")]
        if data.kind in EVALUATION_KINDS:
            if problems := eligibility_problems(session, supplier, data.kind, today):
                errors.setdefault("supplier_id", []).extend(problems)
            elif (data.kind == "admission" or period is not None) and (
                existing := _overlapping(session, supplier.id, data.kind, period, organisation_id=organisation_id)
            ):
                errors.setdefault("period_year" if period else "supplier_id", []).append(
                    _overlap_message(existing)
                )
    if errors:
        raise ValidationFailed(errors)
    return _new(session, supplier, data.kind, category, period, actor, organisation_id, today)


def _draft(
    supplier: Supplier,
    kind: str,
    category: SupplyCategory,
    period: Period | None,
    actor: User | None,
    version,
    organisation_id: int | None,
) -> Evaluation:
    return Evaluation(
        supplier=supplier,
        organisation_id=organisation_id,
        category=category,
        scheme_version=version,
        kind=kind,
        status="draft",
        period_type=period.type if period else None,
        period_year=period.year if period else None,
        period_index=period.index if period else None,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        manual_scores={},
        manual_notes={},
        editor_ids=[actor.id] if actor is not None else [],
        created_by_id=getattr(actor, "id", None),
        required_levels=approvals.MAX_LEVELS,
        approved_levels=0,
        round=0,
    )


def _audit_created(
    session: Session, evaluation: Evaluation, actor: User | None, period: Period | None
) -> None:
    version = evaluation.scheme_version
    audit.record(
        session,
        actor,
        "create",
        "evaluation",
        evaluation.id,
        {
            "kind": [None, evaluation.kind],
            "scheme": [None, f"{version.code} v{version.version}"],
            "period": [None, period.label("zh") if period else None],
        },
        supplier_id=evaluation.supplier_id,
    )


def _new(
    session: Session,
    supplier: Supplier,
    kind: str,
    category: SupplyCategory,
    period: Period | None,
    actor: User | None,
    organisation_id: int | None,
    today: date,
) -> Evaluation:
    version = schemes.current_for(session, kind, category.id, organisation_id)
    evaluation = _draft(supplier, kind, category, period, actor, version, organisation_id)
    session.add(evaluation)
    relationships.ensure(session, organisation_id, supplier, actor, today)
    _flush(session)
    _audit_created(session, evaluation, actor, period)
    if kind == "admission" and supplier.status == "registered":
        lifecycle._set_status(
            session,
            supplier,
            "under_review",
            f"准入评价 #{evaluation.id} 已开始 / admission evaluation #{evaluation.id} started",
            actor,
        )
    return evaluation


@dataclass
class BulkResult:
    """What a bulk creation did: (evaluation id, supplier row) per draft created, (supplier row, reason) per
    supplier skipped; supplier rows have id and name_zh."""

    created: list[tuple[int, Any]] = field(default_factory=list)
    skipped: list[tuple[Any, Any]] = field(default_factory=list)


def _bulk_insert(
    session: Session,
    rows: list,
    category: SupplyCategory,
    period: Period,
    version,
    actor: User | None,
    result: BulkResult,
    organisation_id: int | None,
) -> None:
    """Insert the drafts and their audit entries in two statements (executemany with RETURNING)."""
    editors = [actor.id] if actor is not None else []
    values = [
        {
            "supplier_id": row.id,
            "organisation_id": organisation_id,
            "category_id": category.id,
            "scheme_version_id": version.id,
            "kind": "periodic",
            "status": "draft",
            "period_type": period.type,
            "period_year": period.year,
            "period_index": period.index,
            "period_start": period.start,
            "period_end": period.end,
            "manual_scores": {},
            "manual_notes": {},
            "editor_ids": editors,
            "created_by_id": getattr(actor, "id", None),
            "required_levels": approvals.MAX_LEVELS,
            "approved_levels": 0,
            "round": 0,
            "social_non_compliance": False,
            "version_id": 1,
        }
        for row in rows
    ]
    stmt = insert(Evaluation).returning(Evaluation.id, Evaluation.supplier_id, sort_by_parameter_order=True)
    inserted = session.execute(stmt, values).all()
    by_supplier = {row.id: row for row in rows}
    changes = {
        "kind": [None, "periodic"],
        "scheme": [None, f"{version.code} v{version.version}"],
        "period": [None, period.label("zh")],
    }
    session.execute(
        insert(AuditEntry),
        [
            {
                "actor_id": getattr(actor, "id", None),
                "actor_email": getattr(actor, "email", None),
                "action": "create",
                "entity_type": "evaluation",
                "entity_id": evaluation_id,
                "supplier_id": supplier_id,
                "changes": changes,
                "note": None,
            }
            for evaluation_id, supplier_id in inserted
        ],
    )
    result.created.extend(
        (evaluation_id, by_supplier[supplier_id]) for evaluation_id, supplier_id in inserted
    )


def bulk_create(
    session: Session,
    category_id: int | None,
    period_type: str | None,
    period_year: int | None,
    period_index: int | None,
    actor: User | None,
    today: date,
    organisation_id: int | None = None,
) -> BulkResult:
    """Draft periodic evaluations for every qualified supplier of a category for a period."""
    errors: dict[str, list] = {}
    category = session.get(SupplyCategory, category_id) if category_id else None
    if category is None:
        errors["category_id"] = [_l("Choose a supply category.")]
    period = None
    try:
        period = make_period(period_type, period_year, period_index, today)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    organisation_id = record_scope.organisation_or_raise(session, errors, organisation_id, actor)
    # Plain rows and bulk inserts: a category can hold thousands of suppliers.
    candidates = session.execute(
        select(Supplier.id, Supplier.name_zh, Supplier.credit_code, Supplier.status)
        .join(supplier_categories, supplier_categories.c.supplier_id == Supplier.id)
        .where(supplier_categories.c.category_id == category.id, Supplier.status.in_(PERIODIC_FROM))
        .order_by(Supplier.id)
    ).all()
    covered: dict[int, Evaluation] = {}
    blacklisted: set[int] = set()
    for start in range(0, len(candidates), facts_loader.BATCH):
        chunk = candidates[start : start + facts_loader.BATCH]
        for evaluation in session.scalars(
            select(Evaluation).where(
                Evaluation.supplier_id.in_([row.id for row in chunk]),
                Evaluation.kind == "periodic",
                Evaluation.organisation_id == organisation_id,
                Evaluation.status != "cancelled",
                Evaluation.period_start <= period.end,
                Evaluation.period_end >= period.start,
            )
        ):
            covered.setdefault(evaluation.supplier_id, evaluation)
        blacklisted |= facts_loader.blacklisted_ids(
            session, [(row.id, row.credit_code, row.status) for row in chunk], today
        )
    result = BulkResult()
    version = schemes.current_for(session, "periodic", category.id, organisation_id)
    drafts = []
    for row in candidates:
        if row.id in blacklisted:
            result.skipped.append((row, _l("This supplier is blacklisted: it cannot be evaluated.")))
        elif row.id in covered:
            result.skipped.append((row, _overlap_message(covered[row.id])))
        else:
            drafts.append(row)
    if drafts:
        _bulk_insert(session, drafts, category, period, version, actor, result, organisation_id)
    if not result.created and not result.skipped:
        raise ValidationFailed({"category_id": [_l("No qualified supplier in this category to evaluate.")]})
    return result


def manual_criteria(evaluation: Evaluation) -> list:
    """The criteria of the evaluation's scheme an evaluator may score, in scheme order.

    The manual criteria, and the receipt rates that fall back to the evaluator's score when the supplier
    has no receipts in the period (required only then: see `submit`).
    """
    return list(schemes.as_scheme(evaluation.scheme_version).scorable_criteria())


def save_scores(
    session: Session,
    evaluation: Evaluation,
    raw_scores: dict[str, Any],
    notes: dict[str, str],
    expected_version: int | None,
    actor: User | None,
) -> Evaluation:
    """Save a draft's manual scores (blank allowed); every bad value is reported, nothing is saved."""
    _check_version(evaluation, expected_version)
    if evaluation.status != "draft":
        raise ValidationFailed({"": [_l("Only a draft evaluation can be edited.")]})
    errors: dict[str, list] = {}
    scores: dict[str, Any] = {}
    clean_notes: dict[str, str] = {}
    for criterion in manual_criteria(evaluation):
        raw = raw_scores.get(criterion.key)
        value, error = parse_manual_score(raw)
        if error is not None:
            errors[criterion.key] = [MANUAL_MESSAGES[error]]
        elif value is not None:
            scores[criterion.key] = value
        note = (notes.get(criterion.key) or "").strip()
        if len(note) > MAX_NOTE:
            errors.setdefault(f"note_{criterion.key}", []).append(_l("At most %(n)d characters.", n=MAX_NOTE))
        elif note:
            clean_notes[criterion.key] = note
    if errors:
        raise ValidationFailed(errors)
    changes = audit.diff(evaluation.manual_scores or {}, scores)
    changes.update({k: [v, None] for k, v in (evaluation.manual_scores or {}).items() if k not in scores})
    if changes or clean_notes != (evaluation.manual_notes or {}):
        evaluation.manual_scores = scores
        evaluation.manual_notes = clean_notes
        _add_editor(evaluation, actor)
        _flush(session)
        audit.record(
            session, actor, "score", "evaluation", evaluation.id, changes, supplier_id=evaluation.supplier_id
        )
    return evaluation


def evaluation_date(evaluation: Evaluation, today: date) -> date:
    """The as-of date of the facts: the stored one once submitted, else today (or the period's end)."""
    if evaluation.as_of is not None and evaluation.status in ("submitted", "final"):
        return evaluation.as_of
    if evaluation.period_end is not None:
        return min(evaluation.period_end, today)
    return today


def latest_screening(
    session: Session, supplier_id: int, as_of: date | None = None
) -> ScreeningResult | None:
    """The supplier's latest admission screening check (on or before a date): who checked, when, where."""
    return screening.latest_admission_check(session, supplier_id, as_of)


def submit(
    session: Session,
    evaluation: Evaluation,
    expected_version: int | None,
    actor: User | None,
    today: date,
    levels: int,
) -> Evaluation:
    """Freeze facts, scheme and manual scores and send the draft to approval level 1."""
    _check_version(evaluation, expected_version)
    if evaluation.status != "draft":
        raise ValidationFailed({"": [_l("Only a draft evaluation can be submitted.")]})
    scheme = schemes.as_scheme(evaluation.scheme_version)
    errors: dict[str, list] = {}
    supplier = evaluation.supplier
    as_of = evaluation_date(evaluation, today)
    facts = facts_loader.load_one(session, supplier.id, as_of, facts_loader.window_for(scheme))
    # Manual criteria always; receipt rates only when the supplier has no receipts in the period.
    for key in manual_keys_needed(scheme, facts, as_of):
        value, error = parse_manual_score((evaluation.manual_scores or {}).get(key))
        if value is None:
            errors[key] = [_l("Score this criterion before submitting.")]
    if problems := eligibility_problems(session, supplier, evaluation.kind, today):
        errors.setdefault("", []).extend(problems)
    if evaluation.kind == "admission":
        since = as_of - timedelta(days=SCREENING_MAX_AGE_DAYS)
        if screening.missing_admission_checks(session, supplier.id, as_of, since):
            errors.setdefault("", []).append(
                _l(
                    "Record the integrity screening (dishonest-enterprise list, the principal's bribery "
                    "record) of the last 12 months before submitting an admission evaluation."
                )
            )
    if errors:
        raise ValidationFailed(errors)
    snapshot = evaluation_snapshot(scheme, facts, evaluation.manual_scores, as_of)
    result = score_snapshot(snapshot)
    _store_result(evaluation, snapshot, result)
    evaluation.as_of = as_of
    evaluation.status = "submitted"
    evaluation.round = (evaluation.round or 0) + 1
    evaluation.approved_levels = 0
    evaluation.required_levels = approvals.clamp_levels(levels)
    evaluation.rejection_comment = None
    evaluation.submitted_by_id = getattr(actor, "id", None)
    evaluation.submitted_at = utcnow()
    _add_editor(evaluation, actor)
    _flush(session)
    audit.record(
        session,
        actor,
        "submit",
        "evaluation",
        evaluation.id,
        {"status": ["draft", "submitted"], "total": [None, result.total], "grade": [None, result.band.key]},
        supplier_id=supplier.id,
    )
    return evaluation


def _store_result(evaluation: Evaluation, snapshot: dict, result: ScoreResult | None) -> None:
    evaluation.snapshot = snapshot
    evaluation.result = result.to_dict() if result else None
    evaluation.total = result.total if result else None
    evaluation.grade = result.band.key if result else None
    evaluation.passed = result.passed if result else None
    evaluation.social_non_compliance = bool(result and result.social_non_compliance)


def decide(
    session: Session,
    evaluation: Evaluation,
    decision: str,
    level: int | None,
    comment: str,
    expected_version: int | None,
    actor: User,
    today: date,
    settings: lifecycle.LifecycleSettings,
) -> Evaluation:
    """Approve or return the level the evaluation awaits; the last approval makes it final."""
    _check_version(evaluation, expected_version)
    errors: dict[str, list] = {}
    if problems := approvals.problems(evaluation, actor, level):
        errors[""] = problems
    comment = (comment or "").strip()
    if decision not in ("approved", "rejected"):
        errors.setdefault("", []).append(_l("Approve or return the evaluation."))
    if decision == "rejected" and not comment:
        errors["comment"] = [_l("Say why the evaluation is returned.")]
    if len(comment) > MAX_NOTE:
        errors["comment"] = [_l("At most %(n)d characters.", n=MAX_NOTE)]
    if errors:
        raise ValidationFailed(errors)
    evaluation.approvals.append(
        EvaluationApproval(
            round=evaluation.round,
            level=level,
            decision=decision,
            approver_id=actor.id,
            comment=comment or None,
        )
    )
    if decision == "rejected":
        evaluation.status = "draft"
        evaluation.rejection_comment = comment
        evaluation.approved_levels = 0
        _store_result(evaluation, None, None)
        evaluation.as_of = None
        _flush(session)
        audit.record(
            session,
            actor,
            "return",
            "evaluation",
            evaluation.id,
            {"status": ["submitted", "draft"], "level": [None, level]},
            supplier_id=evaluation.supplier_id,
            note=comment,
        )
        return evaluation
    evaluation.approved_levels = level
    final = level >= evaluation.required_levels
    audit.record(
        session,
        actor,
        "approve",
        "evaluation",
        evaluation.id,
        {"level": [level - 1, level]} | ({"status": ["submitted", "final"]} if final else {}),
        supplier_id=evaluation.supplier_id,
        note=comment or None,
    )
    if final:
        evaluation.status = "final"
        evaluation.finalised_at = utcnow()
        lifecycle.apply_final(session, evaluation, actor, today, settings)
    _flush(session)
    return evaluation


def cancel(
    session: Session, evaluation: Evaluation, expected_version: int | None, reason: str, actor: User | None
) -> Evaluation:
    """Discard a draft (kept as cancelled, with its reason)."""
    _check_version(evaluation, expected_version)
    errors: dict[str, list] = {}
    if evaluation.status != "draft":
        errors[""] = [_l("Only a draft evaluation can be cancelled.")]
    if not (reason or "").strip():
        errors["comment"] = [_l("Say why the evaluation is cancelled.")]
    if errors:
        raise ValidationFailed(errors)
    evaluation.status = "cancelled"
    _flush(session)
    audit.record(
        session,
        actor,
        "cancel",
        "evaluation",
        evaluation.id,
        {"status": ["draft", "cancelled"]},
        supplier_id=evaluation.supplier_id,
        note=reason.strip(),
    )
    supplier = evaluation.supplier
    if (
        evaluation.kind == "admission"
        and supplier.status == "under_review"
        and not _overlapping(session, supplier.id, "admission", None, exclude_id=evaluation.id)
    ):
        lifecycle._set_status(
            session,
            supplier,
            "registered",
            f"准入评价 #{evaluation.id} 已取消 / admission evaluation #{evaluation.id} cancelled",
            actor,
        )
    return evaluation


def record_trial(
    session: Session,
    evaluation: Evaluation,
    outcome: str,
    note: str,
    expected_version: int | None,
    actor: User | None,
    today: date,
) -> Evaluation:
    """Record the trial-supply outcome of an admission evaluation."""
    _check_version(evaluation, expected_version)
    lifecycle.record_trial(session, evaluation, outcome, note, actor, today)
    _flush(session)
    return evaluation


# --------------------------------------------------------------------------------------------- reading


@dataclass
class Preview:
    """The figures and evidence shown on an evaluation page."""

    as_of: date
    facts: SupplierFacts
    result: dict | None  # stored figures (submitted/final) or a live result when every manual score is in
    evidence_lines: list[dict]  # explanation lines of the evidence criteria
    red_lines: list[dict]
    provisional: bool  # computed live from today's records, not frozen


def preview(session: Session, evaluation: Evaluation, today: date) -> Preview:
    """The evaluation's figures: stored once submitted; for a draft, computed live from the records."""
    if evaluation.snapshot is not None and evaluation.result is not None:
        snapshot, result = evaluation.snapshot, evaluation.result
        return Preview(
            date.fromisoformat(snapshot["as_of"]),
            SupplierFacts.from_dict(snapshot["facts"]),
            result,
            [e for e in result["explanations"] if e["kind"] != "manual"],
            result["red_lines"],
            False,
        )
    scheme = schemes.as_scheme(evaluation.scheme_version)
    as_of = evaluation_date(evaluation, today)
    facts = facts_loader.load_one(session, evaluation.supplier_id, as_of, facts_loader.window_for(scheme))
    manual = dict(evaluation.manual_scores or {})
    needed = manual_keys_needed(scheme, facts, as_of)
    complete = all(key in manual for key in needed)
    filled = {key: manual.get(key, 0) for key in needed}
    live = score(scheme, facts, filled, as_of).to_dict()
    return Preview(
        as_of,
        facts,
        live if complete else None,
        [e for e in live["explanations"] if e["kind"] != "manual"],
        live["red_lines"],
        True,
    )


def rank(session: Session, evaluation: Evaluation) -> tuple[float, int] | None:
    """Percentile of the evaluation's total within its category and period, and the peer count.

    Peers are the final evaluations of the same kind in the same category and period (admissions:
    the same calendar year); the evaluation itself counts even before it is final.
    """
    if evaluation.total is None:
        return None
    stmt = select(Evaluation.id, Evaluation.total).where(
        Evaluation.kind == evaluation.kind,
        Evaluation.category_id == evaluation.category_id,
        Evaluation.status == "final",
        Evaluation.total.is_not(None),
    )
    if evaluation.kind == "periodic":
        stmt = stmt.where(
            Evaluation.period_type == evaluation.period_type,
            Evaluation.period_year == evaluation.period_year,
            Evaluation.period_index == evaluation.period_index,
        )
    else:
        year = (evaluation.as_of or clock.today()).year
        stmt = stmt.where(Evaluation.as_of >= date(year, 1, 1), Evaluation.as_of <= date(year, 12, 31))
    totals = {row.id: row.total for row in session.execute(stmt)}
    totals[evaluation.id] = evaluation.total
    return percentile(evaluation.total, totals.values()), len(totals)


def for_supplier(session: Session, supplier_id: int) -> list[Evaluation]:
    """A supplier's evaluations, newest first."""
    return list(
        session.scalars(
            select(Evaluation)
            .where(Evaluation.supplier_id == supplier_id)
            .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        )
    )


@dataclass
class EvaluationFilters:
    """What the evaluation list filters by."""

    status: str = ""
    kind: str = ""
    category_id: int | None = None
    year: int | None = None
    supplier_id: int | None = None
    awaiting_me: bool = False


def search(
    session: Session, filters: EvaluationFilters, actor: User | None, page: int = 1, per_page: int = 50
) -> Page:
    """Evaluations matching the filters, newest first; "awaiting me": the actor may decide the next level."""
    conditions = []
    if filters.status:
        conditions.append(Evaluation.status == filters.status)
    if filters.kind:
        conditions.append(Evaluation.kind == filters.kind)
    if filters.category_id:
        conditions.append(Evaluation.category_id == filters.category_id)
    if filters.supplier_id:
        conditions.append(Evaluation.supplier_id == filters.supplier_id)
    if filters.year:
        conditions.append(
            or_(
                Evaluation.period_year == filters.year,
                and_(
                    Evaluation.period_year.is_(None),
                    func.coalesce(Evaluation.as_of, func.date(Evaluation.created_at)).between(
                        date(filters.year, 1, 1), date(filters.year, 12, 31)
                    ),
                ),
            )
        )
    stmt = select(Evaluation).where(*conditions).order_by(Evaluation.id.desc())
    if filters.awaiting_me and actor is not None:
        items = [
            e
            for e in session.scalars(stmt.where(Evaluation.status == "submitted"))
            if approvals.can_decide(e, actor)
        ]
        total = len(items)
        page = max(1, min(page, max(1, ceil(total / per_page))))
        return Page(items[(page - 1) * per_page : page * per_page], total, page, per_page)
    total = session.scalar(select(func.count(Evaluation.id)).where(*conditions)) or 0
    page = max(1, min(page, max(1, ceil(total / per_page))))
    return Page(
        list(session.scalars(stmt.offset((page - 1) * per_page).limit(per_page))), total, page, per_page
    )


def signed_pledges(session: Session, supplier_id: int) -> list[IntegrityPledge]:
    """The supplier's pledges, newest first (shown beside the integrity criteria)."""
    return list(
        session.scalars(
            select(IntegrityPledge)
            .where(IntegrityPledge.supplier_id == supplier_id)
            .order_by(IntegrityPledge.signed_on.desc())
        )
    )


def social_rejections(session: Session, start: date, end: date) -> list[Evaluation]:
    """Final admissions between two dates that rejected a potential supplier for social-responsibility
    non-compliance (the KPI table's "potential suppliers rejected")."""
    return list(
        session.scalars(
            select(Evaluation)
            .where(
                Evaluation.kind == "admission",
                Evaluation.status == "final",
                Evaluation.outcome == "rejected",
                Evaluation.social_non_compliance.is_(True),
                Evaluation.as_of >= start,
                Evaluation.as_of <= end,
            )
            .order_by(Evaluation.as_of, Evaluation.id)
        )
    )


def evidence_behind(facts: SupplierFacts, definition: dict) -> dict[str, list]:
    """The facts each evidence criterion read, by criterion key (certificates, pledges, training…)."""
    behind: dict[str, list] = {}
    for dimension in definition.get("dimensions", []):
        for criterion in dimension.get("criteria", []):
            kind, params = criterion.get("kind"), criterion.get("params") or {}
            if kind == "certificate_valid":
                rows = [c for c in facts.certificates if c.cert_type == params.get("cert_type")]
            elif kind == "licences_valid":
                rows = [c for c in facts.certificates if c.cert_type in facts.required_licences]
            elif kind == "pledge_signed":
                rows = [p for p in facts.pledges if p.kind == params.get("pledge_kind")]
            elif kind == "training_hours":
                rows = list(facts.trainings)
            elif kind == "no_major_incident":
                wanted = set(params.get("categories") or ()) or None
                rows = [i for i in facts.incidents if wanted is None or i.category in wanted]
            elif kind == "no_open_major_finding":
                rows = list(facts.findings)
            elif kind == "last_audit_score":
                rows = list(facts.audits)
            else:
                continue
            behind[criterion["key"]] = rows
    return behind


@dataclass
class SupplierSection:
    """The supplier page's evaluation section: evaluations, certificates, screening, corrective actions."""

    evaluations: list[Evaluation]
    certificates: list
    screenings: list[ScreeningResult]  # the latest result per list
    corrective_actions: list


def supplier_section(session: Session, supplier_id: int) -> SupplierSection:
    """Everything the supplier page's evaluation section needs, in one call."""
    from supplychain.models import CorrectiveAction
    from supplychain.services.evaluation import certificates_annual

    actions = list(
        session.scalars(
            select(CorrectiveAction)
            .where(CorrectiveAction.supplier_id == supplier_id, CorrectiveAction.evaluation_id.is_not(None))
            .order_by(CorrectiveAction.due_on, CorrectiveAction.id)
        )
    )
    return SupplierSection(
        for_supplier(session, supplier_id),
        certificates_annual.for_supplier(session, supplier_id),
        screening.latest_per_list(session, supplier_id),
        actions,
    )
