"""The home-page dashboard: every count on a small known dataset, and charts fit for the page's CSP."""

from __future__ import annotations

from datetime import date

from supplychain.services.daily_work import dashboard
from tests.evidence_factories import gen_requirement
from tests.factories import gen_category, gen_supplier
from tests.report_factories import gen_action, gen_certificate, gen_final_evaluation, gen_pledge

TODAY = date(2026, 11, 21)


def test_overview_counts_and_charts(session):
    equipment = gen_category(session, "equipment", "设备", "Equipment")
    logistics = gen_category(session, "logistics", "物流", "Logistics")
    gen_category(session, "services", "服务", "Services")
    # Both categories in the supply chain require the integrity pledge (the signing rate's population).
    gen_requirement(session, equipment, "pledge", "integrity")
    gen_requirement(session, logistics, "pledge", "integrity")
    a = gen_supplier(session, status="qualified", province="500000", categories=["equipment"])
    b = gen_supplier(session, status="conditional", province="310000", categories=["equipment"])
    c = gen_supplier(session, status="trial", province="500000", categories=["logistics"])
    gen_supplier(session, status="registered", province="110000", categories=["services"])
    gen_supplier(session, status="blacklisted", province="500000", categories=["logistics"])
    gen_pledge(session, a, signed_on=date(2025, 1, 1))
    gen_pledge(session, b, signed_on=date(2024, 1, 1), valid_until=date(2025, 12, 31))  # expired
    gen_certificate(session, a, "iso9001", expires_on=date(2026, 12, 1))  # expiring within 60 days
    gen_certificate(session, a, "iso14001", expires_on=date(2026, 1, 1))  # expired…
    gen_certificate(session, a, "iso14001", expires_on=date(2029, 1, 1))  # …but renewed
    gen_certificate(session, b, "iso45001", expires_on=date(2025, 5, 1))  # expired
    gen_certificate(session, c, "iso9001", expires_on=None)  # never expires
    gen_final_evaluation(session, a, year=2025, grade="excellent")
    gen_final_evaluation(session, b, year=2025, grade="conditional")
    gen_final_evaluation(session, a, year=2024, grade="qualified")
    gen_action(session, a, due_on=date(2026, 12, 31))
    gen_action(session, b, due_on=date(2026, 10, 1))  # overdue
    gen_action(session, b, due_on=date(2026, 1, 1), status="verified", verified_on=date(2025, 12, 1))
    session.commit()

    dash = dashboard.overview(session, TODAY, "zh", warning_days=60, dual_sourcing_minimum=2)
    assert dash.in_supply_chain == 3 and dash.local == 2
    assert dict(dash.by_region) == {"north": 0, "northeast": 0, "east": 1, "central": 0, "south": 0,
                                    "southwest": 2, "northwest": 0, "overseas": 0}
    assert dict(dash.by_status)["blacklisted"] == 1 and dict(dash.by_status)["registered"] == 1
    assert dash.grade_year == 2025
    assert [(key, n) for key, _zh, _en, _c, n in dash.grades] == [
        ("excellent", 1), ("qualified", 0), ("conditional", 1), ("unqualified", 0)]
    assert (dash.pledge_signed, dash.pledge_rate) == (1, 33.3)
    assert (dash.certificates_expired, dash.certificates_expiring) == (1, 1)
    # equipment has two on the qualified list; logistics only a trial supplier; services none.
    assert [(category.code, n) for category, n in dash.single_source] == [("logistics", 0), ("services", 0)]
    assert (dash.actions_open, dash.actions_overdue) == (2, 1)
    for name in ("region", "status", "grades"):
        svg = dash.charts[name]
        assert svg.startswith("<svg") and " style=" not in svg and 'width="100%"' in svg
    assert "西南" in dash.charts["region"] and "优秀" in dash.charts["grades"]
    assert "Southwest" in dashboard.overview(session, TODAY, "en").charts["region"]


def test_empty_database(session):
    dash = dashboard.overview(session, TODAY, "en")
    assert dash.in_supply_chain == 0 and dash.pledge_rate is None and dash.grades == []
    assert "grades" not in dash.charts
    assert "No data" in dash.charts["region"]


