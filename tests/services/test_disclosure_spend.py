"""The disclosure's spend-based figures (issue 12): B5.1 "with spend in the year" and B5.4's green share of spend."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.services.disclosure import compute, definitions, downloads, narrative_texts, reporting_year
from tests.factories import gen_organisation, gen_root, gen_supplier
from tests.purchasing_factories import gen_spend
from tests.report_factories import gen_final_evaluation

TODAY = date(2026, 11, 21)
WITH_SPEND = definitions.settings_from({"DISCLOSURE_B5_1_POPULATION": "with_spend"})


def _world(session):
    """Green (admitted with environmental criteria) and plain suppliers, with spend in 2025 and one in USD."""
    root = gen_root(session)
    green = gen_supplier(session, "qualified", today=date(2024, 1, 10), name_zh="绿色甲有限公司")
    plain = gen_supplier(session, "qualified", today=date(2024, 1, 10), name_zh="普通乙有限公司",
                         province="310000")
    registered = gen_supplier(session, "registered", today=date(2024, 1, 10), name_zh="注册丙有限公司")
    idle = gen_supplier(session, "qualified", today=date(2024, 1, 10), name_zh="闲置丁有限公司")
    for supplier in (green, plain, registered, idle):
        supplier.registered_on = date(2024, 1, 10)
    admission = gen_final_evaluation(session, green, kind="admission", as_of=date(2024, 3, 15), outcome="qualified")
    admission.passed = True  # the default admission scheme has environmental criteria
    gen_spend(session, green, root, month="2025-02", amount="250.00")
    gen_spend(session, plain, root, month="2025-11", amount="600.00")
    gen_spend(session, registered, root, month="2025-12", amount="150.00")  # bought, not yet admitted
    gen_spend(session, plain, root, month="2025-05", amount="9999.00", currency="USD")  # another currency
    gen_spend(session, idle, root, month="2024-06", amount="50.00")  # another year
    session.flush()
    return {"green": green.id, "plain": plain.id, "registered": registered.id, "idle": idle.id}


def test_b5_1_with_spend_counts_the_suppliers_bought_from_in_the_year(session):
    ids = _world(session)
    v = compute.compute(session, 2025, date(2025, 12, 31), WITH_SPEND)
    assert set(v["B5.1.total"].records.ids) == {ids["green"], ids["plain"], ids["registered"]}
    assert v["B5.1.east"].value == 1  # the Shanghai supplier
    assert set(v["KPI.total_suppliers"].records.ids) == set(v["B5.1.total"].records.ids)
    default = compute.compute(session, 2025, date(2025, 12, 31))
    assert set(default["B5.1.total"].records.ids) == {ids["green"], ids["plain"], ids["idle"]}
    # To D in the year in progress: only the months that began by then.
    early = compute.compute(session, 2025, date(2025, 3, 31), WITH_SPEND)
    assert early["B5.1.total"].records.ids == (ids["green"],)


def test_the_population_is_printed_beside_the_figure(session):
    _world(session)
    result = reporting_year.disclosure(session, 2025, TODAY, settings=WITH_SPEND)
    assert "3 suppliers had spend in 2025 (to 2025-12-31)" in narrative_texts.narratives(result)["B5.1"][1]
    rows = {(r["code"], r["year"]): r for r in csv.DictReader(io.StringIO(
        downloads.to_csv(result).decode("utf-8-sig")))}
    assert rows[("B5.1.total", "2025")]["label_en"] == "Suppliers with spend in the year (any currency)"
    assert rows[("B5.1.total", "2025")]["label_zh"] == "本年有采购金额的供应商总数（任一币种）"
    default = reporting_year.disclosure(session, 2025, TODAY)
    assert "approved to supply" in downloads.to_csv(default).decode("utf-8-sig").splitlines()[1]


def test_green_share_of_spend(session):
    ids = _world(session)
    v = compute.compute(session, 2025, date(2025, 12, 31))
    share = v["B5.4.green_spend_share"]
    assert share.value == 25.0  # CNY 250 of CNY 1,000; the USD line is another currency, 2024 another year
    assert share.records.ids == (ids["green"],)
    assert set(share.denominator.ids) == {ids["green"], ids["plain"], ids["registered"]}
    assert share.breakdown == (("spend:green:CNY", 250), ("spend:total:CNY", 1000))
    result = reporting_year.disclosure(session, 2025, TODAY)
    text_zh, text_en = narrative_texts.narratives(result)["B5.4"]
    assert "CNY 250 of the year's CNY 1,000 spend (25.0 %) went to suppliers selected" in text_en
    assert "占采购总额 CNY 1,000 的 25.0%" in text_zh
    usd = compute.compute(session, 2025, date(2025, 12, 31),
                             definitions.settings_from({"DISCLOSURE_SPEND_CURRENCY": "usd"}))
    assert usd["B5.4.green_spend_share"].value == 0.0  # USD spend exists, none with a green supplier
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(downloads.to_csv(result).decode("utf-8-sig")))}
    assert rows["B5.4.green_spend_share"]["detail_en"] == "green spend (CNY): 250; total spend (CNY): 1,000"


def test_green_share_is_unavailable_without_spend_never_zero(session):
    _world(session)
    v = compute.compute(session, 2023, date(2023, 12, 31))
    assert v["B5.4.green_spend_share"].value is None
    result = reporting_year.disclosure(session, 2023, TODAY)
    assert "unavailable: no spend in CNY is recorded for the year" in narrative_texts.narratives(result)["B5.4"][1]
    with pytest.raises(ValueError):
        definitions.settings_from({"DISCLOSURE_SPEND_CURRENCY": "yuan"})


def test_a_subsidiary_counts_its_own_spend(session):
    ids = _world(session)
    sub = gen_organisation(session, "SUB-S")
    from supplychain.models import Supplier
    from supplychain.services.registry import relationships

    plain = session.get(Supplier, ids["plain"])
    relationships.ensure(session, sub.id, plain, None, TODAY)
    gen_spend(session, plain, sub, month="2025-04", amount="100.00")
    session.flush()
    scope.activate(session, scope.Scope(frozenset({sub.id})))
    try:
        v = compute.compute(session, 2025, date(2025, 12, 31), WITH_SPEND)
    finally:
        scope.activate(session, scope.EVERYTHING)
    assert v["B5.1.total"].records.ids == (ids["plain"],)
    assert v["B5.4.green_spend_share"].value == 0.0 and v["B5.4.green_spend_share"].breakdown[1] == (
        "spend:total:CNY", 100)


def test_choices_override_the_settings_and_refuse_unknown_ones(session):
    chosen = definitions.with_choices(definitions.DEFAULT_SETTINGS, "with_spend", "overseas_by_country")
    assert (chosen.b51_population, chosen.region_layout) == ("with_spend", "overseas_by_country")
    assert definitions.with_choices(chosen, "", None) == chosen
    with pytest.raises(ValidationFailed) as failed:
        definitions.with_choices(chosen, "everyone", "spiral")
    assert set(failed.value.errors) == {"population", "layout"}
