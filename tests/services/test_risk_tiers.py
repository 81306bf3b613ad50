"""Inherent risk tiers (issue 11): recomputed by the services that change their inputs, settings checked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, RegionRisk, SupplierRisk
from supplychain.services.core import attachments
from supplychain.services.evidence import certifications, incidents, soft_delete
from supplychain.services.registry import categories, qualifications
from supplychain.services.registry import suppliers as registry
from supplychain.services.risk import recompute, settings, tier_lists
from tests.factories import gen_category, gen_organisation, gen_root, gen_supplier, gen_user, supplier_data
from tests.purchasing_factories import gen_spend

TODAY = date.today()
pytestmark = pytest.mark.usefixtures("module_today")  # the services' today stays TODAY across midnight


def _risk(session, supplier) -> SupplierRisk:
    session.expire_all()
    return session.get(SupplierRisk, supplier.id)


def _points(risk: SupplierRisk) -> dict[str, float]:
    return {entry["factor"]: entry["points"] for entry in risk.factors}


def _engineering(session):
    category = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    category.risk_level = "high"
    session.flush()
    return category


def test_a_new_supplier_gets_its_tier_from_its_category(session):
    _engineering(session)
    supplier = gen_supplier(session, categories=["engineering"])
    risk = _risk(session, supplier)
    assert risk.tier == "medium" and risk.score == 25
    category = risk.factors[0]
    assert category["factor"] == "category" and category["points"] == 25
    assert category["reason"] == "Supplies Engineering subcontracting: a high-risk category."


def test_recording_an_incident_recomputes_the_suppliers_tier_and_logs_the_change(session):
    _engineering(session)
    supplier = gen_supplier(session, categories=["engineering"])
    user = gen_user(session, "procurement")
    incidents.save_incident(session, supplier, incidents.IncidentData(
        "safety", "critical", TODAY - timedelta(days=10), "脚手架坍塌"), user, TODAY)
    risk = _risk(session, supplier)
    assert _points(risk)["incidents"] == 20 and risk.score == 45 and risk.tier == "high"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "risk_tier",
                                                    AuditEntry.supplier_id == supplier.id))
    assert entry.changes["risk_tier"] == ["medium", "high"] and entry.actor_id == user.id


def test_removing_the_incident_brings_the_tier_back(session):
    _engineering(session)
    supplier = gen_supplier(session, categories=["engineering"])
    incident = incidents.save_incident(session, supplier, incidents.IncidentData(
        "environmental", "critical", TODAY - timedelta(days=3), "废水超标"), None, TODAY)
    assert _risk(session, supplier).tier == "high"
    soft_delete.delete_record(session, "incident", incident, "录入错误", None)
    assert _risk(session, supplier).tier == "medium"


def test_an_incident_older_than_three_years_does_not_count(session):
    supplier = gen_supplier(session)
    incidents.save_incident(session, supplier, incidents.IncidentData(
        "quality", "critical", TODAY - timedelta(days=3 * 366 + 5), "批量退货"), None, TODAY)
    assert _points(_risk(session, supplier))["incidents"] == 0


def test_an_expired_certificate_counts_until_it_is_renewed(session, tmp_path):
    supplier = gen_supplier(session)
    store = attachments.Store(tmp_path, 1024 * 1024)
    data = certifications.CertificateData("production_licence", "", "XK-001", "市场监管局", "",
                                          TODAY - timedelta(days=800), TODAY - timedelta(days=5))
    certifications.save_certificate(session, supplier, data, None, store, None, TODAY)
    risk = _risk(session, supplier)
    assert _points(risk)["expired_licences"] == 15
    assert risk.factors[5]["args"]["types"] == ["production_licence"]
    renewed = certifications.CertificateData("production_licence", "", "XK-002", "市场监管局", "",
                                             TODAY - timedelta(days=5), TODAY + timedelta(days=1000))
    certifications.save_certificate(session, supplier, renewed, None, store, None, TODAY)
    assert _points(_risk(session, supplier))["expired_licences"] == 0


def test_changing_the_categories_of_a_supplier_recomputes_it(session):
    _engineering(session)
    supplier = gen_supplier(session)
    assert _risk(session, supplier).score == 0
    registry.update_supplier(session, supplier, supplier_data(
        name_zh=supplier.name_zh, name_en=supplier.name_en, credit_code=supplier.credit_code,
        categories=["engineering"]), None, TODAY)
    assert _points(_risk(session, supplier))["category"] == 25


def test_raising_a_categorys_risk_recomputes_every_supplier_of_it(session):
    category = gen_category(session, code="logistics", name_zh="物流", name_en="Logistics")
    first, second = gen_supplier(session, categories=["logistics"]), gen_supplier(session, categories=["logistics"])
    other = gen_supplier(session)
    data = categories.CategoryData("logistics", "物流", "Logistics", risk_level="high")
    categories.save_category(session, data, None, category)
    assert _risk(session, first).score == 25 and _risk(session, second).score == 25
    assert _risk(session, other).score == 0


def test_the_only_qualified_supplier_of_a_category_is_single_source_until_a_second_qualifies(session):
    first, second = gen_supplier(session), gen_supplier(session)
    category_id = first.categories[0].id
    qualifications.record(session, first, category_id, "qualified", TODAY, None, None)
    assert _points(_risk(session, first))["single_source"] == 15
    qualifications.record(session, second, category_id, "qualified", TODAY, None, None)
    # The second qualification also recomputes the first supplier: it is no longer the only one.
    assert _points(_risk(session, first))["single_source"] == 0
    assert _points(_risk(session, second))["single_source"] == 0


def test_imported_spend_recomputes_the_suppliers_share(session):
    root = gen_root(session)
    big, small = gen_supplier(session), gen_supplier(session)
    month = f"{TODAY.year}-{TODAY.month:02d}"
    gen_spend(session, big, root, month=month, amount="9000.00")
    gen_spend(session, small, root, month=month, amount="1000.00")
    risk = _risk(session, small)
    assert _points(risk)["spend_share"] == 15  # 10 % of the group's CNY spend: the full weight
    assert risk.factors[2]["args"] == {"percent": 10.0, "currency": "CNY"}
    assert _points(_risk(session, big))["spend_share"] == 15


def test_a_country_level_wins_over_the_region_level(session):
    settings.save_region_risk(session, "overseas", "medium", None)
    settings.save_region_risk(session, "ru", "high", None)
    russian = gen_supplier(session, country="RU", province="", city="Moscow", credit_code="")
    german = gen_supplier(session, country="DE", province="", city="Berlin", credit_code="")
    recompute.recompute_all(session, TODAY)
    assert _risk(session, russian).factors[1]["code"] == "country"
    assert _points(_risk(session, russian))["region"] == 10
    assert _points(_risk(session, german))["region"] == 5


def test_a_subsidiarys_buyer_triggers_a_tier_computed_from_the_whole_groups_records(session):
    root = gen_root(session)
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    supplier = gen_supplier(session, organisation=a)
    from supplychain.services.registry import relationships

    relationships.ensure(session, b.id, supplier, None, TODAY)
    incidents.save_incident(session, supplier, incidents.IncidentData(
        "labour", "critical", TODAY - timedelta(days=1), "拖欠农民工工资", organisation_id=b.id), None, TODAY)
    buyer = gen_user(session, "procurement", organisation=a)
    scope.activate(session, scope.for_organisation(session, a))
    try:
        incidents.save_incident(session, supplier, incidents.IncidentData(
            "quality", "minor", TODAY - timedelta(days=1), "外观缺陷"), buyer, TODAY)
        risk = _risk(session, supplier)
        # SUB-B's critical incident counts, though SUB-A's buyer cannot see it.
        assert risk.factors[4]["args"]["count"] == 2 and _points(risk)["incidents"] == 20
    finally:
        scope.activate(session, scope.EVERYTHING)
    assert root is not None


def test_a_subsidiary_counts_only_the_tiers_of_its_own_suppliers(session):
    _engineering(session)
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    gen_supplier(session, organisation=a, categories=["engineering"])
    gen_supplier(session, organisation=b, categories=["engineering"])
    gen_supplier(session, organisation=b)
    assert tier_lists.count_by_tier(session) == {"medium": 2, "low": 1}
    scope.activate(session, scope.for_organisation(session, a))
    try:
        assert tier_lists.count_by_tier(session) == {"medium": 1}
        assert [row.tier for row in tier_lists.rows(session)] == ["medium"]
    finally:
        scope.activate(session, scope.EVERYTHING)


def test_recompute_all_applies_new_weights_and_thresholds(session):
    _engineering(session)
    supplier = gen_supplier(session, categories=["engineering"])
    weights = {"category": 60, "region": 0, "spend_share": 10, "single_source": 10, "incidents": 10,
               "expired_licences": 10}
    settings.save_scoring(session, settings.ScoringData(weights, 50, 30), None)
    assert recompute.recompute_all(session, TODAY) == 1
    risk = _risk(session, supplier)
    assert risk.score == 60 and risk.tier == "high"


def test_weights_that_do_not_add_up_are_refused_with_the_total_and_nothing_is_saved(session):
    weights = {"category": 30, "region": 10, "spend_share": 15, "single_source": 15, "incidents": 20,
               "expired_licences": 15}
    with pytest.raises(ValidationFailed) as failed:
        settings.save_scoring(session, settings.ScoringData(weights, 40, 20), None)
    message = str(failed.value.errors["weights"][0])
    assert "105" in message and "100" in message
    assert settings.current_scoring(session) == settings.DEFAULT_SCORING


def test_every_settings_problem_is_reported_at_once(session):
    weights = {"category": "x", "region": 10, "spend_share": 15, "single_source": 15, "incidents": 20,
               "expired_licences": 150}
    with pytest.raises(ValidationFailed) as failed:
        settings.save_scoring(session, settings.ScoringData(weights, 20, 40), None)
    assert set(failed.value.errors) == {"weight_category", "weight_expired_licences", "medium_from"}


def test_saving_weights_is_audited(session):
    admin = gen_user(session, "admin")
    weights = {"category": 20, "region": 15, "spend_share": 15, "single_source": 15, "incidents": 20,
               "expired_licences": 15}
    settings.save_scoring(session, settings.ScoringData(weights, 40, 20), admin)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "risk_scoring"))
    assert entry.changes == {"weight_category": [25, 20], "weight_region": [10, 15]}
    assert entry.actor_id == admin.id


def test_region_and_tier_settings_refuse_bad_input(session):
    with pytest.raises(ValidationFailed) as failed:
        settings.save_region_risk(session, "CN", "extreme", None)
    assert set(failed.value.errors) == {"area", "level"}
    with pytest.raises(ValidationFailed) as failed:
        settings.save_tier_setting(session, "high", settings.TierSettingData(999, "0", "abc"), None)
    assert set(failed.value.errors) == {"questionnaire_id", "audit_interval_months", "rescreen_interval_months"}
    assert session.scalar(select(RegionRisk)) is None


def test_a_tier_setting_is_saved_and_audited(session):
    row = settings.save_tier_setting(session, "high", settings.TierSettingData(None, "6", "12"), None)
    assert (row.audit_interval_months, row.rescreen_interval_months) == (6, 12)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "risk_tier_setting"))
    assert entry.note == "high" and entry.changes["audit_interval_months"] == [None, 6]


def test_imported_suppliers_get_their_tiers_and_a_changed_category_is_recomputed(session):
    import csv
    import io

    from supplychain.services.imports import importer
    from tests.factories import gen_credit_code

    _engineering(session)
    gen_category(session, "equipment", "设备", "Equipment")

    def _file(code: str, category: str) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=importer.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow({"name_zh": "重庆导入分级工程有限公司", "credit_code": code, "country": "CN",
                         "province": "重庆", "categories": category})
        return buffer.getvalue().encode()

    code = gen_credit_code()
    for category, score in (("工程分包", 25), ("设备", 0)):
        read, problems = importer.read_rows("suppliers.csv", _file(code, category))
        assert problems == []
        plan = importer.check_rows(session, read, TODAY)
        assert plan.ok, plan.errors
        importer.apply_plan(session, plan, None, accept_warnings=True)
        supplier = session.scalar(select(SupplierRisk).join(SupplierRisk.supplier))
        session.expire_all()
        assert session.get(SupplierRisk, supplier.supplier_id).score == score


def test_the_background_job_recomputes_every_tier(app, session):
    from supplychain import jobs
    from supplychain.services.risk import recompute_job

    _engineering(session)
    supplier = gen_supplier(session, categories=["engineering"])
    session.execute(SupplierRisk.__table__.delete())
    session.commit()
    job = jobs.create_inline(session, recompute_job.KIND, {"today": TODAY.isoformat()})
    finished = jobs.run_inline(session, app, job.id)
    assert finished.status == "finished" and finished.result == {"computed": 1}
    assert finished.progress_done == 1
    assert _risk(session, supplier).score == 25


def test_one_recompute_scores_suppliers_with_the_same_facts_alike_and_the_others_on_their_own(session):
    # recompute_all scores each distinct set of facts once: a peer's incident must not leak to the others.
    _engineering(session)
    alike = [gen_supplier(session, categories=["engineering"]) for _ in range(3)]
    hit = gen_supplier(session, categories=["engineering"])
    incidents.save_incident(session, hit, incidents.IncidentData(
        "safety", "critical", TODAY - timedelta(days=10), "脚手架坍塌"), None, TODAY)
    assert recompute.recompute_all(session, TODAY) >= 4
    assert {(_risk(session, s).tier, _risk(session, s).score) for s in alike} == {("medium", 25)}
    assert _points(_risk(session, hit))["incidents"] == 20 and _risk(session, hit).tier == "high"
