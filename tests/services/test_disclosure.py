"""The disclosure on a hand-built dataset where every figure is known in advance (see docs/disclosure.md).

Suppliers (registered on, status now; history from audited status changes):
  S1 Chongqing  2022-01-10  suspended (qualified until 2026-01-15)  admission 2022, periodic 2023 + 2024,
                integrity pledge 2023, ISO 14001 valid 2023-2026, minor safety incident 2024
  S2 Shanghai   2024-02-01  qualified    admission 2024 (passed), periodic 2024, pledge 2024, SAQ 2024
  S3 Guangdong  2023-05-01  conditional  no admission review, periodic 2024, ISO 14001 expired mid-2024,
                major environmental incident 2024 with a corrective action
  S4 Germany    2024-06-01  trial        admission 2024 (passed), pledge 2024 expired in October
  S5 Chongqing  2021-01-01  blacklisted (qualified until 2024-09-01)  critical labour incident 2024-08-01,
                terminated for social non-compliance 2024-09-01
  S6 Sichuan    2024-04-01  rejected     admission 2024 failed for social non-compliance
  S7 Beijing    2024-08-01  registered   a submitted (not final) evaluation
  S8 Chongqing  2025-03-01  qualified    (after 2024)
  S9 Chongqing  2024-10-01  qualified    made qualified by hand, never reviewed
Training: ESG 2023-06-01 (S1, 4 people); ESG 2024-04-01 (S1 3 + S2 2 people); quality 2024-05-01 (not ESG).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, Questionnaire, SaqResponse
from supplychain.services.disclosure import breakdowns, compute, downloads, figure_records, reporting_year
from tests.evidence_factories import gen_requirement
from tests.factories import gen_category, gen_supplier
from tests.report_factories import (
    gen_action,
    gen_certificate,
    gen_final_evaluation,
    gen_incident,
    gen_pledge,
    gen_termination,
    gen_training,
)

TODAY = date(2026, 11, 21)
HOME = "500000"


def _status_change(session, supplier, old, new, when):
    session.add(
        AuditEntry(
            entity_type="supplier",
            entity_id=supplier.id,
            supplier_id=supplier.id,
            action="status",
            changes={"status": [old, new]},
            at=datetime.combine(when, datetime.min.time(), UTC),
        )
    )


@pytest.fixture
def world(session):
    equipment = gen_category(session, "equipment", "设备", "Equipment")
    gen_requirement(session, equipment, "pledge", "integrity")  # every supplier here must sign one
    s = {}

    def supplier(key, status, registered, province="500000", **kw):
        s[key] = gen_supplier(
            session,
            status=status,
            today=registered,
            name_zh=f"披露测试{key}有限公司",
            province=province,
            **kw,
        )
        s[key].registered_on = registered
        return s[key]

    supplier("S1", "suspended", date(2022, 1, 10))
    supplier("S2", "qualified", date(2024, 2, 1), "310000")
    supplier("S3", "conditional", date(2023, 5, 1), "440000")
    supplier("S4", "trial", date(2024, 6, 1), "", credit_code="", country="DE", city="Berlin")
    supplier("S5", "blacklisted", date(2021, 1, 1))
    supplier("S6", "rejected", date(2024, 4, 1), "510000")
    supplier("S7", "registered", date(2024, 8, 1), "110000")
    supplier("S8", "qualified", date(2025, 3, 1))
    supplier("S9", "qualified", date(2024, 10, 1))
    session.flush()
    _status_change(session, s["S1"], "qualified", "suspended", date(2026, 1, 15))
    _status_change(session, s["S5"], "qualified", "blacklisted", date(2024, 9, 1))
    # Evidence.
    gen_pledge(session, s["S1"], signed_on=date(2023, 3, 1))
    gen_pledge(session, s["S2"], signed_on=date(2024, 3, 10))
    gen_pledge(session, s["S4"], signed_on=date(2024, 6, 20), valid_until=date(2024, 10, 31))
    gen_certificate(session, s["S1"], "iso14001", date(2023, 1, 1), date(2026, 12, 31))
    gen_certificate(session, s["S3"], "iso14001", date(2021, 7, 1), date(2024, 6, 30))
    gen_training(session, date(2023, 6, 1), [s["S1"]], head_count=4)
    esg = gen_training(session, date(2024, 4, 1), [s["S1"]], head_count=3)
    gen_training(session, date(2024, 5, 1), [s["S2"]], topic="quality")
    from supplychain.models import TrainingAttendance

    session.add(TrainingAttendance(session_id=esg.id, supplier_id=s["S2"].id, head_count=2))
    env = gen_incident(session, s["S3"], "environmental", "major", date(2024, 5, 10))
    gen_action(session, s["S3"], due_on=date(2024, 8, 1), incident=env, created_on=date(2024, 6, 1))
    gen_incident(session, s["S5"], "labour", "critical", date(2024, 8, 1), "使用童工")
    gen_incident(session, s["S2"], "quality", "minor", date(2024, 2, 2), "批次不合格")
    gen_incident(session, s["S1"], "safety", "minor", date(2024, 3, 3), "未佩戴安全帽")
    gen_termination(session, s["S5"], date(2024, 9, 1))
    questionnaire = Questionnaire(
        code="esg", version=1, title_zh="ESG自评问卷", title_en="ESG SAQ", status="published"
    )
    session.add(questionnaire)
    session.flush()
    session.add(
        SaqResponse(
            supplier_id=s["S2"].id,
            questionnaire_id=questionnaire.id,
            status="reviewed",
            reviewed_on=date(2024, 9, 1),
        )
    )
    session.add(
        SaqResponse(
            supplier_id=s["S1"].id,
            questionnaire_id=questionnaire.id,
            status="reviewed",
            reviewed_on=date(2025, 2, 1),
        )
    )
    # Evaluations.
    gen_final_evaluation(
        session, s["S1"], kind="admission", as_of=date(2022, 3, 1), year=2022, outcome="qualified"
    )
    gen_final_evaluation(session, s["S1"], year=2023)
    gen_final_evaluation(session, s["S1"], year=2024)
    gen_final_evaluation(session, s["S2"], kind="admission", as_of=date(2024, 3, 15), outcome="qualified")
    gen_final_evaluation(session, s["S2"], year=2024)
    gen_final_evaluation(session, s["S3"], year=2024)
    gen_final_evaluation(session, s["S4"], kind="admission", as_of=date(2024, 7, 1), outcome="trial")
    rejected = gen_final_evaluation(
        session, s["S6"], kind="admission", as_of=date(2024, 5, 1), outcome="rejected", social=True
    )
    rejected.passed = False
    gen_final_evaluation(session, s["S7"], kind="admission", as_of=date(2024, 9, 1), status="submitted")
    session.commit()
    return {key: value.id for key, value in s.items()}


def _values(session, year=2024):
    return compute.compute(session, year, reporting_year.as_of_for(year, TODAY))


def test_b5_1_regions_and_local(session, world):
    v = _values(session)
    assert v["B5.1.total"].value == 5
    assert set(v["B5.1.total"].records.ids) == {world[k] for k in ("S1", "S2", "S3", "S4", "S9")}
    counts = {
        key: v[f"B5.1.{key}"].value
        for key in ("north", "northeast", "east", "central", "south", "southwest", "northwest", "overseas")
    }
    assert counts == {
        "north": 0,
        "northeast": 0,
        "east": 1,
        "central": 0,
        "south": 1,
        "southwest": 2,
        "northwest": 0,
        "overseas": 1,
    }
    assert v["B5.1.southwest.share"].value == 40.0 and v["B5.1.overseas.share"].value == 20.0
    assert v["B5.1.north.share"].value == 0.0
    assert (v["B5.1.local"].value, v["B5.1.local.share"].value) == (2, 40.0)
    assert set(v["B5.1.local"].records.ids) == {world["S1"], world["S9"]}


def test_b5_2_to_b5_4(session, world):
    v = _values(session)
    assert v["B5.2.admission_reviewed"].value == 3  # S1, S2, S4 (S3 and S9 never reviewed)
    assert set(v["B5.2.pledge_signed"].records.ids) == {world["S1"], world["S2"]}  # S4's expired in October
    assert v["B5.2.pledge_signing_rate"].value == 40.0
    assert len(v["B5.2.pledge_signing_rate"].denominator) == 5
    assert v["B5.2.pledges_signed"].value == 2  # signed in 2024: S2's and S4's
    assert v["B5.3.assessed"].value == 5  # S1, S2, S3, S4, S6
    assert v["B5.3.evaluations"].value == 6
    assert v["B5.3.questionnaires_reviewed"].records.ids == (world["S2"],)
    assert v["B5.3.incidents"].value == 3  # environmental, labour, safety; not the quality incident
    assert set(v["B5.3.suppliers_with_incidents"].records.ids) == {world["S1"], world["S3"], world["S5"]}
    assert v["B5.4.iso14001"].records.ids == (world["S1"],)  # S3's expired in June
    assert set(v["B5.4.env_selected"].records.ids) == {world["S2"], world["S4"]}  # S6 failed
    # B5.4 counts selection with environmental criteria, not ISO 14001 holders (S1 holds one).
    assert set(v["B5.4.selected"].records.ids) == {world["S2"], world["S4"]}
    assert v["B5.4.selected.share"].value == 40.0
    assert v["B5.4.green_spend_share"].value is None  # no spend data: unavailable, never 0


def test_gri(session, world):
    v = _values(session)
    assert set(v["GRI.308-1.new"].records.ids) == {world["S2"], world["S4"], world["S9"]}
    assert v["GRI.308-1.screened"].value == 2 and v["GRI.308-1"].value == 66.7
    assert v["GRI.414-1"].value == 66.7
    assert v["GRI.308-2.a"].value == 5 and v["GRI.414-2.a"].value == 5
    assert v["GRI.308-2.b"].records.ids == (world["S3"],)
    assert (v["GRI.308-2.d"].value, v["GRI.308-2.e"].value) == (100.0, 0.0)
    # (b) counts potential impacts too: S6 failed a social red line at admission.
    assert set(v["GRI.414-2.b"].records.ids) == {world["S5"], world["S6"]}
    assert (v["GRI.414-2.d"].value, v["GRI.414-2.e"].value) == (0.0, 50.0)
    assert v["GRI.414-2.c"].breakdown == (("assessment", 1), ("incident:labour:critical", 1),
                                          ("terminated:illegal_labour", 1))
    assert v["GRI.414-2.e.why"].records.ids == (world["S5"],)
    assert breakdowns.breakdown_text(v["GRI.414-2.e.why"], "en") == "terminated: illegal labour practice: 1"
    assert v["GRI.308-2.c"].breakdown == (("incident:environmental:major", 1),)


def test_kpi_table_with_two_previous_years(session, world):
    result = reporting_year.disclosure(session, "2024", TODAY)
    assert result.years == (2022, 2023, 2024) and not result.in_progress and result.evaluations == 6

    def row(code):
        return [result.values[y][code].value for y in result.years]

    assert row("KPI.total_suppliers") == [2, 3, 5]
    assert row("KPI.suppliers_reviewed") == [1, 1, 5]
    assert row("KPI.rejected_social") == [0, 0, 1]
    assert row("KPI.terminated_social") == [0, 0, 1]
    assert row("KPI.training_sessions") == [0, 1, 1]
    assert row("KPI.training_participants") == [0, 4, 5]
    assert row("KPI.pledge_signing_rate") == [0.0, 33.3, 40.0]
    assert row("KPI.local_suppliers") == [2, 2, 2]
    assert result.values[2024]["KPI.rejected_social"].records.ids == (world["S6"],)
    assert result.values[2024]["KPI.terminated_social"].records.ids == (world["S5"],)


def test_csv_rows(session, world):
    data, name, content_type = downloads.export(session, 2024, "csv", TODAY, None, "示例集团")
    assert name == "supply-chain-disclosure-2024.csv" and content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["code", "label_en", "label_zh", "year", "value", "unit", "detail_en", "detail_zh",
                             "basis", "note",
                            "target"]
    by_key = {(r["code"], r["year"]): r for r in rows}
    assert by_key[("B5.1.east", "2024")]["value"] == "1"
    assert by_key[("B5.1.overseas", "2024")]["value"] == "1"
    assert by_key[("GRI.308-1", "2024")]["value"] == "66.7" and by_key[("GRI.308-1", "2024")]["unit"] == "%"
    assert [by_key[("KPI.total_suppliers", str(y))]["value"] for y in (2022, 2023, 2024)] == ["2", "3", "5"]
    assert ("B5.1.east", "2023") not in by_key  # previous years only for the KPI table
    assert by_key[("KPI.total_suppliers", "2024")]["label_zh"] == "供应商总数"


def test_xlsx_and_pdf(session, world):
    data, name, _ = downloads.export(session, 2024, "xlsx", TODAY, None, "示例集团")
    book = load_workbook(io.BytesIO(data))
    kpi = {r[0]: r[4:] for r in book["kpi"].iter_rows(min_row=2, values_only=True)}
    assert kpi["KPI.total_suppliers"] == (2, 3, 5, None)  # three years, then the target (none entered)
    pdf, name, content_type = downloads.export(session, 2024, "pdf", TODAY, None, "示例集团有限公司")
    assert content_type == "application/pdf" and name.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "示例集团有限公司" in text and "供应商总数" in text and "66.7" in text


def test_records_behind_a_figure(session, world):
    found = figure_records.figure_records(session, 2024, "GRI.308-1", TODAY)
    assert {s.id for s in found.records} == {world["S2"], world["S4"]}
    assert {s.id for s in found.denominator} == {world["S2"], world["S4"], world["S9"]}
    incidents = figure_records.figure_records(session, 2024, "B5.3.incidents", TODAY)
    assert {i.category for i in incidents.records} == {"environmental", "labour", "safety"}
    with pytest.raises(ValidationFailed):
        figure_records.figure_records(session, 2024, "B9.9", TODAY)


@pytest.mark.parametrize("year", ["2027", "1999", "abc", "", None, "2024.5"])
def test_bad_years_are_refused(session, year):
    with pytest.raises(ValidationFailed) as failed:
        reporting_year.disclosure(session, year, TODAY)
    assert "year" in failed.value.errors


def test_unknown_format(session):
    with pytest.raises(ValidationFailed):
        downloads.export(session, 2024, "docx", TODAY, None, "x")


def test_a_year_without_records_is_all_zero(session, world):
    result = reporting_year.disclosure(session, 2012, TODAY)
    assert result.evaluations == 0
    assert result.values[2012]["B5.1.total"].value == 0
    assert result.values[2012]["KPI.pledge_signing_rate"].value is None  # no suppliers: no rate
    assert downloads.to_csv(result)


def test_year_in_progress(session, world):
    result = reporting_year.disclosure(session, 2026, TODAY)
    assert result.in_progress and result.as_of == TODAY
    # S1 suspended since January 2026, S8 joined in 2025.
    assert set(result.values[2026]["B5.1.total"].records.ids) == {
        world[k] for k in ("S2", "S3", "S4", "S8", "S9")
    }
