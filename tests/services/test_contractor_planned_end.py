"""The planned end of a contractor's work on a project site: validated, audited, locked, flagged when past."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import AuditEntry, SupplierRelationship
from supplychain.services.registry import relationships
from supplychain.services.risk import contractors
from tests.contractor_factories import gen_contractor, gen_project
from tests.factories import gen_root, gen_supplier

TODAY = date.today()
pytestmark = pytest.mark.usefixtures("module_today")  # the services' today stays TODAY across midnight


def test_past_the_planned_end_means_before_today_and_not_ended():
    yesterday = TODAY - timedelta(days=1)
    assert contractors.past_planned_end("active", yesterday, TODAY)
    assert contractors.past_planned_end("suspended", yesterday, TODAY)
    assert not contractors.past_planned_end("ended", yesterday, TODAY)
    assert not contractors.past_planned_end("active", TODAY, TODAY)  # the last planned day is not past
    assert not contractors.past_planned_end("active", None, TODAY)


def _relationship(session, project, supplier) -> SupplierRelationship:
    return session.scalar(select(SupplierRelationship).where(SupplierRelationship.organisation_id == project.id,
                                                             SupplierRelationship.supplier_id == supplier.id))


def test_the_planned_end_is_set_audited_locked_and_flags_the_work_when_past(session, app):
    gen_root(session)
    project = gen_project(session)
    contractor = gen_contractor(session, project)
    relationship = _relationship(session, project, contractor)
    relationship.since_on = TODAY - timedelta(days=60)
    session.flush()
    version = relationship.version_id
    relationships.set_planned_end(session, relationship, TODAY - timedelta(days=1), version, None)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "supplier_relationship",
                                                    AuditEntry.action == "update"))
    assert entry.changes == {"planned_until_on": [None, str(TODAY - timedelta(days=1))]}
    with pytest.raises(Conflict):
        relationships.set_planned_end(session, relationship, None, version, None)
    found = contractors.project_list(session, project.id, TODAY)
    assert [e.supplier.id for e in found.overrunning] == [contractor.id]
    assert found.entries[0].listed  # still on the list: the flag asks to close or extend the work
    relationships.change_relationship(session, relationship, "ended", "完工退场", relationship.version_id, None,
                                      TODAY)
    assert contractors.project_list(session, project.id, TODAY).overrunning == []


def test_a_planned_end_before_the_start_is_refused(session, app):
    gen_root(session)
    project = gen_project(session)
    contractor = gen_contractor(session, project)
    relationship = _relationship(session, project, contractor)
    with pytest.raises(ValidationFailed) as failed:
        relationships.set_planned_end(session, relationship, relationship.since_on - timedelta(days=1),
                                      relationship.version_id, None)
    with force_locale("en"):
        assert str(failed.value.errors["planned_until_on"][0]).startswith("The planned end (")
    assert relationship.planned_until_on is None


def test_starting_work_with_a_planned_end_checks_it_against_the_start(session, app):
    gen_root(session)
    project = gen_project(session)
    supplier = gen_supplier(session, supplier_type="contractor")
    data = relationships.RelationshipData(project.id, supplier.id, [], TODAY,
                                          planned_until_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed) as failed:
        relationships.open_relationship(session, data, None, TODAY)
    assert list(failed.value.errors) == ["planned_until_on"]
    data.planned_until_on = TODAY + timedelta(days=90)
    relationship = relationships.open_relationship(session, data, None, TODAY)
    assert relationship.planned_until_on == TODAY + timedelta(days=90)
