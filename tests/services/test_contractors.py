"""Contractors on project sites: where each works, its training there, and the qualified-subcontractor list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supplychain import scope
from supplychain.models import SupplierQualification, SupplierRelationship
from supplychain.services.registry import blacklist, qualifications, relationships
from supplychain.services.registry import suppliers as supplier_service
from supplychain.services.risk import contractors
from tests.contractor_factories import gen_contractor, gen_project, gen_site_training
from tests.factories import gen_organisation, gen_supplier, gen_user

TODAY = date.today()
pytestmark = pytest.mark.usefixtures("module_today")  # the services' today stays TODAY across midnight


def _names(entries) -> list[str]:
    return [entry.supplier.name_zh for entry in entries]


def test_a_projects_list_holds_its_qualified_contractors_only(session):
    project = gen_project(session, "PRJ-A")
    good = gen_contractor(session, project, name_zh="甲建筑劳务分包有限公司")
    conditional = gen_contractor(session, project, status="conditional", name_zh="乙钢结构工程有限公司")
    trial = gen_contractor(session, project, status="trial", name_zh="丙防水工程有限公司")
    gen_supplier(session, status="qualified", organisation=project, name_zh="丁水泥制造有限公司")  # a manufacturer
    other = gen_project(session, "PRJ-B")
    gen_contractor(session, other, name_zh="戊机电安装有限公司")

    found = contractors.project_list(session, project.id, TODAY)

    assert _names(found.listed) == sorted(["甲建筑劳务分包有限公司", "乙钢结构工程有限公司"])  # by name
    assert [(entry.supplier.id, entry.reason) for entry in found.not_listed] == [(trial.id, "supplier_status")]
    assert {entry.supplier.id for entry in found.entries} == {good.id, conditional.id, trial.id}


def test_the_list_follows_a_suspension_and_a_blacklisting_at_once(session):
    project = gen_project(session, "PRJ-A")
    suspended = gen_contractor(session, project, name_zh="甲建筑劳务分包有限公司")
    dishonest = gen_contractor(session, project, name_zh="乙钢结构工程有限公司")
    assert len(contractors.project_list(session, project.id, TODAY).listed) == 2

    supplier_service.change_status(session, suspended, "suspended", "安全事故停工整顿", None, today=TODAY)
    blacklist.add_entry(session, blacklist.EntryData(supplier_id=dishonest.id, reason="illegal_labour",
                                                     decided_by="招标监督委员会", since_on=TODAY), None, TODAY)

    found = contractors.project_list(session, project.id, TODAY)
    assert found.listed == []
    assert {(entry.supplier.status, entry.reason) for entry in found.not_listed} == {
        ("suspended", "supplier_status"), ("blacklisted", "supplier_status")}
    # Reinstated: back on the list without anyone touching it.
    supplier_service.change_status(session, suspended, "qualified", "整改验收合格", None, today=TODAY)
    assert _names(contractors.project_list(session, project.id, TODAY).listed) == ["甲建筑劳务分包有限公司"]


def test_the_work_on_the_site_and_the_category_qualification_decide_too(session):
    project = gen_project(session, "PRJ-A")
    ended = gen_contractor(session, project, name_zh="甲建筑劳务分包有限公司")
    category_suspended = gen_contractor(session, project, name_zh="乙钢结构工程有限公司")
    finished = gen_contractor(session, project, name_zh="丙防水工程有限公司")
    starting = gen_contractor(session, project, name_zh="丁幕墙工程有限公司")
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == ended.id))
    relationships.change_relationship(session, relationship, "ended", "分包合同履约完毕", relationship.version_id,
                                      None, TODAY)
    qualification = session.scalar(select(SupplierQualification).where(
        SupplierQualification.supplier_id == category_suspended.id))
    qualifications.record(session, category_suspended, qualification.category_id, "suspended", TODAY, None, None)
    session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == finished.id)).until_on = \
        TODAY - timedelta(days=1)
    session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == starting.id)).since_on = \
        TODAY + timedelta(days=7)
    session.flush()

    found = contractors.project_list(session, project.id, TODAY)
    reasons = {entry.supplier.id: entry.reason for entry in found.entries}
    assert reasons == {ended.id: "relationship_status", category_suspended.id: "not_qualified",
                       finished.id: "ended", starting.id: "not_started"}


@pytest.mark.parametrize(("supplier_status", "relationship_status", "since", "until", "categories", "expected"), [
    ("qualified", "active", -10, None, ["qualified"], None),
    ("conditional", "active", 0, 0, ["conditional", "suspended"], None),
    ("qualified", "active", -10, None, [], "not_qualified"),
    ("qualified", "active", -10, None, ["trial"], "not_qualified"),
    ("blacklisted", "ended", 5, -5, [], "supplier_status"),
    ("qualified", "suspended", -10, None, ["qualified"], "relationship_status"),
    ("qualified", "active", 1, None, ["qualified"], "not_started"),
    ("qualified", "active", -10, -1, ["qualified"], "ended"),
])
def test_listing_reason(supplier_status, relationship_status, since, until, categories, expected):
    day = date(2026, 6, 30)
    shift = lambda days: None if days is None else day + timedelta(days=days)  # noqa: E731
    assert contractors.listing_reason(supplier_status, relationship_status, shift(since), shift(until), categories,
                                      day) == expected


def test_inductions_and_safety_training_are_counted_per_project_and_contractor(session):
    project = gen_project(session, "PRJ-A")
    other = gen_project(session, "PRJ-B")
    first = gen_contractor(session, project, name_zh="甲建筑劳务分包有限公司")
    second = gen_contractor(session, project, name_zh="乙钢结构工程有限公司")
    gen_site_training(session, project, {first: 12, second: 8}, held_on=TODAY - timedelta(days=30))
    gen_site_training(session, project, {first: 5}, held_on=TODAY - timedelta(days=2))
    gen_site_training(session, project, {first: 20}, topic="safety", held_on=TODAY - timedelta(days=10))
    gen_site_training(session, project, {second: 9}, completed=False, held_on=TODAY - timedelta(days=1))
    gen_site_training(session, project, {second: 30}, held_on=TODAY + timedelta(days=3))  # planned, not held
    gen_site_training(session, project, {second: 40}, topic="quality", held_on=TODAY - timedelta(days=3))
    gen_site_training(session, other, {first: 7}, held_on=TODAY - timedelta(days=3))

    found = contractors.project_list(session, project.id, TODAY)
    by_name = {entry.supplier.name_zh: entry.training for entry in found.entries}
    assert by_name["甲建筑劳务分包有限公司"].inductions == 2
    assert by_name["甲建筑劳务分包有限公司"].inducted_workers == 17
    assert by_name["甲建筑劳务分包有限公司"].last_induction_on == TODAY - timedelta(days=2)
    assert (by_name["甲建筑劳务分包有限公司"].safety_sessions, by_name["甲建筑劳务分包有限公司"].workers) == (1, 37)
    # The attendance not completed counts no induction.
    assert (by_name["乙钢结构工程有限公司"].inductions, by_name["乙钢结构工程有限公司"].workers) == (1, 8)
    # Sessions held by the project in its programme (not the planned or the quality one); workers who completed.
    assert (found.sessions, found.workers, found.inducted) == (4, 45, 2)
    sites = contractors.sites_of(session, first.id, TODAY)
    assert [(entry.project.code, entry.training.inducted_workers) for entry in sites] == [("PRJ-A", 17)]


def test_a_project_sees_its_own_contractors_and_the_group_sees_all(session):
    subsidiary = gen_organisation(session, "SUB-E")
    project_a = gen_project(session, "PRJ-A", parent=subsidiary)
    project_b = gen_project(session, "PRJ-B", parent=subsidiary)
    on_a = gen_contractor(session, project_a, name_zh="甲建筑劳务分包有限公司")
    gen_contractor(session, project_b, name_zh="乙钢结构工程有限公司")
    both = gen_contractor(session, project_b, name_zh="丙机电安装有限公司")
    relationships.open_relationship(session, relationships.RelationshipData(project_a.id, both.id), None, TODAY)
    gen_site_training(session, project_b, {both: 6})

    buyer = gen_user(session, "procurement", organisation=project_a)
    scope.activate(session, scope.for_organisation(session, buyer.organisation))
    assert [p.code for p in contractors.projects(session)] == ["PRJ-A"]
    assert _names(contractors.project_list(session, project_a.id, TODAY).listed) == sorted([
        "甲建筑劳务分包有限公司", "丙机电安装有限公司"])
    with pytest.raises(LookupError):
        contractors.project_list(session, project_b.id, TODAY)
    # The contractor's other site, and its training there, stay out of the project's sight.
    assert [entry.project.code for entry in contractors.sites_of(session, both.id, TODAY)] == ["PRJ-A"]
    assert contractors.sites_of(session, on_a.id, TODAY)[0].training.workers == 0

    scope.activate(session, scope.for_organisation(session, subsidiary))
    assert [found.project.code for found in contractors.project_lists(session, TODAY)] == ["PRJ-A", "PRJ-B"]
    sites = contractors.sites_of(session, both.id, TODAY)
    assert [(entry.project.code, entry.training.inducted_workers) for entry in sites] == [("PRJ-A", 0), ("PRJ-B", 6)]
    scope.activate(session, scope.EVERYTHING)
    assert sum(len(found.entries) for found in contractors.project_lists(session, TODAY)) == 4


def test_a_subsidiary_is_no_project(session):
    subsidiary = gen_organisation(session, "SUB-E")
    with pytest.raises(LookupError):
        contractors.project_list(session, subsidiary.id, TODAY)
    with pytest.raises(LookupError):
        contractors.project_list(session, 987654, TODAY)


def test_the_demo_project_site_has_two_inducted_contractors_on_its_list(session):
    from supplychain.models import TrainingSession
    from supplychain.services.demo_data import demo
    from supplychain.services.risk import contractors_demo

    demo.load(session, count=5, seed=3, today=TODAY)
    site = scope.organisation_by_code(session, "CQ-PRJ-01")
    found = contractors.project_list(session, site.id, TODAY)
    named = {entry.supplier.name_zh: entry for entry in found.listed}
    assert set(named) >= {demo_contractor.name_zh for demo_contractor in contractors_demo.CONTRACTORS}
    assert named["重庆两江建筑劳务分包有限公司"].training.inducted_workers == 30
    assert named["重庆渝安钢结构工程有限公司"].training.last_induction_on == TODAY - timedelta(days=70)
    assert (found.sessions, found.workers) == (3, 76)
    sessions = session.scalar(select(func.count(TrainingSession.id)))
    contractors_demo.load(session, TODAY)
    assert session.scalar(select(func.count(TrainingSession.id))) == sessions
    assert len(contractors.project_list(session, site.id, TODAY).entries) == len(found.entries)
