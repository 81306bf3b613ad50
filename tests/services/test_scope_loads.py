"""The organisation scope on loads that follow a relationship, and the supplier list's page of categories.

A scoped query asks "supplier IN (the suppliers the scope buys from)"; a relationship or column load asks
the same as a correlated EXISTS (cheaper for a handful of rows). Both must let through exactly the same
records: these tests pin what a subsidiary's buyer sees when an object's relationships load later.

Group: GROUP → CQ, SX. S1 is bought by CQ and SX, S2 by SX only.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from supplychain import scope
from supplychain.models import Certification, CorrectiveAction, Incident, Supplier
from supplychain.services.registry import relationships
from supplychain.services.registry import suppliers as supplier_service
from tests.evidence_factories import gen_action, gen_certificate, gen_incident
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_root, gen_supplier


@pytest.fixture
def group(session):
    gen_root(session)
    cq = gen_organisation(session, "CQ")
    sx = gen_organisation(session, "SX", home_province="140000")
    s1 = gen_supplier(session, "qualified", organisation=cq, categories=["steel", "cable", "equipment"])
    s2 = gen_supplier(session, "qualified", organisation=sx, province="140000", credit_code=gen_credit_code("140000"),
                      city="太原")
    relationships.open_relationship(session, relationships.RelationshipData(sx.id, s1.id), None, date(2025, 2, 1))
    session.commit()
    yield {"CQ": cq, "SX": sx, "S1": s1.id, "S2": s2.id}
    scope.activate(session, scope.EVERYTHING)


def _as(session, organisation) -> None:
    """A fresh start in the organisation's scope: nothing loaded earlier is reused."""
    session.expunge_all()
    scope.activate(session, scope.for_organisation(session, organisation))


def test_a_supplier_outside_the_scope_does_not_load_through_a_record_that_names_it(session, group):
    cert_of_s2 = gen_certificate(session, session.get(Supplier, group["S2"])).id
    session.commit()
    session.expunge_all()
    # Loaded for the whole group (its supplier not loaded yet), then read in CQ's scope: the lazy load of
    # its supplier is a relationship load and carries the scope.
    cert = session.get(Certification, cert_of_s2)
    scope.activate(session, scope.for_organisation(session, group["CQ"]))
    assert cert.supplier is None
    scope.activate(session, scope.for_organisation(session, group["SX"]))
    session.expire(cert, ["supplier"])
    assert cert.supplier.id == group["S2"]


def test_a_shared_suppliers_records_of_another_organisation_stay_hidden_on_a_lazy_load(session, group):
    s1 = session.get(Supplier, group["S1"])
    incident = gen_incident(session, s1)
    mine = gen_action(session, s1, incident)
    mine.organisation_id = group["CQ"].id
    theirs = gen_action(session, s1, incident)
    theirs.organisation_id = group["SX"].id
    incident.organisation_id = group["CQ"].id
    session.commit()
    mine_id, incident_id = mine.id, incident.id
    _as(session, group["CQ"])
    loaded = session.get(Incident, incident_id)
    assert [action.id for action in loaded.actions] == [mine_id]
    assert session.scalars(select(CorrectiveAction.id)).all() == [mine_id]


def test_the_list_page_carries_each_suppliers_categories_by_code(session, group):
    gen_category(session, "aaa")  # a category nobody uses does not appear
    _as(session, group["CQ"])
    page = supplier_service.search(session, supplier_service.SupplierFilters())
    assert [s.id for s in page.items] == [group["S1"]]
    assert [c.code for c in page.items[0].categories] == ["cable", "equipment", "steel"]
    # The contacts were not loaded with the page, and still load when asked for.
    assert [c.name for c in page.items[0].contacts] == ["王伟"]


def test_the_list_page_of_a_subsidiary_and_of_the_group_show_the_same_shared_supplier(session, group):
    _as(session, group["SX"])
    seen_by_sx = {s.id: [c.code for c in s.categories]
                  for s in supplier_service.search(session, supplier_service.SupplierFilters()).items}
    _as(session, gen_root(session))
    seen_by_group = {s.id: [c.code for c in s.categories]
                     for s in supplier_service.search(session, supplier_service.SupplierFilters()).items}
    assert seen_by_sx == seen_by_group == {group["S1"]: ["cable", "equipment", "steel"],
                                           group["S2"]: ["equipment"]}


def test_whole_group_reads_across_the_group_and_gives_the_scope_back(session, group):
    cert_of_s2 = gen_certificate(session, session.get(Supplier, group["S2"])).id
    session.commit()
    cq_scope = scope.for_organisation(session, group["CQ"])
    _as(session, group["CQ"])
    assert session.get(Certification, cert_of_s2) is None
    with scope.whole_group(session):
        # The relationship loads inside the block too: the block, not one statement, is unscoped.
        assert session.get(Certification, cert_of_s2).supplier.id == group["S2"]
    assert scope.current(session) == cq_scope
    session.expunge_all()
    assert session.scalar(select(Supplier.id).where(Supplier.id == group["S2"])) is None
    with pytest.raises(RuntimeError), scope.whole_group(session):
        raise RuntimeError("a failure inside the block")
    assert scope.current(session) == cq_scope
