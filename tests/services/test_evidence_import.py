"""Issue 15 item 8: past evidence in bulk — pledges with scans from a ZIP, certificates, training attendance,
past evaluations as history; every row checked, all or nothing, audited, a second import adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from supplychain.models import AuditEntry, Certification, EvaluationHistory, IntegrityPledge, TrainingAttendance
from supplychain.services.core import attachments
from supplychain.services.imports import evidence_import
from tests.evidence_factories import gen_template, gen_training
from tests.factories import gen_supplier, gen_user
from tests.file_factories import zip_bytes

TODAY = date(2026, 3, 1)
PDF = b"%PDF-1.4 scan"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _errors(plan) -> list[tuple]:
    return [(e.line, e.field, str(e.message)) for e in plan.errors]


@pytest.fixture
def store(tmp_path):
    return attachments.Store(tmp_path / "uploads", 5 * 1024 * 1024)


@pytest.fixture
def suppliers(session):
    first = gen_supplier(session, name_zh="证据导入甲有限公司")
    second = gen_supplier(session, name_zh="证据导入乙有限公司")
    session.commit()
    return first, second


def test_paper_pledges_with_their_scans(session, suppliers, store):
    first, second = suppliers
    template = gen_template(session, "integrity", version=3)
    session.commit()
    text = ("供应商,统一社会信用代码,承诺书类型,模板版本,签署人,签署日期,有效期至,扫描件\r\n"
            f",{first.credit_code},廉洁承诺书,纸质,王伟,2023年3月1日,2025-12-31,scans/甲.pdf\r\n"
            f"证据导入乙有限公司,,廉政责任书,,李红,2022-05-06,,\r\n"
            f",{second.credit_code},integrity,3,李红,2024/01/02,,乙.png\r\n")
    actor = gen_user(session, "procurement")
    plan, saved = evidence_import.import_file(session, "pledges", "承诺书.csv", text.encode("gbk"), actor, TODAY,
                                              scans_zip=zip_bytes({"scans/甲.pdf": PDF, "乙.png": PNG}), store=store)
    assert _errors(plan) == [] and saved == 3
    session.commit()
    pledges = session.scalars(select(IntegrityPledge).order_by(IntegrityPledge.signed_on)).all()
    assert [(p.supplier_id, p.kind, p.signed_on) for p in pledges] == [
        (second.id, "clean_government", date(2022, 5, 6)), (first.id, "integrity", date(2023, 3, 1)),
        (second.id, "integrity", date(2024, 1, 2))]
    assert pledges[1].attachment.original_name == "甲.pdf" and pledges[1].valid_until == date(2025, 12, 31)
    assert pledges[2].template_id == template.id and pledges[2].text_sha256
    assert pledges[0].template_id is None and pledges[0].method == "paper"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "pledge")).all()
    # Each audit entry names its own pledge and describes it (not its neighbour's values).
    assert {e.entity_id: (e.supplier_id, e.changes["signed_on"][1]) for e in entries} == {
        p.id: (p.supplier_id, p.signed_on.isoformat()) for p in pledges}
    assert all(e.actor_id == actor.id and e.note == "import 承诺书.csv" for e in entries)
    # The same file again: every row is already recorded.
    again, saved = evidence_import.import_file(session, "pledges", "承诺书.csv", text.encode("gbk"), actor, TODAY,
                                               scans_zip=zip_bytes({"scans/甲.pdf": PDF, "乙.png": PNG}), store=store)
    assert saved == 0 and len(again.notes) == 3
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 3


def test_a_zip_with_other_files_or_unmatched_names_saves_nothing(session, suppliers, store):
    first, _second = suppliers
    text = ("统一社会信用代码,承诺书类型,签署人,签署日期,扫描件\r\n"
            f"{first.credit_code},廉洁承诺书,王伟,2023-03-01,甲.pdf\r\n"
            f"{first.credit_code},反商业贿赂承诺书,王伟,2023-03-01,缺失.pdf\r\n")
    plan, saved = evidence_import.import_file(
        session, "pledges", "p.csv", text.encode(), None, TODAY, store=store,
        scans_zip=zip_bytes({"甲.pdf": PDF, "宏.docm": b"PK\x03\x04 macro", "多余.pdf": PDF}))
    assert saved is None
    messages = _errors(plan)
    assert (None, "scan", "宏.docm: Only PDF, PNG and JPEG files are accepted, whatever the file name says.") \
        in messages
    assert (None, "scan", "多余.pdf in the ZIP matches no row.") in messages
    assert (3, "scan", "缺失.pdf is not in the ZIP of scans.") in messages
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0
    _plan, saved = evidence_import.import_file(session, "pledges", "p.csv", text.encode(), None, TODAY,
                                               store=store, scans_zip=b"not a zip")
    assert saved is None and "The scans are not a readable ZIP file." in [str(e.message) for e in _plan.errors]


def test_certificates_every_bad_row_named(session, suppliers):
    first, second = suppliers
    text = ("供应商名称,证书类型,证书编号,发证机构,认证范围,发证日期,有效期至\r\n"
            "证据导入甲有限公司,ISO 9001,Q-001,中国质量认证中心,机械加工,2023-01-01,2026-01-01\r\n"
            "证据导入乙有限公司,安全生产许可证,AQ-9,重庆市应急管理局,,2022年6月1日,2025年5月31日\r\n"
            "未注册有限公司,ISO 14001,E-1,CQC,,2023-01-01,2022-01-01\r\n"
            "证据导入乙有限公司,绿色工厂,G-1,工信部,,2099-01-01,\r\n")
    plan, saved = evidence_import.import_file(session, "certificates", "c.csv", text.encode(), None, TODAY)
    assert saved is None
    assert _errors(plan) == [
        (4, "supplier", "No supplier is registered as 未注册有限公司."),
        (4, "expires_on", "The expiry date cannot be before the issue date."),
        (5, "issued_on", "The issue date cannot be in the future."),
    ]
    fixed = text.replace("2022-01-01\r\n", "2027-01-01\r\n").replace("2099-01-01", "2021-01-01").replace(
        "未注册有限公司", "证据导入甲有限公司")
    plan, saved = evidence_import.import_file(session, "certificates", "c.csv", fixed.encode(), None, TODAY)
    assert _errors(plan) == [] and saved == 4
    session.commit()
    certs = {c.number: c for c in session.scalars(select(Certification))}
    assert certs["Q-001"].cert_type == "iso9001" and certs["Q-001"].supplier_id == first.id
    assert certs["AQ-9"].cert_type == "safety_production_licence" and certs["AQ-9"].expires_on == date(2025, 5, 31)
    assert certs["G-1"].cert_type == "other" and certs["G-1"].other_name == "绿色工厂"
    assert certs["AQ-9"].supplier_id == second.id


def test_training_attendance_by_session_title(session, suppliers):
    first, second = suppliers
    gen_training(session, held_on=date(2025, 5, 20), title="2025 供应商ESG培训")
    gen_training(session, held_on=date(2024, 5, 20), title="安全生产培训")
    gen_training(session, held_on=date(2025, 5, 20), title="安全生产培训")
    session.commit()
    text = ("培训名称,培训日期,供应商,参训人数\r\n"
            "2025 供应商ESG培训,,证据导入甲有限公司,3人\r\n"
            "安全生产培训,2024-05-20,证据导入乙有限公司,2\r\n"
            "安全生产培训,,证据导入乙有限公司,2\r\n"
            "不存在的培训,,证据导入乙有限公司,x\r\n")
    plan, saved = evidence_import.import_file(session, "training", "t.csv", text.encode(), None, TODAY)
    assert saved is None
    assert [(line, name) for line, name, _m in _errors(plan)] == [(4, "held_on"), (5, "session"), (5, "head_count")]
    plan, saved = evidence_import.import_file(session, "training", "t.csv",
                                              "\r\n".join(text.split("\r\n")[:3]).encode(), None, TODAY)
    assert saved == 2
    session.commit()
    assert sorted((a.supplier_id, a.head_count) for a in session.scalars(select(TrainingAttendance))) == [
        (first.id, 3), (second.id, 2)]


def test_past_evaluations_are_kept_as_history_never_recomputed(session, suppliers):
    first, _second = suppliers
    text = ("统一社会信用代码,考核年度,等级,得分\r\n"
            f"{first.credit_code},2023年度,A,92.5\r\n"
            f"{first.credit_code},2022年度,合格,\r\n"
            f"{first.credit_code},2021年度,,九十\r\n")
    plan, saved = evidence_import.import_file(session, "evaluations", "e.csv", text.encode(), None, TODAY)
    assert saved is None and _errors(plan) == [(4, "total", "Not a score: 九十.")]
    plan, saved = evidence_import.import_file(session, "evaluations", "e.csv",
                                              text.replace("九十", "90分").encode(), None, TODAY)
    assert saved == 3
    session.commit()
    history = evidence_import.history_for(session, first.id)
    assert [(h.period, h.year, h.grade, h.total) for h in history] == [
        ("2023年度", 2023, "A", 92.5), ("2022年度", 2022, "合格", None), ("2021年度", 2021, None, 90.0)]
    assert all(h.source == "e.csv" for h in history)
    assert session.scalar(select(func.count(EvaluationHistory.id))) == 3


def test_missing_columns_are_named(session, suppliers):
    plan, saved = evidence_import.import_file(session, "certificates", "c.csv", "供应商,证书编号\r\n甲,1\r\n".encode(),
                                              None, TODAY)
    assert saved is None and _errors(plan) == [(1, "", "Missing columns: Certificate type, Issuer, Issued on.")]


def test_pledges_carry_the_organisation_that_signed_them(session, suppliers):
    """The `org` column names the group's counterparty; an empty cell is the importer's own organisation. A
    pledge opens its organisation's relationship with the supplier, as one entered by hand does."""
    from supplychain.models import SupplierRelationship
    from tests.factories import gen_organisation

    first, second = suppliers
    machinery = gen_organisation(session, "EV-MACH")
    wind = gen_organisation(session, "EV-WIND", parent=machinery)
    actor = gen_user(session, "procurement", organisation=machinery)
    session.commit()
    text = ("统一社会信用代码,承诺书类型,签署人,签署日期,签约单位\r\n"
            f"{first.credit_code},廉洁承诺书,王伟,2023-03-01,ev-wind\r\n"
            f"{second.credit_code},廉洁承诺书,李红,2023-03-02,\r\n")
    plan, saved = evidence_import.import_file(session, "pledges", "p.csv", text.encode(), actor, TODAY)
    assert _errors(plan) == [] and saved == 2
    session.commit()
    signed = dict(session.execute(select(IntegrityPledge.supplier_id, IntegrityPledge.organisation_id)).all())
    assert signed == {first.id: wind.id, second.id: machinery.id}
    opened = session.scalars(select(SupplierRelationship).where(SupplierRelationship.organisation_id == wind.id)).all()
    assert [(r.supplier_id, r.status, [c.id for c in r.categories]) for r in opened] == [
        (first.id, "active", [c.id for c in first.categories])]
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.entity_type == "supplier_relationship", AuditEntry.entity_id == opened[0].id)) == 1
    pledge_entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "pledge",
                                                           AuditEntry.supplier_id == first.id))
    assert pledge_entry.changes["organisation_id"] == [None, wind.id]
    # A later pledge with the same organisation finds the relationship open and leaves it as it is.
    again = ("统一社会信用代码,承诺书类型,签署人,签署日期,签约单位\r\n"
             f"{first.credit_code},廉洁承诺书,王伟,2024-03-01,ev-wind\r\n")
    plan, saved = evidence_import.import_file(session, "pledges", "p2.csv", again.encode(), actor, TODAY)
    assert _errors(plan) == [] and saved == 1
    session.commit()
    assert session.scalars(select(SupplierRelationship.id).where(
        SupplierRelationship.organisation_id == wind.id)).all() == [opened[0].id]
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.entity_type == "supplier_relationship", AuditEntry.note == "import p2.csv")) == 0