def test_web_svg_moves_styles_to_attributes():
    svg = ('<svg width="10" height="5" viewBox="0 0 10 5">'
           '<text style="font-family: \'Noto Sans\', sans; fill: red;">x</text></svg>')
    out = dashboard.web_svg(svg, "标签")
    assert 'font-family="&#x27;Noto Sans&#x27;, sans"' in out and 'fill="red"' in out
    assert 'width="100%"' in out and 'aria-label="标签"' in out and "style=" not in out


def test_grades_count_the_latest_evaluation_of_each_supplier_in_the_latest_year(session):
    gen_category(session, "equipment", "设备", "Equipment")
    a = gen_supplier(session, status="qualified")
    b = gen_supplier(session, status="qualified")
    # Two half-years of 2025 for a: the second one (the later period end) is the one that counts.
    gen_final_evaluation(session, a, year=2025, period_type="half", index=2, grade="excellent")
    gen_final_evaluation(session, a, year=2025, period_type="half", index=1, grade="unqualified")
    gen_final_evaluation(session, b, year=2025, grade="qualified")
    gen_final_evaluation(session, b, year=2024, grade="excellent")  # an earlier year counts for nothing
    gen_final_evaluation(session, b, year=2026, grade="excellent", status="submitted")  # not final
    session.commit()

    dash = dashboard.overview(session, TODAY, "en")
    assert dash.grade_year == 2025
    assert {key: n for key, _zh, _en, _c, n in dash.grades} == {
        "excellent": 1, "qualified": 1, "conditional": 0, "unqualified": 0}
    assert "Excellent" in dash.charts["grades"]


def test_certificates_count_the_latest_of_each_type_and_one_without_expiry_wins(session):
    gen_category(session, "equipment", "设备", "Equipment")
    a = gen_supplier(session, status="qualified")
    b = gen_supplier(session, status="trial")
    gone = gen_supplier(session, status="exited")
    gen_certificate(session, a, "iso9001", expires_on=date(2026, 1, 1))  # expired, renewed by…
    gen_certificate(session, a, "iso9001", expires_on=date(2026, 12, 20))  # …one expiring within 60 days
    gen_certificate(session, a, "iso14001", expires_on=date(2025, 1, 1))  # expired, but one of the type…
    gen_certificate(session, a, "iso14001", expires_on=None)  # …never expires
    gen_certificate(session, b, "iso45001", expires_on=date(2026, 11, 21))  # expires today: expiring
    gen_certificate(session, b, "iso9001", expires_on=date(2026, 11, 20))  # expired yesterday
    gen_certificate(session, gone, "iso9001", expires_on=date(2020, 1, 1))  # not in the supply chain
    session.commit()

    dash = dashboard.overview(session, TODAY, "zh", warning_days=60)
    assert (dash.certificates_expired, dash.certificates_expiring) == (1, 2)


def test_a_subsidiary_counts_its_own_evaluations_certificates_and_categories(session):
    from supplychain import scope
    from tests.factories import gen_organisation

    gen_category(session, "equipment", "设备", "Equipment")
    cq = gen_organisation(session, "CQ", home_province="500000")
    sx = gen_organisation(session, "SX", home_province="140000")
    ours = gen_supplier(session, status="qualified", organisation=cq)
    theirs = gen_supplier(session, status="qualified", organisation=sx, province="140000")
    for supplier, organisation, grade in ((ours, cq, "qualified"), (theirs, sx, "excellent")):
        evaluation = gen_final_evaluation(session, supplier, year=2025, grade=grade)
        evaluation.organisation_id = organisation.id
        gen_certificate(session, supplier, "iso9001", expires_on=date(2026, 1, 1))
    session.commit()

    scope.activate(session, scope.for_organisation(session, cq))
    dash = dashboard.overview(session, TODAY, "zh")
    assert dash.in_supply_chain == 1 and dash.local == 1
    assert {key: n for key, _zh, _en, _c, n in dash.grades}["excellent"] == 0
    assert {key: n for key, _zh, _en, _c, n in dash.grades}["qualified"] == 1
    assert dash.certificates_expired == 1
    assert [(category.code, n) for category, n in dash.single_source] == [("equipment", 1)]
    scope.activate(session, scope.EVERYTHING)
    dash = dashboard.overview(session, TODAY, "zh")
    assert dash.certificates_expired == 2 and dash.single_source == []
