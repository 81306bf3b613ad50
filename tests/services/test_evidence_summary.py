"""Category requirements and the supplier page's evidence summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.services.evidence import evidence, requirements
from tests.evidence_factories import (
    gen_action,
    gen_attendance,
    gen_certificate,
    gen_incident,
    gen_pledge,
    gen_requirement,
    gen_training,
)
from tests.factories import gen_category, gen_supplier, gen_user

TODAY = date(2026, 6, 30)


def test_requirements_are_set_per_category_and_audited(session):
    admin = gen_user(session, "admin")
    engineering = gen_category(session, "engineering", "工程分包", "Engineering")
    changed = requirements.set_requirements(session, engineering, ["wage_guarantee", "integrity"],
                                            ["safety_production_licence"], admin)
    assert changed
    supplier = gen_supplier(session, categories=["engineering"])
    assert requirements.required_for(session, supplier) == requirements.Required(
        ("integrity", "wage_guarantee"), ("safety_production_licence",))
    assert not requirements.set_requirements(session, engineering, ["integrity", "wage_guarantee"],
                                             ["safety_production_licence"], admin)
    requirements.set_requirements(session, engineering, ["integrity"], [], admin)
    assert requirements.required_for(session, supplier) == requirements.Required(("integrity",), ())
    stmt = select(AuditEntry).where(AuditEntry.entity_type == "category_requirement").order_by(AuditEntry.id)
    entries = list(session.scalars(stmt))
    assert len(entries) == 2
    assert entries[1].changes["pledges"] == [["integrity", "wage_guarantee"], ["integrity"]]
    with pytest.raises(ValidationFailed) as failed:
        requirements.set_requirements(session, engineering, ["bogus"], ["iso0"], admin)
    assert set(failed.value.errors) == {"pledges", "certificates"}


def test_default_requirements_fill_only_empty_categories(session):
    engineering = gen_category(session, "engineering", "工程分包", "Engineering")
    services = gen_category(session, "services", "服务", "Services")
    gen_requirement(session, services, "pledge", "integrity")
    requirements.ensure_defaults(session)
    mapping = requirements.requirement_map(session)
    assert "wage_guarantee" in mapping[engineering.id]["pledge"]
    assert mapping[services.id]["pledge"] == {"integrity"}


def test_summary_shows_statuses_missing_items_and_attention(session):
    category = gen_category(session)
    for kind in ("integrity", "anti_bribery"):
        gen_requirement(session, category, "pledge", kind)
    for cert_type in ("iso9001", "iso14001", "iso45001"):
        gen_requirement(session, category, "certificate", cert_type)
    supplier = gen_supplier(session, status="qualified")
    gen_pledge(session, supplier, "integrity", date(2026, 1, 1))
    gen_pledge(session, supplier, "anti_bribery", date(2023, 1, 1), valid_until=date(2025, 12, 31))
    gen_certificate(session, supplier, "iso9001", expires_on=TODAY + timedelta(days=400))
    gen_certificate(session, supplier, "iso14001", expires_on=TODAY + timedelta(days=30))
    gen_certificate(session, supplier, "iso45001", expires_on=TODAY - timedelta(days=1))
    training = gen_training(session, held_on=date(2026, 3, 1), hours=4)
    gen_attendance(session, training, supplier)
    incident = gen_incident(session, supplier)
    gen_action(session, supplier, incident, due_on=TODAY - timedelta(days=2))
    result = evidence.summary(session, supplier, TODAY, 60)
    statuses = [(p.kind, status) for p, status in result.pledges]
    assert statuses == [("integrity", "valid"), ("anti_bribery", "expired")]
    assert result.missing_pledges == ["anti_bribery"]
    assert {r.cert.cert_type: r.status for r in result.certificates} == {
        "iso9001": "valid", "iso14001": "expiring", "iso45001": "expired"}
    assert result.missing_certificates == ["iso45001"]
    assert result.training_hours_12_months == 4 and result.last_training == training
    assert [status for _, status in result.actions] == ["overdue"]
    assert result.incidents == [incident] and result.blacklist == []
    assert result.attention == 5  # a missing pledge, a missing certificate, expiring + expired, overdue
