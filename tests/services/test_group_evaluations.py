"""Several organisations evaluate one supplier in a period: each stands on its own, the lowest grade governs."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain.models import AnnualCertificate, SupplierQualification
from supplychain.services import lifecycle, relationships
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
    grades = lifecycle.period_grades(session, high)
    assert [g.evaluation_id for g in grades] == [low.id, high.id]
    assert grades[0].organisation == a.name_zh and grades[0].level == "unqualified"
