"""Structured external screening (issue 11 part 4): recording, the latest result per list, the admission red lines
read from it, the re-screening due list by tier."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.models.risk import RiskTierSetting, SupplierRisk
from supplychain.models.screening import ScreeningResult
from supplychain.services.core import attachments
from supplychain.services.evaluation import facts_loader
from supplychain.services.risk import screening
from tests.evaluation_factories import TODAY, approve_all, gen_good_evidence, gen_pledge, gen_screening, gen_submitted
from tests.factories import gen_supplier, gen_tier, gen_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _result(session, supplier, code, result, checked_on=TODAY - timedelta(days=2), source="中国执行信息公开网"):
    data = screening.ResultData(code, checked_on, result, source, "")
    assert not screening.check_result(data, TODAY)
    return screening.add_result(session, supplier.id, data, None)


def test_a_result_with_its_screenshot_is_stored_with_who_checked_and_audited(session, tmp_path):
    supplier = gen_supplier(session, name_zh="截图测试有限公司")
    buyer = gen_user(session, "procurement")
    store = attachments.Store(tmp_path, 1024 * 1024)
    data = screening.ResultData("judgment_debtor", TODAY, "listed", "中国执行信息公开网 (2026)渝01执123号", "失信")
    row = screening.record_result(session, supplier, data, attachments.Upload("查询结果.png", PNG), store, buyer, TODAY)
    assert (row.list_code, row.result, row.checked_by_id) == ("judgment_debtor", "listed", buyer.id)
    assert row.attachment.original_name == "查询结果.png" and row.attachment.supplier_id == supplier.id
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "screening_result"))
    assert entry.changes["result"] == [None, "listed"] and entry.supplier_id == supplier.id


def test_bad_input_reports_every_problem_and_saves_nothing(session, tmp_path):
    supplier = gen_supplier(session)
    store = attachments.Store(tmp_path, 1024 * 1024)
    bad = screening.ResultData("credit_china", TODAY + timedelta(days=1), "maybe", "x" * 301, "")
    with pytest.raises(ValidationFailed) as failed:
        screening.record_result(session, supplier, bad, attachments.Upload("a.exe", b"MZ\x90\x00" * 20), store,
                                None, TODAY)
    assert set(failed.value.errors) == {"list_code", "checked_on", "source_reference", "evidence"}
    wrong_result = screening.ResultData("environmental_rating", TODAY, "listed", "省生态环境厅", "")
    no_source = screening.ResultData("sanctions", TODAY, "listed", "", "")
    assert set(screening.check_result(wrong_result, TODAY)) == {"result"}
    assert set(screening.check_result(no_source, TODAY)) == {"source_reference"}  # a listing says where
    assert session.scalar(select(ScreeningResult.id)) is None


def test_the_latest_result_of_each_list_counts(session):
    supplier = gen_supplier(session)
    _result(session, supplier, "judgment_debtor", "listed", TODAY - timedelta(days=200))
    _result(session, supplier, "judgment_debtor", "clear", TODAY - timedelta(days=20))  # paid: removed
    _result(session, supplier, "abnormal_operations", "listed", TODAY - timedelta(days=20))
    latest = screening.latest_per_list(session, supplier.id)
    assert [(r.list_code, r.result) for r in latest] == [("abnormal_operations", "listed"),
                                                         ("judgment_debtor", "clear")]
    assert [(r.list_code, r.result) for r in screening.latest_per_list(session, supplier.id, TODAY - timedelta(100))
            ] == [("judgment_debtor", "listed")]


@pytest.mark.parametrize(("code", "result", "listed"), [
    ("judgment_debtor", "listed", ("judgment_debtor",)),
    ("wage_arrears", "listed", ("wage_arrears",)),
    ("safety_dishonesty", "listed", ("safety_dishonesty",)),
    ("sanctions", "listed", ("sanctions",)),
    ("environmental_rating", "black", ("environmental_rating",)),
    ("environmental_rating", "yellow", ()),  # a warning, not a red line
    ("abnormal_operations", "listed", ()),  # shown, not a red line
    ("judgment_debtor", "clear", ()),
])
def test_which_results_are_red_lines(session, code, result, listed):
    supplier = gen_supplier(session)
    _result(session, supplier, code, result)
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert facts.screening_listings == listed
    assert not facts.on_dishonest_list and not facts.principal_bribery_conviction


def test_a_dishonest_judgment_debtor_fails_the_admission_red_line(session):
    supplier = gen_supplier(session)
    gen_good_evidence(session, supplier)
    _result(session, supplier, "judgment_debtor", "listed")
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, kind="admission", value=95))
    assert evaluation.result["red_lines_failed"] == ["dishonest_list"]
    outcome = next(r for r in evaluation.result["red_lines"] if r["key"] == "dishonest_list")
    assert "失信被执行人" in outcome["text_zh"] and "Dishonest judgment debtors" in outcome["text_en"]
    assert supplier.status == "rejected" and evaluation.social_non_compliance


def test_the_integrity_screening_form_writes_three_results_and_keeps_its_semantics(session):
    supplier = gen_supplier(session)
    gen_screening(session, supplier, date(2026, 1, 1), integrity_pledge_refused=True, principal_bribery_conviction=True)
    rows = screening.history(session, supplier.id)
    assert sorted((r.list_code, r.result) for r in rows) == [
        ("pledge_refusal", "listed"), ("principal_bribery", "listed"), ("serious_dishonesty", "clear")]
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert facts.principal_bribery_conviction and [(p.kind, p.refused) for p in facts.pledges] == [("integrity", True)]
    gen_pledge(session, supplier, "integrity", signed_on=date(2026, 2, 1))  # signing afterwards lifts the refusal
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert sorted(p.refused for p in facts.pledges) == [False, True]
    gen_screening(session, supplier, date(2026, 3, 1))  # a later clear screening clears all three
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert not facts.principal_bribery_conviction and not any(p.refused for p in facts.pledges)


def test_an_admission_needs_both_admission_checks_within_twelve_months(session):
    supplier = gen_supplier(session)
    _result(session, supplier, "serious_dishonesty", "clear", TODAY - timedelta(days=30))
    since = TODAY - timedelta(days=365)
    assert screening.missing_admission_checks(session, supplier.id, TODAY, since) == ["principal_bribery"]
    _result(session, supplier, "principal_bribery", "clear", TODAY - timedelta(days=400))  # too old
    assert screening.missing_admission_checks(session, supplier.id, TODAY, since) == ["principal_bribery"]
    _result(session, supplier, "principal_bribery", "clear", TODAY - timedelta(days=3))
    assert screening.missing_admission_checks(session, supplier.id, TODAY, since) == []


def test_the_due_list_is_ordered_by_tier_never_screened_first(session):
    session.add_all([RiskTierSetting(tier="high", rescreen_interval_months=6),
                     RiskTierSetting(tier="medium", rescreen_interval_months=12),
                     RiskTierSetting(tier="low", rescreen_interval_months=None)])  # never re-screened periodically
    names = {}
    plan = (("高风险已筛查", "high", 7), ("高风险未筛查", "high", None), ("高风险新近", "high", 1),
            ("中风险未筛查", "medium", None), ("低风险过期", "low", 13), ("低风险未筛查", "low", None),
            ("未分级", None, 30))
    for name, tier, months_ago in plan:
        supplier = gen_supplier(session, name_zh=f"{name}有限公司")
        names[supplier.id] = name
        if tier:
            gen_tier(session, supplier, tier)
        else:  # a supplier whose tier is not computed yet
            session.execute(delete(SupplierRisk).where(SupplierRisk.supplier_id == supplier.id))
        if months_ago is not None:
            for code in ("serious_dishonesty", "principal_bribery"):
                _result(session, supplier, code, "clear", TODAY - timedelta(days=months_ago * 31))
    gone = gen_supplier(session, status="exited")  # exited suppliers are not re-screened
    session.flush()
    rows = screening.rescreening_due(session, TODAY)
    assert [names[r.supplier_id] for r in rows] == ["高风险未筛查", "高风险已筛查", "中风险未筛查", "低风险未筛查",
                                                    "未分级"]  # 未分级: 12 months by default
    high = rows[1]
    assert high.interval_months == 6 and high.due_on < TODAY and not high.never and rows[0].never
    assert gone.id not in {r.supplier_id for r in rows}


def test_the_supplier_import_reads_the_legal_representative_and_a_blank_cell_keeps_it(session):
    from supplychain.models import Supplier
    from supplychain.services.imports import importer
    from tests.factories import gen_category, gen_credit_code, gen_root

    gen_root(session)
    gen_category(session)
    code = gen_credit_code()

    def run(representative: str):
        data = ("供应商名称,统一社会信用代码,省份,供应类别,法定代表人\n"
                f"重庆法人示例有限公司,{code},重庆,equipment,{representative}\n")
        plan, result = importer.import_file(session, "s.csv", data.encode(), None, TODAY)
        assert plan.ok and result is not None, [str(e) for e in plan.errors]
        return plan

    run("王建国")
    supplier = session.scalar(select(Supplier).where(Supplier.credit_code == code))
    assert supplier.legal_representative == "王建国"
    run("")
    assert supplier.legal_representative == "王建国"  # an empty cell keeps the stored name
    plan = run("李秀英")
    assert [(c.field, c.old, c.new) for c in plan.rows[0].changes] == [("legal_representative", "王建国", "李秀英")]
    assert supplier.legal_representative == "李秀英"
