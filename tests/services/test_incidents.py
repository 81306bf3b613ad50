"""Incidents and corrective actions: rules, closing, overdue, GRI 308-2 / 414-2 figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.services.core import attachments
from supplychain.services.evidence import corrective_actions, incidents
from tests.evidence_factories import HTML, PNG, gen_action, gen_blacklist_entry, gen_incident
from tests.factories import gen_supplier, gen_user

TODAY = date(2026, 6, 30)


def test_incident_rules_and_audit(session):
    supplier = gen_supplier(session)
    bad = incidents.IncidentData(category="weather", severity="huge", occurred_on=TODAY + timedelta(days=1),
                                 description=" ", status="gone")
    with pytest.raises(ValidationFailed) as failed:
        incidents.save_incident(session, supplier, bad, None, TODAY)
    assert set(failed.value.errors) == {"category", "severity", "occurred_on", "description", "status"}
    data = incidents.IncidentData(category="labour", severity="critical", occurred_on=TODAY,
                                  description="使用童工", source="媒体报道")
    incident = incidents.save_incident(session, supplier, data, None, TODAY)
    assert incident.significant and incident.status == "open"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "incident"))
    assert entry.supplier_id == supplier.id


def test_an_incident_closes_only_when_its_actions_are_verified(session):
    supplier = gen_supplier(session)
    incident = gen_incident(session, supplier)
    action = gen_action(session, supplier, incident)
    closing = incidents.IncidentData(category="environmental", severity="major", occurred_on=date(2025, 3, 1),
                                     description="废水超标排放", status="closed")
    with pytest.raises(ValidationFailed) as failed:
        incidents.save_incident(session, supplier, closing, None, TODAY, incident)
    assert "1" in str(failed.value.errors["status"][0])
    action.status = "verified"
    incidents.save_incident(session, supplier, closing, None, TODAY, incident)
    assert (incident.status, incident.closed_on) == ("closed", TODAY)


def test_action_lifecycle_open_submitted_sent_back_verified(session, tmp_path):
    supplier, buyer, reviewer = gen_supplier(session), gen_user(session), gen_user(session, "reviewer")
    incident = gen_incident(session, supplier)
    store = attachments.Store(tmp_path, 1024 * 1024)
    data = corrective_actions.ActionData(action="更换除尘设备", owner="王伟",
                                         due_on=TODAY + timedelta(days=30), incident_id=incident.id)
    action = corrective_actions.save_action(session, supplier, data, buyer, TODAY)
    assert action.status == "open" and action.incident == incident
    with pytest.raises(ValidationFailed) as failed:
        corrective_actions.verify(session, action, True, "看过了", reviewer, TODAY)
    assert "verification_note" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        corrective_actions.submit(session, action, "", attachments.Upload("evidence.pdf", HTML), store, buyer,
                                  TODAY)
    assert set(failed.value.errors) == {"evidence"}
    photo = attachments.Upload("现场照片.png", PNG)
    corrective_actions.submit(session, action, "已更换", photo, store, buyer, TODAY)
    assert action.status == "submitted" and action.evidence.original_name == "现场照片.png"
    corrective_actions.verify(session, action, False, "照片不清晰", reviewer, TODAY)
    assert action.status == "open" and action.verification_note == "照片不清晰"
    corrective_actions.submit(session, action, "补充检测报告", None, store, buyer, TODAY)
    corrective_actions.verify(session, action, True, "现场复核合格", reviewer, TODAY)
    assert (action.status, action.verified_by_id, action.verified_on) == ("verified", reviewer.id, TODAY)
    actions = [e.action for e in session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "corrective_action").order_by(AuditEntry.id))]
    assert actions == ["create", "submit", "reject", "submit", "verify"]
    with pytest.raises(ValidationFailed):
        corrective_actions.save_action(session, supplier, data, buyer, TODAY, action)


def test_action_rules(session):
    supplier, other = gen_supplier(session), gen_supplier(session)
    foreign = gen_incident(session, other)
    data = corrective_actions.ActionData(action="", owner="", due_on=TODAY - timedelta(days=1),
                                         incident_id=foreign.id)
    with pytest.raises(ValidationFailed) as failed:
        corrective_actions.save_action(session, supplier, data, None, TODAY)
    assert set(failed.value.errors) == {"action", "owner", "due_on", "incident_id"}


def test_overdue_is_derived_from_the_deadline_until_verified(session):
    supplier = gen_supplier(session)
    late = gen_action(session, supplier, due_on=TODAY - timedelta(days=1))
    late_submitted = gen_action(session, supplier, due_on=TODAY - timedelta(days=5), status="submitted")
    due_today = gen_action(session, supplier, due_on=TODAY)
    done = gen_action(session, supplier, due_on=TODAY - timedelta(days=9), status="verified")
    assert [corrective_actions.display_status(a, TODAY) for a in (late, late_submitted, due_today, done)] == \
        ["overdue", "overdue", "open", "verified"]
    assert corrective_actions.overdue(session, TODAY) == [late_submitted, late]
    assert corrective_actions.list_actions(session, TODAY, "open") == [due_today]
    assert corrective_actions.list_actions(session, TODAY, "verified") == [done]


def test_significant_incidents_and_gri_impact_figures(session):
    polluter, exploiter, sloppy, minor = (gen_supplier(session, status="qualified") for _ in range(4))
    spill = gen_incident(session, polluter, "environmental", "critical", date(2025, 4, 1))
    labour = gen_incident(session, exploiter, "labour", "major", date(2025, 8, 1))
    gen_incident(session, sloppy, "quality", "critical", date(2025, 5, 1))  # neither social nor environmental
    gen_incident(session, minor, "safety", "minor", date(2025, 5, 1))  # not significant
    gen_incident(session, polluter, "environmental", "major", date(2024, 12, 31))  # another year
    gen_action(session, polluter, spill)
    gen_blacklist_entry(session, supplier=exploiter, reason="illegal_labour", since_on=date(2025, 9, 1))
    year = (date(2025, 1, 1), date(2025, 12, 31))
    assert incidents.significant_incidents(session, *year) == [spill, labour]
    environmental = incidents.impact_figures(session, *year, "environmental")
    assert environmental.supplier_ids == [polluter.id] and environmental.improved_percent == 100.0
    social = incidents.impact_figures(session, *year, "social")
    assert social.supplier_ids == [exploiter.id] and social.improved_percent == 0.0
    assert social.terminated_supplier_ids == [exploiter.id] and social.terminated_percent == 100.0
    assert incidents.impact_figures(session, date(2023, 1, 1), date(2023, 12, 31)).improved_percent is None
