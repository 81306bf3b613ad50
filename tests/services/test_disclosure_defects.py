"""Issue 12's defects D1-D8, each pinned on a small dataset (docs/disclosure.md)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from supplychain.models import AuditEntry
from supplychain.services.disclosure import (
    checks,
    compute,
    definitions,
    downloads,
    narrative_texts,
    region_table,
    reporting_year,
)
from supplychain.services.evidence import pledges
from supplychain.services.registry import blacklist
from supplychain.services.registry import suppliers as supplier_service
from tests.evidence_factories import gen_pledge, gen_requirement
from tests.factories import gen_category, gen_supplier
from tests.report_factories import gen_termination

TODAY = date(2026, 11, 21)


def _suppliers(session, n, registered=date(2024, 1, 10)):
    out = []
    for _ in range(n):
        supplier = gen_supplier(session, "qualified", today=registered)
        supplier.registered_on = registered
        out.append(supplier)
    session.flush()
    return out


def test_d1_a_backdated_blacklisting_counts_once_in_its_year(session):
    s1, s2 = _suppliers(session, 2)
    # Decided on 2025-06-01, entered "today" (2026-11-21): it takes effect in 2025.
    blacklist.add_entry(session, blacklist.EntryData(supplier_id=s1.id, reason="illegal_labour",
                                                     decided_by="委员会", since_on=date(2025, 6, 1)),
                        None, TODAY)
    session.flush()
    change = session.query(AuditEntry).filter_by(entity_id=s1.id, action="status").one()
    assert change.changes["effective_on"] == "2025-06-01"
    v2025 = compute.compute(session, 2025, date(2025, 12, 31))
    assert v2025["B5.1.total"].records.ids == (s2.id,)  # no longer in the supply chain at the year end
    assert v2025["KPI.terminated_social"].records.ids == (s1.id,)
    v2024 = compute.compute(session, 2024, date(2024, 12, 31))
    assert set(v2024["B5.1.total"].records.ids) == {s1.id, s2.id} and v2024["KPI.terminated_social"].value == 0


def test_d1_an_effective_date_in_the_future_or_before_registration_is_refused(session):
    from supplychain.errors import ValidationFailed

    (s1,) = _suppliers(session, 1)
    with pytest.raises(ValidationFailed) as future:
        supplier_service.change_status(session, s1, "suspended", "审核", None, effective_on=date(2026, 12, 1),
                                       today=TODAY)
    assert "effective_on" in future.value.errors
    with pytest.raises(ValidationFailed) as early:
        supplier_service.change_status(session, s1, "suspended", "审核", None, effective_on=date(2023, 1, 1),
                                       today=TODAY)
    assert "effective_on" in early.value.errors and s1.status == "qualified"


def test_d2_terminated_has_one_definition(session):
    suppliers = _suppliers(session, 23)
    for supplier in suppliers:
        gen_termination(session, supplier, date(2025, 3, 1), reason="illegal_labour")
    v = compute.compute(session, 2025, date(2025, 12, 31))
    assert v["KPI.terminated_social"].value == 23
    assert v["GRI.414-2.b"].value == 23 and v["GRI.414-2.e"].value == 100.0
    assert v["GRI.414-2.e.why"].breakdown == (("terminated:illegal_labour", 23),)
    warnings = checks.consistency(reporting_year.disclosure(session, 2025, TODAY))
    assert not [en for _zh, en in warnings if "terminated" in en]


def test_d3_rounding_is_half_up(session):
    assert definitions.half_up(1, 16) == 6.3  # 6.25 → 6.3, not 6.2 (half to even)
    assert definitions.half_up(1, 8, 0) == 13.0  # 12.5 → 13
    assert definitions.half_up(2, 3) == 66.7
    assert pledges.Rate(1, 16).percent == 6.3


def test_d4_one_signing_rate_on_every_page(session):
    from supplychain.services.daily_work import dashboard

    category = gen_category(session, "equipment")
    gen_requirement(session, category, "pledge", "integrity")
    required = _suppliers(session, 3)
    other = gen_supplier(session, "qualified", today=date(2024, 1, 10), categories=["stationery"])
    other.registered_on = date(2024, 1, 10)
    gen_pledge(session, required[0], signed_on=date(2024, 2, 1))
    session.flush()
    page = pledges.signing_rates(session, TODAY).by_kind["integrity"]
    figure = compute.compute(session, 2026, TODAY)["B5.2.pledge_signing_rate"]
    tile = dashboard.overview(session, TODAY, "en")
    assert (page.signed, page.required, page.percent) == (1, 3, 33.3)
    assert (len(figure.records), len(figure.denominator), figure.value) == (1, 3, 33.3)
    assert (tile.pledge_signed, tile.pledge_rate) == (1, 33.3)


def test_d5_narratives_say_only_what_the_data_support(session):
    _suppliers(session, 2)
    result = reporting_year.disclosure(session, 2025, TODAY)
    texts = narrative_texts.narratives(result)
    assert "must pass" not in texts["B5.2"][1] and "No supplier in the supply chain" in texts["B5.2"][1]
    assert "verified" not in texts["B5.3"][1] and "No environmental or social incident" in texts["B5.3"][1]


@pytest.mark.parametrize(("reasons", "counted"), [(definitions.DEFAULT_SOCIAL_TERMINATION_REASONS, 0),
                                                  ("bid_rigging,fraud,illegal_labour", 1)])
def test_d6_bid_rigging_is_social_only_when_the_setting_says_so(session, reasons, counted):
    (s1,) = _suppliers(session, 1)
    gen_termination(session, s1, date(2025, 3, 1), reason="bid_rigging")
    settings = definitions.settings_from({"DISCLOSURE_SOCIAL_TERMINATION_REASONS": reasons})
    v = compute.compute(session, 2025, date(2025, 12, 31), settings)
    assert v["KPI.terminated_social"].value == counted
    with pytest.raises(ValueError):
        definitions.settings_from({"DISCLOSURE_SOCIAL_TERMINATION_REASONS": "jaywalking"})


def test_d7_the_english_company_name_is_printed(session):
    _suppliers(session, 1)
    settings = definitions.settings_from({"COMPANY_NAME": "示例集团有限公司", "COMPANY_NAME_EN": "Example Group Ltd"})
    data, _name, _type = downloads.export(session, 2025, "pdf", TODAY, None, "示例集团有限公司", ("en",),
                                           settings=settings)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Example Group Ltd" in text


def test_d8_traditional_chinese_files(session):
    (s1,) = _suppliers(session, 1)
    s1.region = "east"
    session.flush()
    data, _name, _type = downloads.export(session, 2025, "csv", TODAY, None, "示例集团", ("zh_Hant",))
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert rows["B5.1.east"]["label_zh"] == "華東供應商"
    assert rows["B5.2.pledge_signing_rate"]["label_zh"] == "廉潔承諾書簽署率"
    pdf, _name, _type = downloads.export(session, 2025, "pdf", TODAY, None, "示例集团", ("zh_Hant",))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "供應商" in text and "供应商" not in text


def test_d8_traditional_chinese_is_the_same_when_converted_again():
    """The PDF renderer converts the labels it is given once more: the Hong Kong wording must survive that."""
    from supplychain.hant import to_hant

    texts = [spec.label_zh for spec in definitions.SPECS] + [zh for _code, zh, _en in definitions.SECTIONS]
    texts += [zh for zh, _en in definitions.POPULATION_LABELS.values()]
    assert [t for t in texts if to_hant(to_hant(t)) != to_hant(t)] == []
    assert "獲准供貨" in to_hant(to_hant(definitions.POPULATION_LABELS["in_supply_chain"][0]))


def test_baselines_restatements_and_targets(session):
    from supplychain.errors import ValidationFailed
    from supplychain.services.disclosure import entries as entered

    _suppliers(session, 2, registered=date(2024, 1, 10))  # the system computes from 2024
    codes = definitions.SPEC_BY_CODE

    def data(**kw):
        base = {"year": "2023", "code": "KPI.total_suppliers", "kind": "baseline", "value": "118",
                "source": "2023 ESG report p. 41", "reason": "before the system", "entered_by": "ESG office"}
        return entered.FigureData(**{**base, **kw})

    for bad, field in ((data(year="2024"), "year"), (data(kind="restatement", year="2024", reason=""), "reason"),
                       (data(kind="target", year="2026", value="many"), "value"), (data(source=""), "source")):
        with pytest.raises(ValidationFailed) as failed:
            entered.save(session, bad, None, TODAY, codes)
        assert field in failed.value.errors
    assert session.query(AuditEntry).filter_by(entity_type="disclosure_figure").count() == 0
    entered.save(session, data(), None, TODAY, codes)
    entered.save(session, data(kind="restatement", year="2024", value="3", reason="a supplier missed",
                               source=""), None, TODAY, codes)
    entered.save(session, data(kind="target", year="2025", value="5", source="", reason=""), None, TODAY, codes)
    result = reporting_year.disclosure(session, 2025, TODAY)
    baseline = result.values[2023]["KPI.total_suppliers"]
    assert (baseline.value, baseline.basis) == (118, "entered") and "2023 ESG report" in baseline.note
    assert (result.values[2024]["KPI.total_suppliers"].value, result.values[2024]["KPI.total_suppliers"].basis) \
        == (3.0, "restated")
    assert result.values[2025]["KPI.total_suppliers"].basis == "computed" and result.targets == {
        "KPI.total_suppliers": 5}
    rows = [r for r in csv.DictReader(io.StringIO(downloads.to_csv(result).decode("utf-8-sig")))
            if r["code"] == "KPI.total_suppliers"]
    assert [(r["year"], r["basis"], r["target"]) for r in rows] == [
        ("2023", "entered", ""), ("2024", "restated", ""), ("2025", "computed", "5")]
    assert "2023 Total suppliers: entered" in narrative_texts.narratives(result)["KPI"][1]
    assert session.query(AuditEntry).filter_by(entity_type="disclosure_figure").count() == 3


def test_d1_an_exit_made_final_in_january_counts_in_the_year_it_took_effect(session):
    from datetime import UTC, datetime

    from tests.report_factories import gen_final_evaluation

    s1, s2 = _suppliers(session, 2)
    evaluation = gen_final_evaluation(session, s1, year=2025, outcome="exited", social=True)
    evaluation.finalised_at = datetime(2026, 1, 10, 9, tzinfo=UTC)  # the 2025 evaluation, approved in January
    session.add(AuditEntry(entity_type="supplier", entity_id=s1.id, supplier_id=s1.id, action="status",
                           changes={"status": ["qualified", "exited"], "effective_on": "2026-01-10"},
                           at=datetime(2026, 1, 10, 9, tzinfo=UTC)))
    s1.status = "exited"
    session.flush()
    v2025 = compute.compute(session, 2025, date(2025, 12, 31))
    v2026 = compute.compute(session, 2026, TODAY)
    # In the supply chain at the end of 2025 and not terminated in 2025; terminated in 2026, once.
    assert s1.id in v2025["B5.1.total"].records.ids and v2025["KPI.terminated_social"].value == 0
    assert v2026["KPI.terminated_social"].records.ids == (s1.id,) and s1.id not in v2026["B5.1.total"].records.ids
    assert v2026["GRI.414-2.e.why"].breakdown == (("terminated:exit_evaluation", 1),)


def test_content_indexes_name_the_section_of_every_item(session):
    from openpyxl import load_workbook

    index = {(standard, item): (section, codes) for standard, item, section, codes in definitions.content_index()}
    assert index[("HKEX", "B5.4")][0] == "B5.4" and "B5.4.selected" in index[("HKEX", "B5.4")][1]
    assert index[("GRI", "414-2 c")] == ("GRI 414-2", ("GRI.414-2.c",))
    assert index[("GRI", "308-2 e")][1] == ("GRI.308-2.e", "GRI.308-2.e.why")
    _suppliers(session, 1)
    data, _name, _type = downloads.export(session, 2025, "xlsx", TODAY, None, "示例集团")
    rows = list(load_workbook(io.BytesIO(data))["index"].iter_rows(min_row=2, values_only=True))
    assert ("GRI", "414-2 e", "GRI 414-2", "GRI.414-2.e GRI.414-2.e.why") in rows
    pdf, _name, _type = downloads.export(session, 2025, "pdf", TODAY, None, "示例集团", ("en",))
    assert "HKEX and GRI content index" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_region_layouts(session):
    suppliers = _suppliers(session, 4)
    suppliers[0].province_code, suppliers[0].region = "810000", "south"  # Hong Kong
    suppliers[1].province_code, suppliers[1].region, suppliers[1].country = None, "overseas", "DE"
    suppliers[2].province_code, suppliers[2].region, suppliers[2].country = None, "overseas", "SG"
    session.flush()
    result = reporting_year.disclosure(session, 2025, TODAY)
    assert result.values[2025]["B5.1.hk_macao"].value == 1
    seven = {row.name_en: row.count for row in region_table.region_layout(result, "seven")}
    assert seven["South"] == 1 and seven["Overseas"] == 2
    merged = {row.name_en: row.count for row in region_table.region_layout(result, "hk_macao_overseas")}
    assert merged["South"] == 0 and merged["Hong Kong, Macao and overseas"] == 3
    by_country = {row.name_en: row.count for row in region_table.region_layout(result, "overseas_by_country")}
    assert by_country["Overseas: Germany"] == 1 and by_country["Overseas: Singapore"] == 1
    assert sum(row.count for row in region_table.region_layout(result, "hk_macao_overseas")) == 4


def test_b5_1_population_is_a_setting_printed_beside_the_figure(session):
    suppliers = _suppliers(session, 3)
    suppliers[0].status = "registered"  # on the platform, not yet in the supply chain
    session.flush()
    default = reporting_year.disclosure(session, 2026, TODAY)
    registered = reporting_year.disclosure(
        session, 2026, TODAY, settings=definitions.settings_from({"DISCLOSURE_B5_1_POPULATION": "registered"}))
    assert default.values[2026]["B5.1.total"].value == 2 and registered.values[2026]["B5.1.total"].value == 3
    assert "supply chain (approved to supply)" in narrative_texts.narratives(default)["B5.1"][1]
    assert "platform had registered 3" in narrative_texts.narratives(registered)["B5.1"][1]
    with pytest.raises(ValueError):
        definitions.settings_from({"DISCLOSURE_B5_1_POPULATION": "spend"})


def test_policies_are_named_and_edited_narratives_are_checked_against_the_figures(session, tmp_path):
    from supplychain.errors import ValidationFailed
    from supplychain.services.core import attachments
    from supplychain.services.disclosure import entries as editor

    _suppliers(session, 2)
    store = attachments.Store(tmp_path, 1024 * 1024)
    with pytest.raises(ValidationFailed) as failed:
        editor.add_policy(session, editor.PolicyData("供应商管理办法", "", "", None), None,
                          attachments.Upload("a.exe", b"MZ\x90\x00"), store)
    assert {"number", "effective_on", "file"} <= set(failed.value.errors)
    editor.add_policy(session, editor.PolicyData("供应商管理办法", "Supplier management measures", "集团采〔2023〕12号",
                                                 date(2023, 3, 1)), None,
                      attachments.Upload("policy.pdf", b"%PDF-1.4\n%%EOF\n"), store)
    editor.add_policy(session, editor.PolicyData("绿色采购指引", "", "集团采〔2027〕1号", date(2027, 1, 1)), None)
    sections = [c for c, _z, _e in definitions.SECTIONS]
    editor.save_narrative(session, editor.NarrativeData("2025", "B5.1", "en", "We had 2 suppliers in 2025.", "ESG"),
                          None, TODAY, sections)
    result = reporting_year.disclosure(session, 2025, TODAY)
    texts = narrative_texts.narratives(result)
    assert "Supplier management measures (集团采〔2023〕12号, in force from 2023-03-01)" in texts["B5"][1]
    assert "绿色采购指引" not in texts["B5"][0]  # not yet in force
    assert texts["B5.1"][1] == "We had 2 suppliers in 2025."  # the editor's text replaces the draft
    assert not [en for _zh, en in checks.consistency(result) if "narrative" in en]  # 2 is B5.1.total
    editor.save_narrative(session, editor.NarrativeData("2025", "B5.1", "en", "We had 25 suppliers.", "ESG"),
                          None, TODAY, sections)
    warnings = checks.consistency(reporting_year.disclosure(session, 2025, TODAY))
    assert any("narrative of B5.1 cites numbers that are not its figures: 25" in en for _zh, en in warnings)
    with pytest.raises(ValidationFailed) as failed:
        editor.save_narrative(session, editor.NarrativeData("2025", "B9", "fr", "", ""), None, TODAY, sections)
    assert {"section", "language", "text", "entered_by"} <= set(failed.value.errors)
    assert session.query(AuditEntry).filter_by(entity_type="supply_chain_policy").count() == 2
    assert session.query(AuditEntry).filter_by(entity_type="disclosure_narrative").count() == 2


def test_the_disclosure_of_a_year_names_the_policies_in_force_during_it(session):
    """A repealed or superseded policy has an end date: the disclosure of year Y names the policies in force at
    some time in Y (an end date before the effective date, or a superseded policy without one, is refused)."""
    from supplychain.errors import ValidationFailed
    from supplychain.services.disclosure import entries as editor

    _suppliers(session, 2, registered=date(2022, 1, 10))
    old = editor.add_policy(session, editor.PolicyData("供应商管理办法", "Supplier management measures",
                                                       "集团采〔2020〕5号", date(2020, 1, 1)), None)
    new = editor.add_policy(session, editor.PolicyData("供应商管理办法（修订）",
                                                       "Supplier management measures (revised)",
                                                       "集团采〔2024〕7号", date(2024, 7, 1)), None)
    for ended, superseded_by, field in ((date(2019, 12, 31), None, "ended_on"), (None, new.id, "ended_on"),
                                        (date(2024, 6, 30), old.id, "superseded_by_id")):
        with pytest.raises(ValidationFailed) as failed:
            editor.update_policy(session, old, editor.PolicyData("供应商管理办法", "Supplier management measures",
                                                                 "集团采〔2020〕5号", date(2020, 1, 1), None,
                                                                 ended, superseded_by), None)
        assert field in failed.value.errors
    session.refresh(old)
    assert old.ended_on is None and old.superseded_by_id is None  # nothing saved
    editor.update_policy(session, old, editor.PolicyData("供应商管理办法", "Supplier management measures",
                                                         "集团采〔2020〕5号", date(2020, 1, 1), None,
                                                         date(2024, 6, 30), new.id), None)

    def named(year: int) -> list[str]:
        return [p.number for p in reporting_year.disclosure(session, year, TODAY).policies]

    assert named(2023) == ["集团采〔2020〕5号"]
    assert named(2024) == ["集团采〔2020〕5号", "集团采〔2024〕7号"]  # both were in force during 2024
    assert named(2025) == ["集团采〔2024〕7号"]
    zh, en = narrative_texts.narratives(reporting_year.disclosure(session, 2024, TODAY))["B5"]
    assert ("Supplier management measures (集团采〔2020〕5号, in force from 2020-01-01 to 2024-06-30, superseded by "
            "Supplier management measures (revised))") in en
    assert ("《供应商管理办法》（集团采〔2020〕5号，2020-01-01 起施行至 2024-06-30，"
            "由《供应商管理办法（修订）》取代）") in zh
    changes = session.query(AuditEntry).filter_by(entity_type="supply_chain_policy", entity_id=old.id,
                                                  action="update").one().changes
    assert changes["ended_on"][1] == "2024-06-30" and changes["superseded_by_id"][1] == new.id


def test_d7_a_subsidiarys_pdf_carries_the_subsidiarys_own_names(session):
    from supplychain import scope
    from tests.factories import gen_organisation

    subsidiary = gen_organisation(session, "CQ", name_zh="重庆示例机械有限公司",
                                  name_en="Chongqing Example Machinery Co.")
    _suppliers(session, 1)
    settings = definitions.settings_from({"COMPANY_NAME": "示例集团有限公司", "COMPANY_NAME_EN": "Example Group Ltd"})
    boundary = scope.narrow_to_boundary(session, subsidiary.id)
    data, name, _type = downloads.export(session, 2025, "pdf", TODAY, boundary, "示例集团有限公司", ("zh", "en"),
                                          settings=settings)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Chongqing Example Machinery Co." in text and "重庆示例机械有限公司" in text
    assert "Example Group Ltd" not in text and name.endswith("-CQ-zh-en.pdf")
