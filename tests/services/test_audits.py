"""Audits and inspections: bad input refused whole, automatic corrective actions, the closing rule, the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from supplychain.errors import ValidationFailed
from supplychain.models import Audit, AuditEntry, AuditFinding, CorrectiveAction, RiskTierSetting
from supplychain.services.core import attachments
from supplychain.services.evidence import corrective_actions
from supplychain.services.risk import audit_closing, audit_plan, audits, checklists
from tests.audit_factories import gen_audit, gen_checklist
from tests.evidence_factories import HTML, PNG
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_tier, gen_user

TODAY = date(2026, 6, 30)
POLICY = audits.ActionPolicy(severity="major", days=30)


@pytest.fixture
def store(tmp_path):
    return attachments.Store(tmp_path, 1024 * 1024)


def _held(session, supplier, **overrides) -> Audit:
    data = audits.AuditData(kind="periodic", planned_on=TODAY - timedelta(days=5), actual_on=TODAY - timedelta(days=1),
                            auditors="张工")
    for name, value in overrides.items():
        setattr(data, name, value)
    return audits.save_audit(session, supplier, data, None, TODAY)


def test_an_audit_before_the_supplier_existed_is_refused_with_every_problem(session):
    supplier = gen_supplier(session, today=date(2026, 1, 15))
    bad = audits.AuditData(kind="tour", planned_on=date(2025, 12, 1), actual_on=date(2026, 1, 2), auditors=" ")
    with pytest.raises(ValidationFailed) as failed:
        audits.save_audit(session, supplier, bad, None, TODAY)
    assert set(failed.value.errors) == {"kind", "planned_on", "actual_on", "auditors"}
    assert "2026-01-15" in str(failed.value.errors["planned_on"][0])
    assert session.scalar(select(func.count(Audit.id))) == 0


def test_planned_then_held_audit_is_logged(session):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    planned = audits.save_audit(session, supplier, audits.AuditData(kind="unannounced", planned_on=TODAY,
                                                                    auditors="王工"), None, TODAY)
    assert planned.status == "planned"
    data = audits.AuditData(kind="unannounced", planned_on=TODAY, actual_on=TODAY, auditors="王工")
    held = audits.save_audit(session, supplier, data, None, TODAY, planned)
    assert held.status == "held"
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "audit",
                                                              AuditEntry.entity_id == held.id)).all()
    assert sorted(actions) == ["create", "update"]


def test_a_finding_without_severity_saves_nothing(session, store):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    audit = _held(session, supplier)
    bad = audits.FindingData(severity="", dimension="social", impact="potential", description="")
    with pytest.raises(ValidationFailed) as failed:
        audits.save_finding(session, audit, bad, [attachments.Upload("x.html", HTML)], store, POLICY, None, TODAY)
    assert set(failed.value.errors) == {"severity", "description", "photos"}
    assert session.scalar(select(func.count(AuditFinding.id))) == 0
    assert session.scalar(select(func.count(CorrectiveAction.id))) == 0


def test_a_major_finding_opens_a_linked_corrective_action_and_a_minor_one_does_not(session, store):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    audit = _held(session, supplier)
    major = audits.save_finding(session, audit, audits.FindingData("major", "social", "potential", "消防通道堵塞"),
                                [attachments.Upload("现场.png", PNG)], store, POLICY, None, TODAY)
    minor = audits.save_finding(session, audit, audits.FindingData("minor", "environmental", "actual", "标识不清"),
                                [], store, POLICY, None, TODAY)
    assert major.corrective_action is not None and minor.corrective_action_id is None
    assert major.corrective_action.due_on == TODAY + timedelta(days=30)
    assert major.corrective_action.supplier_id == supplier.id
    assert [a.original_name for a in major.attachments] == ["现场.png"]
    stricter = audits.ActionPolicy(severity="critical", days=30)
    other = audits.save_finding(session, audit, audits.FindingData("major", "social", "actual", "超时加班"),
                                [], store, stricter, None, TODAY)
    assert other.corrective_action_id is None


def test_the_audit_closes_only_when_every_corrective_action_is_verified(session, store):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    buyer, checker = gen_user(session, "procurement"), gen_user(session, "reviewer")
    audit = _held(session, supplier)
    first = audits.save_finding(session, audit, audits.FindingData("critical", "environmental", "actual", "偷排"),
                                [], store, POLICY, buyer, TODAY)
    second = audits.save_finding(session, audit, audits.FindingData("major", "social", "actual", "拖欠工资"),
                                 [], store, POLICY, buyer, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        audit_closing.close_audit(session, audit, buyer, TODAY)
    assert "2 corrective actions" in str(failed.value.errors["audit"][0])
    for finding in (first, second):
        corrective_actions.submit(session, finding.corrective_action, "已整改", None, store, buyer, TODAY)
    with pytest.raises(ValidationFailed):
        audit_closing.close_audit(session, audit, buyer, TODAY)
    corrective_actions.verify(session, first.corrective_action, True, "现场复核通过", checker, TODAY)
    assert audit.status == "held"
    # The last verification closes the audit by itself, as it closes an incident.
    corrective_actions.verify(session, second.corrective_action, True, "工资已补发", checker, TODAY)
    assert audit.status == "closed" and audit.closed_on == TODAY
    closing = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "audit", AuditEntry.action == "close"))
    assert closing.actor_id == checker.id
    with pytest.raises(ValidationFailed):
        audits.save_finding(session, audit, audits.FindingData("minor", "social", "actual", "新问题"), [], store,
                            POLICY, buyer, TODAY)


def test_an_audit_without_corrective_actions_is_closed_by_hand(session, store):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    audit = _held(session, supplier)
    audits.save_finding(session, audit, audits.FindingData("minor", "social", "actual", "标识缺失"), [], store,
                        POLICY, None, TODAY)
    assert audit_closing.close_audit(session, audit, None, TODAY).status == "closed"
    with pytest.raises(ValidationFailed):
        audit_closing.close_audit(session, audit, None, TODAY)


def test_a_planned_audit_cannot_close_or_take_findings(session, store):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    audit = gen_audit(session, supplier, held_on=None)
    with pytest.raises(ValidationFailed):
        audit_closing.close_audit(session, audit, None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        audits.save_finding(session, audit, audits.FindingData("major", "social", "actual", "x"), [], store, POLICY,
                            None, TODAY)
    assert "description" in failed.value.errors


def test_checklist_results_give_the_score_and_every_item_must_be_answered(session):
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    template = gen_checklist(session)
    audit = _held(session, supplier, template_id=template.id)
    first, second, third = (str(item.id) for item in template.items)
    with pytest.raises(ValidationFailed) as failed:
        audits.save_results(session, audit, {first: "pass", second: "maybe"}, None)
    assert set(failed.value.errors) == {f"item_{second}", f"item_{third}"}
    audits.save_results(session, audit, {first: "pass", second: "fail", third: "na"}, None)
    assert audit.score == 50.0
    with pytest.raises(ValidationFailed) as changed:
        audits.save_audit(session, supplier, audits.AuditData("periodic", TODAY, TODAY, "张工", None), None, TODAY,
                          audit)
    assert "template_id" in changed.value.errors


def test_editing_a_checklist_stores_a_new_version_and_audits_keep_theirs(session):
    admin = gen_user(session, "admin")
    data = checklists.ChecklistData("hse", "安全环保检查", "", "灭火器有效\n通道畅通")
    first = checklists.save_checklist(session, data, admin)
    supplier = gen_supplier(session, today=date(2026, 1, 1))
    audit = _held(session, supplier, template_id=first.id)
    data = checklists.ChecklistData("", "安全环保检查", "", "灭火器有效\n应急预案")
    second = checklists.save_checklist(session, data, admin, base=first, opened_version=1)
    assert (second.code, second.version) == ("hse", 2)
    assert [i.text for i in audit.template.items] == ["灭火器有效", "通道畅通"]
    assert [t.version for t in checklists.latest_versions(session)] == [2]
    with pytest.raises(ValidationFailed) as stale:
        checklists.save_checklist(session, checklists.ChecklistData("", "x", "", "y"), admin, base=first,
                                  opened_version=1)
    assert "items_text" in stale.value.errors
    with pytest.raises(ValidationFailed) as duplicate:
        checklists.save_checklist(session, checklists.ChecklistData("hse", "", "", ""), admin)
    assert set(duplicate.value.errors) == {"code", "name_zh", "items_text"}


def test_the_plan_lists_due_and_overdue_per_tier_and_organisation(session):
    root = gen_root(session)
    sub = gen_organisation(session, "SUB-A")
    never = gen_supplier(session, name_zh="从未审核供应商", today=date(2024, 1, 1))
    late = gen_supplier(session, name_zh="逾期审核供应商", today=date(2024, 1, 1))
    fine = gen_supplier(session, name_zh="已审核供应商", today=date(2024, 1, 1))
    low = gen_supplier(session, name_zh="低风险供应商", today=date(2024, 1, 1))
    for supplier, tier in ((never, "high"), (late, "high"), (fine, "medium"), (low, "low")):
        gen_tier(session, supplier, tier)
    session.add_all([RiskTierSetting(tier="high", audit_interval_months=12),
                     RiskTierSetting(tier="medium", audit_interval_months=24),
                     RiskTierSetting(tier="low", audit_interval_months=None)])
    gen_audit(session, late, held_on=date(2025, 5, 1), organisation_id=root.id)
    gen_audit(session, fine, held_on=date(2025, 5, 1), organisation_id=root.id)
    gen_audit(session, late, held_on=date(2026, 5, 1), organisation_id=sub.id)  # another organisation's audit
    plan = audit_plan.audit_plan(session, TODAY)
    states = {(line.supplier_id, line.organisation_id): line.state for line in plan.lines}
    assert states == {(never.id, root.id): "due", (late.id, root.id): "overdue"}
    late_line = next(line for line in plan.lines if line.supplier_id == late.id)
    assert late_line.due_on == date(2026, 5, 1)
    assert plan.by_tier["high"] == {"due": 1, "overdue": 1}
    assert plan.by_organisation[root.id] == {"due": 1, "overdue": 1}


def _audit_scheme():
    from supplychain.scoring.model import (
        LAST_AUDIT_SCORE,
        NO_OPEN_MAJOR_FINDING,
        Criterion,
        Dimension,
        GradeBand,
        Scheme,
    )

    return Scheme(
        code="audit.test", kind="periodic", version=1, name_zh="审核", name_en="Audits",
        dimensions=(Dimension("site", "现场审核", "Site audit", 100, (
            Criterion("open", "无未关闭重大发现", "No open major finding", NO_OPEN_MAJOR_FINDING, 50, {}),
            Criterion("score", "最近审核得分", "Last audit score", LAST_AUDIT_SCORE, 50, {"months": 12}),
        )),),
        bands=(GradeBand("pass", "合格", "Pass", 60, 100, "#0969da", "qualified_certificate"),
               GradeBand("fail", "不合格", "Fail", 0, 60, "#cf222e", "suspend")),
    )


def test_evidence_rules_read_open_major_findings_and_the_last_audit_score(session, store):
    from supplychain.scoring import score
    from supplychain.scoring.facts import SupplierFacts
    from supplychain.scoring.validation import validate_scheme
    from supplychain.services.evaluation import facts_loader

    scheme = _audit_scheme()
    assert validate_scheme(scheme) == []
    supplier = gen_supplier(session, today=date(2025, 1, 1))
    buyer, checker = gen_user(session, "procurement"), gen_user(session, "reviewer")
    gen_audit(session, supplier, held_on=date(2025, 3, 1), score=40.0)
    audit = _held(session, supplier, actual_on=date(2026, 6, 1))
    audit.score = 82.5
    finding = audits.save_finding(session, audit, audits.FindingData("major", "social", "potential", "未签劳动合同"),
                                  [], store, POLICY, buyer, TODAY)
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert SupplierFacts.from_dict(facts.to_dict()) == facts
    result = score(scheme, facts, {}, TODAY)
    lines = {line.criterion_key: line for line in result.explanations}
    assert lines["open"].score == 0 and "2026-06-01" in lines["open"].text_en
    assert lines["score"].score == 82.5
    # Before this year's audit, the score is last year's, which lies outside the 12 months of the criterion.
    earlier = facts_loader.load_one(session, supplier.id, date(2026, 5, 1))
    assert {line.criterion_key: line.score for line in score(scheme, earlier, {}, date(2026, 5, 1)).explanations} \
        == {"open": 100.0, "score": 0.0}
    action = finding.corrective_action
    corrective_actions.submit(session, action, "已补签", None, store, buyer, TODAY)
    corrective_actions.verify(session, action, True, "核对合同", checker, TODAY)
    verified = facts_loader.load_one(session, supplier.id, TODAY)
    assert score(scheme, verified, {}, TODAY).total == 91.3


def test_facts_of_a_supplier_never_audited_keep_the_old_snapshot_form(session):
    from supplychain.services.evaluation import facts_loader

    supplier = gen_supplier(session)
    snapshot = facts_loader.load_one(session, supplier.id, TODAY).to_dict()
    assert "findings" not in snapshot and "audits" not in snapshot


def test_a_major_social_finding_is_a_potential_impact_in_gri_414_2_b_by_boundary(session, store):
    from supplychain import scope
    from supplychain.services.disclosure import breakdowns, compute

    root = gen_root(session)
    west, east = gen_organisation(session, "WEST"), gen_organisation(session, "EAST")
    supplier = gen_supplier(session, today=date(2026, 1, 1), organisation=west)
    minor_only = gen_supplier(session, today=date(2026, 1, 1), organisation=west)
    audit = _held(session, supplier, organisation_id=west.id)
    major = audits.save_finding(session, audit, audits.FindingData("major", "social", "potential", "宿舍消防隐患"),
                                [], store, POLICY, None, TODAY)
    major.corrective_action.created_at = datetime(2026, 6, 30, 9, tzinfo=UTC)
    small = _held(session, minor_only, organisation_id=west.id)
    audits.save_finding(session, small, audits.FindingData("minor", "social", "actual", "标识缺失"), [], store,
                        POLICY, None, TODAY)
    values = compute.compute(session, 2026, TODAY)
    assert values["GRI.414-2.b"].value == 1 and values["GRI.414-2.b"].records.ids == (supplier.id,)
    assert values["GRI.308-2.b"].value == 0
    assert ("audit_finding:potential", 1) in values["GRI.414-2.c"].breakdown
    assert values["GRI.414-2.d"].value == 100.0  # the finding's corrective action is the improvement agreed
    assert set(values["GRI.414-2.a"].records.ids) == {supplier.id, minor_only.id}
    assert "potential impact" in breakdowns.breakdown_label("audit_finding:potential", "en")
    scope.activate(session, scope.EVERYTHING)
    scope.narrow_to_boundary(session, east.id)
    assert compute.compute(session, 2026, TODAY)["GRI.414-2.b"].value == 0
    scope.activate(session, scope.EVERYTHING)
    scope.narrow_to_boundary(session, root.id)
    assert compute.compute(session, 2026, TODAY)["GRI.414-2.b"].value == 1


def test_the_demo_has_two_audits_with_a_major_finding_each(session):
    from supplychain.services.demo_data import demo

    demo.load(session, count=40, seed=11, today=TODAY)
    held = session.scalars(select(Audit).order_by(Audit.actual_on)).all()
    assert len(held) == 2 and all(a.score is not None and a.template is not None for a in held)
    assert all(a.actual_on >= a.supplier.registered_on and a.organisation_id for a in held)
    findings = session.scalars(select(AuditFinding)).all()
    assert {(f.severity, f.dimension) for f in findings} == {("major", "social"), ("major", "environmental")}
    assert all(f.corrective_action is not None for f in findings)
    assert sorted(a.status for a in held) == ["closed", "held"]
    demo.load(session, count=40, seed=11, today=TODAY)
    assert session.scalar(select(func.count(Audit.id))) == 2
