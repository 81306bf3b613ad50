"""Supplier import by organisation (issue 9 item 7): an `org` column and a default, relationships opened."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from supplychain import scope
from supplychain.models import Supplier, SupplierQualification, SupplierRelationship
from supplychain.services.imports import importer
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_user

TODAY = date(2026, 11, 27)


def _csv(rows):
    lines = ["name_zh,credit_code,country,province,categories,org"]
    lines += [",".join(row) for row in rows]
    return "\n".join(lines).encode()


def _relationships(session):
    return set(session.execute(scope.unscoped(
        select(SupplierRelationship.organisation_id, Supplier.name_zh)
        .join(Supplier, Supplier.id == SupplierRelationship.supplier_id))).tuples())


def test_the_org_column_opens_relationships_and_unknown_codes_save_nothing(session):
    gen_category(session)
    cq, sx = gen_organisation(session, "CQ"), gen_organisation(session, "SX", home_province="140000")
    admin = gen_user(session, "admin")
    c1, c2 = gen_credit_code(), gen_credit_code()
    bad = _csv([["重庆甲有限公司", c1, "CN", "500000", "equipment", "CQ;SX"],
                ["重庆乙有限公司", c2, "CN", "500000", "equipment", "NOPE"]])
    plan, result = importer.import_file(session, "a.csv", bad, admin, TODAY,
                                        options=importer.ImportOptions(default_org="SX"))
    assert result is None and [(e.line, e.field) for e in plan.errors] == [(3, "org")]
    assert "NOPE" in str(plan.errors[0].message)
    assert session.scalar(select(func.count(Supplier.id))) == 0

    good = _csv([["重庆甲有限公司", c1, "CN", "500000", "equipment", "CQ、SX"],
                 ["重庆乙有限公司", c2, "CN", "500000", "equipment", ""]])
    plan, result = importer.import_file(session, "a.csv", good, admin, TODAY,
                                        options=importer.ImportOptions(default_org="SX"))
    assert result is not None and result.created == 2
    assert _relationships(session) == {(cq.id, "重庆甲有限公司"), (sx.id, "重庆甲有限公司"), (sx.id, "重庆乙有限公司")}
    # Importing again opens nothing twice.
    importer.import_file(session, "a.csv", good, admin, TODAY, options=importer.ImportOptions(default_org="SX"))
    assert len(_relationships(session)) == 3


def test_a_subsidiary_buyer_imports_for_their_own_organisation_only(session):
    gen_category(session)
    cq, sx = gen_organisation(session, "CQ"), gen_organisation(session, "SX", home_province="140000")
    buyer = gen_user(session, "procurement", organisation=sx)
    scope.activate(session, scope.for_organisation(session, sx))
    try:
        outside = _csv([["太原甲有限公司", gen_credit_code("140000"), "CN", "140000", "equipment", "CQ"]])
        plan, result = importer.import_file(session, "b.csv", outside, buyer, TODAY)
        assert result is None and plan.errors[0].field == "org"
        own = _csv([["太原甲有限公司", gen_credit_code("140000"), "CN", "140000", "equipment", ""]])
        plan, result = importer.import_file(session, "b.csv", own, buyer, TODAY)
        assert result is not None and result.created == 1
        assert _relationships(session) == {(sx.id, "太原甲有限公司")}
        assert cq.id not in {org for org, _name in _relationships(session)}
    finally:
        scope.activate(session, scope.EVERYTHING)


def test_a_migration_qualifies_the_supplier_for_its_qualified_categories(session):
    gen_category(session)
    gen_category(session, "logistics", "物流", "Logistics")
    gen_organisation(session, "CQ")
    admin = gen_user(session, "admin")
    data = ("name_zh,credit_code,country,province,categories,status,status_since,qualified_categories,org\n"
            f"重庆丙有限公司,{gen_credit_code()},CN,500000,equipment,qualified,2024-03-01,logistics,CQ\n").encode()
    plan, result = importer.import_file(session, "m.csv", data, admin, TODAY,
                                        options=importer.ImportOptions(migration=True, reason="平台迁移"))
    assert result is not None, [str(e) for e in plan.errors]
    rows = session.execute(select(SupplierQualification.status, SupplierQualification.since_on)).all()
    assert rows == [("qualified", date(2024, 3, 1))]