def test_a_bad_counterparty_is_named_per_row_and_nothing_is_saved(session):
    from supplychain import scope
    from tests.factories import gen_organisation

    machinery = gen_organisation(session, "EV-MACH")
    first = gen_supplier(session, organisation=machinery)
    heating = gen_organisation(session, "EV-HEAT")
    closed = gen_organisation(session, "EV-OLD", parent=machinery, closed_on=date(2025, 1, 1))
    gen_organisation(session, "EV-WIND", parent=machinery)
    actor = gen_user(session, "procurement", organisation=machinery)
    session.commit()
    scope.activate(session, scope.for_organisation(session, machinery))
    text = ("统一社会信用代码,承诺书类型,签署人,签署日期,签约单位\r\n"
            f"{first.credit_code},廉洁承诺书,甲,2023-03-01,NOPE\r\n"
            f"{first.credit_code},廉洁承诺书,乙,2023-03-01,{heating.code}\r\n"
            f"{first.credit_code},廉洁承诺书,丙,2023-03-01,{closed.code}\r\n"
            f"{first.credit_code},廉洁承诺书,丁,2023-03-01,EV-MACH;EV-WIND\r\n"
            f"{first.credit_code},廉洁承诺书,戊,2023-03-01,EV-WIND\r\n")
    plan, saved = evidence_import.import_file(session, "pledges", "p.csv", text.encode(), actor, TODAY)
    assert saved is None
    assert _errors(plan) == [
        (2, "org", "Unknown organisation NOPE."),
        (3, "org", "EV-HEAT is outside your organisation."),
        (4, "org", "EV-OLD is closed."),
        (5, "org", "A pledge is signed by one organisation: give one code.")]
    # A default organisation for the empty cells that cannot be used is one error, before any row.
    plan, saved = evidence_import.import_file(session, "pledges", "p.csv", text.encode(), actor, TODAY,
                                              default_org="EV-HEAT")
    assert saved is None and (None, "org", "EV-HEAT is outside your organisation.") in _errors(plan)
    session.rollback()
    scope.activate(session, scope.EVERYTHING)
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0


def test_a_background_check_names_columns_in_the_words_of_the_file_s_kind(app, session, suppliers):
    """The job page of a large file says "Pledge kind" as the preview does, not the general "Kind"."""
    from supplychain.services.imports import import_jobs

    first, _second = suppliers
    text = f"credit_code,kind,signatory,signed_on\r\n{first.credit_code},no such pledge,王伟,2023-03-01\r\n"
    plan, saved = evidence_import.import_file(session, "pledges", "p.csv", text.encode(), None, TODAY)
    assert saved is None and [e.field for e in plan.errors] == ["kind"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        summary = import_jobs.evidence_summary(plan)
    assert [column for _line, column, _message in summary["errors"]] == ["kind (Pledge kind)"]
