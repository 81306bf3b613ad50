"""Evaluations against the database: facts loading, scoring, workflow, lifecycle, locking, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from supplychain import db
from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import AuditEntry, CorrectiveAction, Supplier
from supplychain.models.evaluation import AnnualCertificate, Evaluation
from supplychain.scoring import score_snapshot
from supplychain.services.evaluation import evaluations, facts_loader
from tests.evaluation_factories import (
    SETTINGS,
    TODAY,
    all_manual,
    approve_all,
    gen_blacklist,
    gen_certification,
    gen_evaluation,
    gen_good_evidence,
    gen_incident,
    gen_pledge,
    gen_requirement,
    gen_screening,
    gen_submitted,
    gen_training,
)
from tests.factories import gen_category, gen_supplier, gen_user


def _notes(session, supplier_id: int, action: str = "status") -> list[str]:
    return [
        e.note
        for e in session.scalars(
            select(AuditEntry)
            .where(AuditEntry.supplier_id == supplier_id, AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
    ]


# ------------------------------------------------------------------------------------------ facts loader


def test_facts_loader_reads_every_table_as_of_the_day(session):
    supplier = gen_supplier(session, status="qualified")
    gen_certification(session, supplier, "iso9001", number="Q-1")
    gen_certification(session, supplier, "pollutant_permit", verified_on=None)
    gen_certification(session, supplier, "iso14001", issued_on=TODAY + timedelta(days=1))  # after the day
    gen_pledge(session, supplier, "wage_guarantee")
    gen_pledge(session, supplier, "integrity", signed_on=TODAY + timedelta(days=5))  # after the day
    gen_training(session, supplier, TODAY - timedelta(days=20), hours=6)
    gen_training(session, supplier, TODAY - timedelta(days=400), hours=50)  # outside 12 months
    gen_training(session, supplier, TODAY - timedelta(days=10), hours=3, topic="quality")  # not ESG
    gen_training(session, supplier, TODAY - timedelta(days=10), hours=4, completed=False)
    gen_incident(session, supplier, "labour", "critical", TODAY - timedelta(days=100))
    gen_incident(session, supplier, "safety", "minor", TODAY - timedelta(days=100))  # minor: not loaded
    gen_requirement(session, supplier.categories[0], "pollutant_permit")
    gen_screening(session, supplier, TODAY - timedelta(days=300), on_dishonest_list=True)
    gen_screening(session, supplier, TODAY - timedelta(days=30), principal_bribery_conviction=True)

    facts = facts_loader.load_one(session, supplier.id, TODAY)

    assert [(c.cert_type, c.verified, c.number) for c in facts.certificates] == [
        ("iso9001", True, "Q-1"),
        ("pollutant_permit", False, "POLLUTANT_PERMIT-001"),
    ]
    assert [p.kind for p in facts.pledges] == ["wage_guarantee"]
    assert [t.hours for t in facts.trainings] == [6]
    assert [(i.category, i.severity) for i in facts.incidents] == [("labour", "critical")]
    assert facts.required_licences == ("pollutant_permit",)
    assert (facts.on_dishonest_list, facts.principal_bribery_conviction) == (False, True)  # the latest check
    assert not facts.blacklisted


def test_facts_loader_blacklist_by_credit_code_and_lifting(session):
    supplier, other, lifted = gen_supplier(session), gen_supplier(session), gen_supplier(session)
    gen_blacklist(session, credit_code=supplier.credit_code)
    gen_blacklist(session, lifted, lifted_at=__import__("datetime").datetime(2026, 1, 1, 8))
    facts = facts_loader.load_facts(session, [supplier.id, other.id, lifted.id], TODAY)
    assert facts[supplier.id].blacklisted and not facts[other.id].blacklisted
    assert not facts[lifted.id].blacklisted
    assert facts_loader.load_one(session, lifted.id, date(2025, 6, 1)).blacklisted  # before it was lifted


def test_pledge_refusal_recorded_at_screening_is_a_red_line_until_signed(session):
    supplier = gen_supplier(session)
    gen_screening(session, supplier, date(2026, 1, 1), integrity_pledge_refused=True)
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert [(p.kind, p.refused) for p in facts.pledges] == [("integrity", True)]


def test_facts_loader_one_query_per_table_per_batch(app, session):
    suppliers = [gen_supplier(session, status="qualified") for _ in range(30)]
    for supplier in suppliers:
        gen_good_evidence(session, supplier)
    session.flush()
    statements = []
    engine = app.extensions["sqlalchemy_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        facts = facts_loader.load_facts(session, [s.id for s in suppliers], TODAY, batch=20)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(facts) == 30
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # Two batches, twelve tables each (self-assessments, receipts, audit findings and audits included).
    assert len(selects) == 2 * 12


# ------------------------------------------------------------------------------------------ scoring


def test_submission_freezes_facts_and_figures_reproduce_exactly(session):
    evaluation = gen_evaluation(session)
    gen_good_evidence(session, evaluation.supplier)
    actor = evaluation.created_by
    evaluations.save_scores(session, evaluation, all_manual(evaluation, 80), {}, evaluation.version_id, actor)
    evaluations.submit(session, evaluation, evaluation.version_id, actor, TODAY, 3)
    assert evaluation.status == "submitted" and evaluation.as_of == date(2025, 12, 31)
    assert evaluation.snapshot["scheme"]["version"] == evaluation.scheme_version.version == 1
    assert evaluation.grade == "qualified" and 75 <= evaluation.total < 90
    # New evidence after submission changes nothing: the snapshot is what is scored.
    gen_incident(session, evaluation.supplier, "safety", "critical", date(2025, 6, 1))
    assert score_snapshot(evaluation.snapshot).to_dict() == evaluation.result
    rates = ("on_time_delivery_rate", "acceptance_rate")
    evidence = [e for e in evaluation.result["explanations"] if e["kind"] not in ("manual", "saq_theme", *rates)]
    assert all(e["score"] == 100 for e in evidence)
    # No receipts in the period: both rates took the evaluator's score, and say so.
    fallbacks = [e for e in evaluation.result["explanations"] if e["kind"] in rates]
    assert len(fallbacks) == 2 and all("evaluator score 80" in e["text_en"] for e in fallbacks)
    # No reviewed self-assessment yet: the self-assessment criteria score 0.
    assert [e["score"] for e in evaluation.result["explanations"] if e["kind"] == "saq_theme"] == [0, 0]


def test_preview_of_a_draft_shows_evidence_lines_before_manual_scores(session):
    evaluation = gen_evaluation(session)
    gen_certification(session, evaluation.supplier, "iso9001")
    view = evaluations.preview(session, evaluation, TODAY)
    assert view.provisional and view.result is None
    assert any("integrity" in line["criterion_key"] for line in view.evidence_lines)
    assert view.red_lines and not any(r["failed"] for r in view.red_lines)


# ------------------------------------------------------------------------------------------ lifecycle


def test_admission_pass_qualifies_when_no_trial_is_required(session):
    category = gen_category(session, "services", "服务", "Services")
    supplier = gen_supplier(session, categories=["services"])
    gen_good_evidence(session, supplier)
    evaluation = gen_submitted(session, supplier=supplier, kind="admission", category=category, value=85)
    approve_all(session, evaluation)
    assert evaluation.status == "final" and evaluation.outcome == "qualified"
    assert supplier.status == "qualified"
    assert any("passed" in n for n in _notes(session, supplier.id))


def test_admission_pass_goes_to_trial_then_trial_outcomes(session):
    gen_category(session, "components", "零部件", "Components", requires_trial=True)
    passing = gen_supplier(session, categories=["components"])
    failing = gen_supplier(session, categories=["components"])
    done = []
    for supplier in (passing, failing):
        gen_good_evidence(session, supplier)
        evaluation = approve_all(
            session, gen_submitted(session, supplier=supplier, kind="admission", value=85)
        )
        assert evaluation.outcome == "trial" and supplier.status == "trial"
        done.append(evaluation)
    actor = gen_user(session, "procurement")
    evaluations.record_trial(
        session, done[0], "passed", "试用 200 件全部合格", done[0].version_id, actor, TODAY
    )
    evaluations.record_trial(session, done[1], "failed", "试用批次尺寸超差", done[1].version_id, actor, TODAY)
    assert passing.status == "qualified" and failing.status == "rejected"
    assert "trial supply failed" in _notes(session, failing.id)[-1]
    with pytest.raises(ValidationFailed) as failed:
        evaluations.record_trial(session, done[0], "failed", "again", done[0].version_id, actor, TODAY)
    assert "outcome" in failed.value.errors


def test_admission_red_line_rejects_for_social_non_compliance(session):
    supplier = gen_supplier(session)
    gen_good_evidence(session, supplier)
    gen_screening(session, supplier, TODAY - timedelta(days=1), on_dishonest_list=True)
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, kind="admission", value=95))
    assert evaluation.result["red_lines_failed"] == ["dishonest_list"]
    assert (
        supplier.status == "rejected"
        and evaluation.outcome == "rejected"
        and evaluation.social_non_compliance
    )
    assert "social-responsibility non-compliance" in _notes(session, supplier.id)[-1]
    assert evaluations.social_rejections(session, date(2026, 1, 1), date(2026, 12, 31)) == [evaluation]


def test_admission_low_score_rejects_without_social_flag(session):
    supplier = gen_supplier(session)
    gen_good_evidence(session, supplier)
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, kind="admission", value=20))
    assert supplier.status == "rejected" and not evaluation.social_non_compliance
    assert evaluations.social_rejections(session, date(2026, 1, 1), date(2026, 12, 31)) == []


@pytest.mark.parametrize(
    ("value", "grade", "kind"), [(97, "excellent", "excellent"), (80, "qualified", "qualified")]
)
def test_periodic_pass_issues_the_years_certificate(session, value, grade, kind):
    supplier = gen_supplier(session, status="conditional")
    gen_good_evidence(session, supplier)
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, value=value))
    assert evaluation.grade == grade and evaluation.outcome == "certificate"
    certificate = session.scalar(
        select(AnnualCertificate).where(AnnualCertificate.supplier_id == supplier.id)
    )
    assert (certificate.year, certificate.kind, certificate.evaluation_id) == (2025, kind, evaluation.id)
    assert supplier.status == "qualified"  # back from conditional


def test_periodic_conditional_creates_corrective_actions_for_the_weakest_dimensions(session):
    supplier = gen_supplier(session)
    supplier.status = "qualified"
    gen_good_evidence(session, supplier)
    evaluation = gen_evaluation(session, supplier=supplier)
    actor = evaluation.created_by
    scores = all_manual(evaluation, 85)
    scores["price_competitiveness"] = "10"
    scores["service_responsiveness"] = "30"
    evaluations.save_scores(session, evaluation, scores, {}, evaluation.version_id, actor)
    evaluations.submit(session, evaluation, evaluation.version_id, actor, TODAY, 3)
    assert evaluation.grade == "conditional", evaluation.total
    approve_all(session, evaluation)
    actions = list(
        session.scalars(
            select(CorrectiveAction)
            .where(CorrectiveAction.evaluation_id == evaluation.id)
            .order_by(CorrectiveAction.id)
        )
    )
    assert [a.action.split("：")[0] for a in actions][:2] == ["整改价格水平", "整改服务质量"]
    assert all(a.due_on == TODAY + timedelta(days=90) and a.status == "open" for a in actions)
    assert supplier.status == "conditional" and evaluation.outcome == "corrective_actions"


def test_unqualified_suspends_then_second_consecutive_exits(session):
    supplier = gen_supplier(session, status="qualified")
    gen_good_evidence(session, supplier)
    first = approve_all(
        session, gen_submitted(session, supplier=supplier, value=20, period=("half", 2025, 1))
    )
    assert supplier.status == "suspended" and first.outcome == "suspended"
    second = approve_all(
        session, gen_submitted(session, supplier=supplier, value=20, period=("half", 2025, 2))
    )
    assert supplier.status == "exited" and second.outcome == "exited"
    assert "second consecutive" in _notes(session, supplier.id)[-1]


def test_unqualified_after_a_pass_only_suspends_and_revokes_the_years_certificate(session):
    supplier = gen_supplier(session, status="qualified")
    gen_good_evidence(session, supplier)
    approve_all(session, gen_submitted(session, supplier=supplier, value=80, period=("quarter", 2025, 1)))
    approve_all(session, gen_submitted(session, supplier=supplier, value=20, period=("quarter", 2025, 2)))
    assert supplier.status == "suspended"
    certificate = session.scalar(
        select(AnnualCertificate).where(AnnualCertificate.supplier_id == supplier.id)
    )
    assert certificate.revoked_on == TODAY


# ------------------------------------------------------------------------------------------ approvals


def test_approvals_in_order_with_separation_of_duties(session):
    creator = gen_user(session, "admin")
    evaluation = gen_submitted(session, actor=creator)
    first, second = gen_user(session, "reviewer"), gen_user(session, "reviewer")
    procurement = gen_user(session, "procurement")

    def attempt(actor, level):
        with pytest.raises(ValidationFailed) as failed:
            evaluations.decide(
                session, evaluation, "approved", level, "", evaluation.version_id, actor, TODAY, SETTINGS
            )
        return " ".join(str(m) for m in failed.value.errors[""])

    assert "level 1" in attempt(first, 2)  # out of order
    assert "someone else" in attempt(creator, 1)
    assert "Only reviewers" in attempt(procurement, 1)
    evaluations.decide(
        session, evaluation, "approved", 1, "ok", evaluation.version_id, first, TODAY, SETTINGS
    )
    assert "already approved level 1" in attempt(first, 2)
    assert "already approved" in attempt(second, 1)
    evaluations.decide(session, evaluation, "approved", 2, "", evaluation.version_id, second, TODAY, SETTINGS)
    assert evaluation.status == "submitted" and evaluation.next_level == 3
    admin = gen_user(session, "admin")
    evaluations.decide(session, evaluation, "approved", 3, "", evaluation.version_id, admin, TODAY, SETTINGS)
    assert evaluation.status == "final" and evaluation.finalised_at is not None
    assert [(a.level, a.approver_id) for a in evaluation.approvals] == [
        (1, first.id),
        (2, second.id),
        (3, admin.id),
    ]


def test_rejection_returns_to_draft_with_comment_and_a_new_round(session):
    evaluation = gen_submitted(session)
    reviewer = gen_user(session, "reviewer")
    with pytest.raises(ValidationFailed) as failed:
        evaluations.decide(
            session, evaluation, "rejected", 1, " ", evaluation.version_id, reviewer, TODAY, SETTINGS
        )
    assert "comment" in failed.value.errors
    evaluations.decide(
        session,
        evaluation,
        "rejected",
        1,
        "价格评分依据不足",
        evaluation.version_id,
        reviewer,
        TODAY,
        SETTINGS,
    )
    assert evaluation.status == "draft" and evaluation.rejection_comment == "价格评分依据不足"
    assert evaluation.result is None and evaluation.snapshot is None
    actor = evaluation.created_by
    evaluations.submit(session, evaluation, evaluation.version_id, actor, TODAY, 3)
    assert evaluation.round == 2 and evaluation.next_level == 1
    # The reviewer who returned level 1 may decide level 1 again, not another level.
    evaluations.decide(
        session, evaluation, "approved", 1, "", evaluation.version_id, reviewer, TODAY, SETTINGS
    )


def test_one_approval_level_when_configured(session):
    evaluation = approve_all(session, gen_submitted(session, levels=1))
    assert evaluation.status == "final" and len(evaluation.approvals) == 1


# ------------------------------------------------------------------------------------------ locking


def test_stale_form_version_is_a_conflict_and_nothing_is_saved(session):
    evaluation = gen_evaluation(session)
    actor = evaluation.created_by
    seen = evaluation.version_id
    evaluations.save_scores(session, evaluation, {"quality_acceptance": "90"}, {}, seen, actor)
    with pytest.raises(Conflict):
        evaluations.save_scores(session, evaluation, {"quality_acceptance": "10"}, {}, seen, actor)
    assert evaluation.manual_scores == {"quality_acceptance": 90.0}


def test_concurrent_flush_is_a_conflict(app, session):
    evaluation = gen_evaluation(session)
    session.commit()
    other = db.session.session_factory()
    try:
        theirs = other.get(Evaluation, evaluation.id)
        theirs.manual_notes = {"quality_acceptance": "theirs"}
        other.commit()
    finally:
        other.close()
    with pytest.raises(Conflict):
        evaluations.save_scores(
            session,
            evaluation,
            {"quality_acceptance": "50"},
            {},
            evaluation.version_id,
            evaluation.created_by,
        )
    session.rollback()
    assert session.get(Evaluation, evaluation.id).manual_notes == {"quality_acceptance": "theirs"}


# ------------------------------------------------------------------------------------------ bad input


def test_bad_manual_scores_are_all_reported_and_nothing_is_saved(session):
    evaluation = gen_evaluation(session)
    with pytest.raises(ValidationFailed) as failed:
        evaluations.save_scores(
            session,
            evaluation,
            {"quality_acceptance": "101", "on_time_delivery": "abc", "price_competitiveness": "80"},
            {},
            evaluation.version_id,
            evaluation.created_by,
        )
    assert set(failed.value.errors) == {"quality_acceptance", "on_time_delivery"}
    assert evaluation.manual_scores == {}


def test_submitting_with_missing_scores_names_each(session):
    evaluation = gen_evaluation(session)
    with pytest.raises(ValidationFailed) as failed:
        evaluations.submit(session, evaluation, evaluation.version_id, evaluation.created_by, TODAY, 3)
    assert set(failed.value.errors) == {c.key for c in evaluations.manual_criteria(evaluation)}
    assert evaluation.status == "draft"


def test_admission_needs_a_recent_screening(session):
    supplier = gen_supplier(session)
    evaluation = gen_evaluation(session, supplier=supplier, kind="admission")
    evaluations.save_scores(
        session, evaluation, all_manual(evaluation), {}, evaluation.version_id, evaluation.created_by
    )
    with pytest.raises(ValidationFailed) as failed:
        evaluations.submit(session, evaluation, evaluation.version_id, evaluation.created_by, TODAY, 3)
    assert "integrity screening" in str(failed.value.errors[""][0])


@pytest.mark.parametrize("status", ["exited", "blacklisted"])
def test_exited_or_blacklisted_suppliers_cannot_be_evaluated(session, status):
    supplier = gen_supplier(session, status=status)
    with pytest.raises(ValidationFailed) as failed:
        gen_evaluation(session, supplier=supplier)
    assert status[:5] in str(failed.value.errors["supplier_id"][0])


def test_blacklist_entry_blocks_evaluation(session):
    supplier = gen_supplier(session, status="qualified")
    gen_blacklist(session, credit_code=supplier.credit_code)
    with pytest.raises(ValidationFailed):
        gen_evaluation(session, supplier=supplier)
    assert session.scalar(select(Evaluation)) is None


def test_overlapping_period_is_refused(session):
    evaluation = gen_evaluation(session, period=("year", 2025, 1))
    with pytest.raises(ValidationFailed) as failed:
        gen_evaluation(session, supplier=evaluation.supplier, period=("quarter", 2025, 3))
    assert "covers part of this period" in str(failed.value.errors["period_year"][0])
    gen_evaluation(session, supplier=evaluation.supplier, period=("quarter", 2026, 1))  # no overlap


@pytest.mark.parametrize(
    ("period", "field"),
    [
        (("quarter", 2025, 5), "period_index"),
        (("year", 1999, 1), "period_year"),
        (("month", 2025, 1), "period_type"),
        (("year", 2027, 1), "period_year"),
    ],
)
def test_bad_periods(session, period, field):
    with pytest.raises(ValidationFailed) as failed:
        gen_evaluation(session, period=period)
    assert field in failed.value.errors


def test_periodic_needs_a_qualified_supplier_and_one_of_its_categories(session):
    supplier = gen_supplier(session, status="registered")
    other = gen_category(session, "logistics", "物流", "Logistics")
    with pytest.raises(ValidationFailed) as failed:
        gen_evaluation(session, supplier=supplier, category=other)
    assert set(failed.value.errors) == {"supplier_id", "category_id"}


# ------------------------------------------------------------------------------------------ bulk, ranking


def test_bulk_creation_for_a_category_and_period(session):
    category = gen_category(session)
    suppliers = [gen_supplier(session, status="qualified") for _ in range(3)]
    gen_supplier(session, status="registered")  # not qualified: not a candidate
    gen_evaluation(session, supplier=suppliers[0], period=("year", 2025, 1))
    gen_blacklist(session, suppliers[1])
    actor = gen_user(session)
    result = evaluations.bulk_create(session, category.id, "half", 2025, 2, actor, TODAY)
    assert [s.id for _, s in result.created] == [suppliers[2].id]
    created = session.get(Evaluation, result.created[0][0])
    assert (created.status, created.version_id, created.period_start) == ("draft", 1, date(2025, 7, 1))
    evaluations.save_scores(session, created, {"quality_acceptance": "70"}, {}, 1, actor)  # a normal draft
    assert session.scalar(
        select(AuditEntry).where(AuditEntry.entity_id == created.id, AuditEntry.action == "create")
    )
    assert [s.id for s, _ in result.skipped] == [suppliers[0].id, suppliers[1].id]


def test_rank_is_the_percentile_within_category_and_period(session):
    totals = []
    for value in (40, 60, 80, 95):
        supplier = gen_supplier(session, status="qualified")
        gen_good_evidence(session, supplier)
        totals.append(approve_all(session, gen_submitted(session, supplier=supplier, value=value)))
    assert [evaluations.rank(session, e) for e in totals] == [(25.0, 4), (50.0, 4), (75.0, 4), (100.0, 4)]


def test_cancelling_an_admission_draft_returns_the_supplier_to_registered(session):
    evaluation = gen_evaluation(session, kind="admission")
    supplier = session.get(Supplier, evaluation.supplier_id)
    assert supplier.status == "under_review"
    with pytest.raises(ValidationFailed):
        evaluations.cancel(session, evaluation, evaluation.version_id, "", evaluation.created_by)
    evaluations.cancel(session, evaluation, evaluation.version_id, "重复创建", evaluation.created_by)
    assert evaluation.status == "cancelled" and supplier.status == "registered"
