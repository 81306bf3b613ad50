"""Figures by reporting boundary: the group, or one organisation's subtree; each supplier counted once.

Group: GROUP (Chongqing) → CQ (Chongqing), SX (Shanxi), GS (Gansu); CQ → SITE (a project, Chongqing).
  S1 Chongqing supplier, bought by CQ, SX and GS      → local to CQ (and so to the group)
  S2 Shanxi supplier, bought by SX                    → local to SX
  S3 Gansu supplier, bought by GS and SITE            → local to GS
  S4 Guangdong supplier, bought by the SITE only      → local to nobody
Pledges: CQ signed with S1, SX with S1 and S2.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from supplychain import scope
from supplychain.models import IntegrityPledge, Supplier, SupplyCategory
from supplychain.services.daily_work import dashboard
from supplychain.services.disclosure import reporting_year
from supplychain.services.registry import relationships
from tests.evidence_factories import gen_pledge, gen_requirement
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_root, gen_supplier

TODAY = date(2026, 11, 21)
YEAR = 2026


@pytest.fixture
def group(session):
    root = gen_root(session)
    cq = gen_organisation(session, "CQ", home_province="500000")
    sx = gen_organisation(session, "SX", home_province="140000")
    gs = gen_organisation(session, "GS", home_province="620000")
    site = gen_organisation(session, "SITE", parent=cq, kind="project", home_province="500000")
    s1 = gen_supplier(session, "qualified", today=date(2025, 1, 1), organisation=cq)
    s2 = gen_supplier(session, "qualified", today=date(2025, 1, 1), organisation=sx, province="140000",
                      credit_code=gen_credit_code("140000"), city="太原")
    s3 = gen_supplier(session, "qualified", today=date(2025, 1, 1), organisation=gs, province="620000",
                      credit_code=gen_credit_code("620000"), city="兰州")
    gen_supplier(session, "qualified", today=date(2025, 1, 1), organisation=site, province="440000",
                      credit_code=gen_credit_code("440000"), city="广州")
    for org, supplier in ((sx, s1), (gs, s1), (site, s3)):
        relationships.open_relationship(session, relationships.RelationshipData(org.id, supplier.id), None,
                                        date(2025, 2, 1))
    # The equipment category (every supplier's here) requires an integrity pledge: the signing rate's
    # population (issue 12, D4).
    gen_requirement(session, gen_category(session, "equipment"), "pledge", "integrity")
    for org, supplier in ((cq, s1), (sx, s1), (sx, s2)):
        gen_pledge(session, supplier, signed_on=date(2026, 3, 1)).organisation_id = org.id
    session.flush()
    yield {"GROUP": root, "CQ": cq, "SX": sx, "GS": gs, "SITE": site}
    scope.activate(session, scope.EVERYTHING)


def _figures(session, org):
    scope.activate(session, scope.EVERYTHING)
    boundary = scope.narrow_to_boundary(session, org.id if org is not None else None)
    return reporting_year.disclosure(session, YEAR, TODAY, boundary).values[YEAR]


@pytest.mark.parametrize(("code", "total", "local", "pledged", "pledges"), [
    ("GROUP", 4, 3, 2, 3),
    ("CQ", 3, 1, 1, 1),  # S1, and the site's S3 and S4; only S1 is in Chongqing
    ("SX", 2, 1, 2, 2),
    ("GS", 2, 1, 0, 0),
    ("SITE", 2, 0, 0, 0),  # S3 (Gansu) and S4 (Guangdong) are not in the site's Chongqing
])
def test_each_boundary_counts_its_suppliers_once(session, group, code, total, local, pledged, pledges):
    figures = _figures(session, group[code] if code != "GROUP" else None)
    assert figures["B5.1.total"].value == total
    assert figures["B5.1.local"].value == local
    assert figures["B5.2.pledge_signed"].value == pledged
    assert figures["B5.2.pledges_signed"].value == pledges


def test_the_group_counts_a_shared_supplier_once_and_each_subsidiary_counts_it_too(session, group):
    totals = {code: _figures(session, group[code])["B5.1.total"].value for code in ("CQ", "SX", "GS")}
    group_total = _figures(session, None)["B5.1.total"].value
    # Subsidiaries whose subtree buys from each supplier: S1 three, S2 one, S3 two (GS, and CQ through its
    # site), S4 one (CQ through its site). The group counts each of them once.
    assert totals == {"CQ": 3, "SX": 2, "GS": 2}
    assert sum(totals.values()) == 3 + 1 + 2 + 1
    assert group_total == 4


def test_a_boundary_outside_the_users_scope_is_refused(session, group):
    scope.activate(session, scope.for_organisation(session, group["SX"]))
    with pytest.raises(LookupError):
        scope.narrow_to_boundary(session, group["CQ"].id)
    assert scope.narrow_to_boundary(session, None).code == "SX"


def test_the_dashboard_follows_the_boundary(session, group):
    scope.activate(session, scope.for_organisation(session, group["GS"]))
    dash = dashboard.overview(session, TODAY, "zh")
    assert dash.in_supply_chain == 2 and dash.local == 1
    scope.activate(session, scope.EVERYTHING)
    assert dashboard.overview(session, TODAY, "zh").in_supply_chain == 4


def test_dual_sourcing_counts_qualified_suppliers_per_category_within_the_boundary(session, group):
    from supplychain.services.evaluation.periods import Period
    from supplychain.services.registry import dual_sourcing

    def on_list(org):
        scope.activate(session, scope.EVERYTHING)
        scope.narrow_to_boundary(session, org.id if org is not None else None)
        rows = dual_sourcing.overview(session, Period("year", YEAR, 1), minimum=3)
        return {row.category.code: (row.on_list, row.single_source_risk) for row in rows}["equipment"]

    assert on_list(None) == (4, False)
    assert on_list(group["SITE"]) == (2, True)  # S3 and S4: fewer than 3 for the site
    assert on_list(group["SX"]) == (2, True)


def _reference_local(session, active: scope.Scope) -> set[int]:
    """The documented definition, worked out row by row: local to an organisation of the scope buying from it."""
    from supplychain.models import Organisation, SupplierRelationship

    scope.activate(session, scope.EVERYTHING)
    homes = {org.id: org.home_province for org in session.scalars(select(Organisation))}
    return {rel.supplier.id for rel in session.scalars(select(SupplierRelationship))
            if active.allows(rel.organisation_id) and homes[rel.organisation_id] == rel.supplier.province_code}


@pytest.mark.parametrize(("codes", "local", "signed", "rate"), [
    (None, 3, 2, 50.0),  # the whole group: S1, S2, S3 local; S1 and S2 pledged of four
    (("CQ",), 1, 1, 33.3),  # CQ and its site: S1, S3, S4; CQ's pledge with S1
    (("SX", "GS"), 2, 2, 66.7),  # two provinces in one scope: S2, S3 (S1, bought by both, is in Chongqing)
    (("SITE",), 0, 0, 0.0),
])
def test_dashboard_counts_in_sql_keep_the_definitions(session, group, codes, local, signed, rate):
    from supplychain.services.evidence import pledges, soft_delete
    from supplychain.services.registry import suppliers as supplier_service

    # A pledge removed by mistake and one of another kind count for nobody.
    s3 = session.scalar(select(Supplier).where(Supplier.province_code == "620000"))
    soft_delete.mark(session, gen_pledge(session, s3, signed_on=date(2026, 3, 1)), "entered twice", None)
    gen_pledge(session, s3, kind="anti_bribery", signed_on=date(2026, 3, 1))
    for pledge in session.scalars(select(IntegrityPledge).where(IntegrityPledge.supplier_id == s3.id)):
        pledge.organisation_id = group["GS"].id
    session.flush()
    active = (scope.EVERYTHING if codes is None else
              scope.Scope(frozenset().union(*(scope.subtree_ids(session, group[c].id) for c in codes))))
    expected_local = _reference_local(session, active)
    scope.activate(session, active)
    dash = dashboard.overview(session, TODAY, "zh")
    # One definition: the pledges page's signing rate (ids in Python) and the list page's local count.
    integrity = pledges.signing_rates(session, TODAY).by_kind["integrity"]
    assert (dash.local, dash.pledge_signed, dash.pledge_rate) == (local, signed, rate)
    assert (integrity.signed, integrity.percent) == (signed, rate)
    assert dash.local == len(expected_local) == len(scope.local_supplier_ids(session))
    assert supplier_service.region_counts(session, supplier_service.SupplierFilters()).local == local
    filtered = supplier_service.search(session, supplier_service.SupplierFilters(local=True))
    assert {s.id for s in filtered.items} == expected_local


def test_the_three_candidates_rule_counts_per_category_within_the_boundary(session, group):
    """Issue 9, item 4: "at least three candidates" counts a category's admission candidates for the whole group
    or for one organisation (whoever in the group evaluated them: admission is centralised)."""
    from supplychain.services.evaluation.periods import Period
    from supplychain.services.registry import dual_sourcing
    from tests.evaluation_factories import gen_good_evidence, gen_submitted

    equipment = session.scalar(select(SupplyCategory).where(SupplyCategory.code == "equipment"))
    for org, province in ((group["SX"], "140000"), (group["SX"], "140000"), (group["SITE"], "500000")):
        candidate = gen_supplier(session, "registered", organisation=org, province=province,
                                 credit_code=gen_credit_code(province))
        gen_good_evidence(session, candidate, today=date(2026, 5, 4))
        gen_submitted(session, supplier=candidate, kind="admission", category=equipment, today=date(2026, 5, 4))
    session.flush()

    def candidates(org):
        scope.activate(session, scope.EVERYTHING)
        scope.narrow_to_boundary(session, org.id if org is not None else None)
        row = {r.category.code: r for r in dual_sourcing.overview(session, Period("year", YEAR, 1), minimum=2)}[
            "equipment"]
        return row.candidates, row.few_candidates

    assert candidates(None) == (3, False)
    assert candidates(group["SX"]) == (2, True)
    assert candidates(group["CQ"]) == (1, True)  # its project site's candidate
    assert candidates(group["GS"]) == (0, True)
