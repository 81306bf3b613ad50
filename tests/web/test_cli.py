"""The command line: users create, demo data."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain import credit_code
from supplychain.models import Supplier, User
from supplychain.services.demo_data import demo
from supplychain.services.risk import contractors_demo
from tests.factories import gen_organisation, gen_root


def test_users_create_reads_the_password_from_stdin(app, session):
    root = gen_root(session)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Boss@Example.com", "--role", "admin", "--name", "管理员",
                                 "--password-stdin"], input="Very-Secret-42\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "boss@example.com"))
    assert user.role == "admin" and user.name == "管理员"
    assert user.organisation_id == root.id  # staff default to the root of the group


def test_users_create_puts_staff_in_the_organisation_named(app, session):
    subsidiary = gen_organisation(session, "SX-ENERGY")
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "buyer@sx.example.com", "--role", "procurement",
                                 "--org", "sx-energy", "--password-stdin"], input="Very-Secret-42\n")
    assert result.exit_code == 0, result.output
    assert session.scalar(select(User.organisation_id).where(User.email == "buyer@sx.example.com")) == subsidiary.id
    refused = runner.invoke(args=["users", "create", "x@sx.example.com", "--role", "procurement",
                                  "--org", "NOPE", "--password-stdin"], input="Very-Secret-42\n")
    assert refused.exit_code == 1 and "NOPE" in refused.output
    assert session.scalar(select(func.count(User.id)).where(User.email == "x@sx.example.com")) == 0


def test_users_create_refuses_a_weak_password_and_saves_nothing(app, session):
    gen_root(session)
    session.commit()
    result = app.test_cli_runner().invoke(args=["users", "create", "x@example.com", "--role", "auditor",
                                                "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "password" in result.output
    assert session.scalar(select(func.count(User.id))) == 0


def test_demo_data_is_deterministic_and_realistic(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--suppliers", "60", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "admin@example.com" in result.output and "procurement" in result.output
    suppliers = session.scalars(select(Supplier).order_by(Supplier.id)).all()
    # The random suppliers asked for, and the named contractors of the demo project site on top.
    assert len(suppliers) == 60 + len(contractors_demo.CONTRACTORS)
    mainland = [s for s in suppliers if s.country == "CN"]
    assert all(credit_code.is_valid(s.credit_code) for s in mainland)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in s.name_zh) for s in mainland)
    local = sum(1 for s in suppliers if s.province_code == "500000")
    assert local > len(suppliers) / 4  # skewed toward the home province
    first_names = [s.name_zh for s in suppliers]
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "nothing loaded" in again.output
    rows = demo._supplier_rows(60, __import__("random").Random(7), "500000", suppliers[0].registered_on)
    assert [r.name_zh for r in rows][:5] == first_names[:5]


def test_demo_data_is_a_group_whose_subsidiaries_see_their_own_suppliers(app, session):
    from supplychain import scope
    from supplychain.models import Evaluation, Organisation, SupplierQualification, SupplierRelationship

    assert app.test_cli_runner().invoke(args=["demo-data", "--suppliers", "60", "--seed", "7"]).exit_code == 0
    codes = set(session.scalars(select(Organisation.code)))
    assert {"GROUP", "CQ-MACH", "SX-ENERGY", "GS-HEAT", "CQ-PRJ-01"} <= codes
    shared = session.execute(select(SupplierRelationship.supplier_id).group_by(SupplierRelationship.supplier_id)
                             .having(func.count() > 1)).all()
    assert shared  # some suppliers are bought by two subsidiaries
    sx = session.scalar(select(Organisation).where(Organisation.code == "SX-ENERGY"))
    total = session.scalar(select(func.count(Supplier.id)))
    scope.activate(session, scope.for_organisation(session, sx))
    try:
        assert 0 < session.scalar(select(func.count(Supplier.id))) < total
    finally:
        scope.activate(session, scope.EVERYTHING)
    qualified = session.scalar(select(func.count(Supplier.id)).where(Supplier.status == "qualified"))
    assert qualified and session.scalar(select(func.count(func.distinct(SupplierQualification.supplier_id)))) \
        >= qualified
    # A supplier evaluated by the group and by a subsidiary in the same period: its scorecard shows both.
    twice = session.execute(select(Evaluation.supplier_id).where(Evaluation.kind == "periodic")
                            .group_by(Evaluation.supplier_id, Evaluation.period_year)
                            .having(func.count(func.distinct(Evaluation.organisation_id)) > 1)).all()
    assert twice
