"""Spend figures: suppliers with spend, regions and local share (per organisation), critical suppliers, coverage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from supplychain import scope
from supplychain.models import SupplierRelationship
from supplychain.services.purchasing import spend, spend_figures
from tests.evidence_factories import gen_pledge
from tests.factories import gen_credit_code, gen_organisation, gen_root, gen_supplier
from tests.purchasing_factories import spend_input


@pytest.fixture
def ledger(session):
    root = gen_root(session)  # home province Chongqing (500000)
    sub = gen_organisation(session, "SX", home_province="140000")  # Shanxi
    chongqing = gen_supplier(session, organisation=root)
    shanxi = gen_supplier(session, organisation=root, province="140000", credit_code=gen_credit_code("140000"))
    overseas = gen_supplier(session, organisation=root, credit_code="", country="DE", province="", city="Berlin")
    session.add(SupplierRelationship(organisation_id=sub.id, supplier_id=shanxi.id, status="active",
                                     since_on=date(2026, 1, 1)))
    session.flush()
    spend.record_batch(session, [
        spend_input(chongqing, root, month="2026-01", amount="300"),
        spend_input(chongqing, root, month="2026-02", amount="200"),
        spend_input(shanxi, root, month="2026-01", amount="200"),  # not local to the root (Chongqing)
        spend_input(shanxi, sub, month="2026-03", amount="200"),  # local to SX (Shanxi)
        spend_input(overseas, root, month="2026-04", amount="100"),
        spend_input(chongqing, root, month="2026-05", amount="999", currency="USD"),  # another currency
        spend_input(chongqing, root, month="2025-12", amount="999"),  # another year
    ], None)
    return root, sub, chongqing, shanxi, overseas


def test_suppliers_with_spend_in_the_year_largest_first(session, ledger):
    _root, _sub, chongqing, shanxi, overseas = ledger
    figures = spend_figures.figures(session, 2026, "CNY")
    assert figures.suppliers.total == Decimal("1000.00")
    assert [(r["supplier_id"], r["amount"], r["share"]) for r in figures.suppliers.rows] == [
        (chongqing.id, Decimal("500.00"), Decimal("50.0")), (shanxi.id, Decimal("400.00"), Decimal("40.0")),
        (overseas.id, Decimal("100.00"), Decimal("10.0"))]
    drill = spend_figures.lines(session, figures.suppliers.rows[0]["filter"])
    assert sorted(line.amount for line in drill) == [Decimal("200.00"), Decimal("300.00")]


def test_regions_and_local_share_are_per_organisation(session, ledger):
    figures = spend_figures.figures(session, 2026, "CNY")
    by_region = {r["region"]: (r["amount"], r["share"]) for r in figures.regions.rows}
    assert by_region == {"north": (Decimal("400.00"), Decimal("40.0")),
                         "southwest": (Decimal("500.00"), Decimal("50.0")),
                         "overseas": (Decimal("100.00"), Decimal("10.0")),
                         "local": (Decimal("700.00"), Decimal("70.0"))}
    local_lines = spend_figures.lines(session, figures.regions.rows[-1]["filter"])
    assert sorted(line.amount for line in local_lines) == [Decimal("200.00"), Decimal("200.00"), Decimal("300.00")]
    assert {line.organisation.code for line in local_lines if line.supplier.province_code == "140000"} == {"SX"}


def test_critical_suppliers_reach_eighty_percent(session, ledger):
    _root, _sub, chongqing, shanxi, _overseas = ledger
    critical = spend_figures.figures(session, 2026, "CNY").critical
    assert [(r["supplier_id"], r["cumulative"]) for r in critical.rows] == [
        (chongqing.id, Decimal("50.0")), (shanxi.id, Decimal("90.0"))]


def test_critical_stops_exactly_at_the_threshold():
    rows = [spend_figures.SupplierSpend(i, f"s{i}", "east", Decimal(amount), Decimal(0), 1)
            for i, amount in enumerate(("60", "20", "20"), start=1)]
    assert [r["supplier_id"] for r in spend_figures.critical_figure(rows, 2026, "CNY").rows] == [1, 2]
    assert spend_figures.critical_figure([], 2026, "CNY").rows == []


def test_spend_weighted_coverage(session, ledger):
    _root, _sub, chongqing, _shanxi, _overseas = ledger
    gen_pledge(session, chongqing, signed_on=date(2026, 2, 1))
    coverage = {r["kind"]: (r["amount"], r["share"], r["suppliers"])
                for r in spend_figures.figures(session, 2026, "CNY").coverage.rows}
    assert coverage == {"pledges": (Decimal("500.00"), Decimal("50.0"), 1),
                        "assessments": (Decimal("0"), Decimal("0.0"), 0),
                        "questionnaires": (Decimal("0"), Decimal("0.0"), 0)}


def test_a_subsidiary_sees_its_own_spend_only(session, ledger):
    _root, sub, _chongqing, shanxi, _overseas = ledger
    scope.activate(session, scope.Scope(frozenset({sub.id})))
    figures = spend_figures.figures(session, 2026, "CNY")
    assert figures.suppliers.total == Decimal("200.00")
    assert [r["supplier_id"] for r in figures.suppliers.rows] == [shanxi.id]
    assert figures.regions.rows[-1]["share"] == Decimal("100.0")
    assert spend_figures.currencies(session, 2026) == ["CNY"]


def test_currencies_in_the_year(session, ledger):
    assert spend_figures.currencies(session, 2026) == ["CNY", "USD"]
    assert spend_figures.figures(session, 2026, "USD").suppliers.total == Decimal("999.00")
