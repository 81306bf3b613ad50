"""Several organisations evaluate one supplier in a period: each stands on its own, the lowest grade governs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supplychain.models import AnnualCertificate, SupplierQualification
from supplychain.services.evaluation import period_evaluations
from supplychain.services.registry import relationships
from tests.evaluation_factories import TODAY, approve_all, gen_good_evidence, gen_screening, gen_submitted
from tests.factories import gen_organisation, gen_supplier, gen_user


def test_the_lowest_grade_of_the_period_governs_the_group_status(session):
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    supplier = gen_supplier(session, status="qualified", organisation=a)
    relationships.open_relationship(session, relationships.RelationshipData(b.id, supplier.id), None, TODAY)
    gen_good_evidence(session, supplier, TODAY)
    gen_screening(session, supplier, TODAY)
    buyer_a = gen_user(session, "procurement", organisation=a)
    buyer_b = gen_user(session, "procurement", organisation=b)

    low = approve_all(session, gen_submitted(session, value=10, supplier=supplier, actor=buyer_a))
    assert low.organisation_id == a.id and low.outcome == "suspended" and supplier.status == "suspended"
    # B's evaluation of the same period is allowed (organisations evaluate independently) and stands on its own,
    high = approve_all(session, gen_submitted(session, value=95, supplier=supplier, actor=buyer_b))
    assert high.organisation_id == b.id and high.status == "final"
    # but it lifts neither the suspension, nor the category's qualification, nor issues the year's certificate.
    assert supplier.status == "suspended" and high.outcome == "qualified"
    qualification = session.scalar(select(SupplierQualification).where(
        SupplierQualification.supplier_id == supplier.id))
    assert qualification.status == "suspended" and qualification.evaluation_id == low.id
    assert session.scalar(select(func.count(AnnualCertificate.id)).where(
        AnnualCertificate.supplier_id == supplier.id)) == 0
    grades = period_evaluations.for_reader(session, high).shown
    assert [g.evaluation_id for g in grades] == [low.id, high.id]
    assert grades[0].organisation_zh == a.name_zh and grades[0].level == "unqualified" and grades[0].governs


def test_a_subsidiary_has_its_own_scheme_for_a_category(session):
    from supplychain import scope
    from supplychain.errors import ValidationFailed
    from supplychain.services.evaluation import schemes
    from tests.evaluation_factories import gen_evaluation

    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    supplier = gen_supplier(session, status="qualified", organisation=a)
    relationships.open_relationship(session, relationships.RelationshipData(b.id, supplier.id), None, TODAY)
    category = supplier.categories[0]
    definition = schemes.starting_definition(session, "periodic", category, a)
    assert "SUB-A" in definition["name_en"]
    own = schemes.save_version(session, "periodic", category, dict(definition, name_en="SUB-A own"), None,
                               organisation=a)
    assert own.code == f"periodic.{category.code}.org-sub-a" and own.organisation_id == a.id
    buyer_a = gen_user(session, "procurement", organisation=a)
    buyer_b = gen_user(session, "procurement", organisation=b)
    assert gen_evaluation(session, supplier=supplier, actor=buyer_a).scheme_version_id == own.id
    assert gen_evaluation(session, supplier=supplier, actor=buyer_b).scheme_version_id != own.id
    # An admin of SUB-B cannot give SUB-A a scheme.
    scope.activate(session, scope.for_organisation(session, b))
    try:
        with pytest.raises(ValidationFailed):
            schemes.save_version(session, "periodic", category, definition, None, organisation=a)
        assert all(line.current.organisation_id != a.id for line in schemes.list_lines(session))
    finally:
        scope.activate(session, scope.EVERYTHING)
