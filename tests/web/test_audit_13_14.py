"""Gaps found by auditing issues 13 and 14 against their text, each pinned."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from supplychain.services.daily_work import notifications
from supplychain.services.portal import invitations
from tests.factories import gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def test_d13_notifications_show_their_times_in_the_report_time_zone(client, session):
    user = gen_user(session, "procurement")
    message = notifications.Message("certificate_expiring", "tz", "证书即将到期", "A certificate expires soon",
                                    "/suppliers/")
    notifications.notify(session, user, message, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    session.commit()
    login(client, user.email)
    page = client.get("/notifications/", headers=EN).text
    assert "2026-03-02 07:30 +08:00" in page
    assert "2026-03-01 23:30" not in page


def test_d13_the_invitation_email_gives_its_expiry_in_the_report_time_zone():
    invitation = SimpleNamespace(expires_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC), email="li@example.com",
                                 name="李雷", supplier=SimpleNamespace(name_zh="重庆同力"))
    text = invitations.compose(invitation, "https://x/i/abc", "集团", "noreply@x", "Asia/Shanghai").get_content()
    assert "2026-03-02 07:30 +08:00" in text and "UTC" not in text


def test_d8_an_admission_reason_names_the_grade_in_each_language(session):
    from sqlalchemy import select

    from supplychain.audit_labels import split_bilingual
    from supplychain.models import AuditEntry
    from tests.evaluation_factories import approve_all, gen_good_evidence, gen_submitted
    from tests.factories import gen_category, gen_supplier

    category = gen_category(session, "services", "服务", "Services")
    supplier = gen_supplier(session, categories=["services"])
    gen_good_evidence(session, supplier)
    approve_all(session, gen_submitted(session, supplier=supplier, kind="admission", category=category, value=85))
    note = session.scalars(select(AuditEntry.note).where(
        AuditEntry.supplier_id == supplier.id, AuditEntry.action == "status").order_by(AuditEntry.id)).all()[-1]
    zh, en = split_bilingual(note)
    assert zh.endswith("分，优秀）") and not any(ch.isascii() and ch.isalpha() for ch in zh)  # no grade key
    assert en.endswith(", Excellent)") and not any("\u4e00" <= ch <= "\u9fff" for ch in en)


def _trail_entry(session, supplier, changes, entity_type="screening_result"):
    from supplychain.models import AuditEntry

    session.add(AuditEntry(at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC), actor_email="buyer@example.com",
                           action="create", entity_type=entity_type, entity_id=1, supplier_id=supplier.id,
                           changes=changes))


def test_d9_the_audit_trail_reads_in_words(client, session):
    from tests.factories import gen_supplier

    admin = gen_user(session, "admin")
    supplier = gen_supplier(session)
    _trail_entry(session, supplier, {"list_code": [None, "judgment_debtor"], "result": [None, "clear"]})
    _trail_entry(session, supplier, {"kind": [None, "admission"], "grade": [None, "conditional"],
                                     "after_sales": [None, 80.0], "role": ["reviewer", "auditor"]})
    _trail_entry(session, supplier, {"status": ["registered", "under_review"], "effective_on": "2026-03-01"})
    _trail_entry(session, supplier, {"kind": [None, "periodic"]}, entity_type="audit")
    session.commit()
    login(client, admin.email)
    page = client.get(f"/suppliers/{supplier.id}").text
    for key in ("judgment_debtor", "clear", "admission", "conditional", "after_sales", "after sales", "auditor"):
        assert f"→ {key}" not in page and f">{key}<" not in page, key
    for words in ("失信被执行人", "未列入", "准入评审", "有条件合格", "售后服务", "审计（只读）"):
        assert words in page, words
    assert "定期审核" in page  # an audit's kind "periodic" is not an evaluation's
    assert "生效日期</span>: 2026-03-01<" in page  # one logged value, not its characters ("2 → 0") nor "— →"
    english = client.get(f"/suppliers/{supplier.id}", headers=EN).text
    assert "Dishonest judgment debtors" in english and "After-sales service" in english


def test_d9_a_recorded_screening_reads_once_in_each_language(client, session):
    from supplychain.models import AuditEntry
    from tests.factories import gen_supplier

    admin = gen_user(session, "admin")
    supplier = gen_supplier(session)
    session.add(AuditEntry(at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC), actor_email="buyer@example.com",
                           action="screening", entity_type="screening_result", entity_id=1, supplier_id=supplier.id,
                           changes={"result": [None, "clear"]}))
    session.commit()
    login(client, admin.email)
    page = client.get(f"/suppliers/{supplier.id}").text
    assert "登记筛查结果" in page and "筛查筛查" not in page
    assert "Screening result recorded" in client.get(f"/suppliers/{supplier.id}", headers=EN).text


def test_d9_a_figures_records_read_in_words(client, session):
    from tests.evidence_factories import gen_pledge
    from tests.factories import gen_supplier

    admin = gen_user(session, "admin")
    supplier = gen_supplier(session, status="qualified")
    gen_pledge(session, supplier, kind="anti_bribery", signed_on=datetime(2025, 3, 1).date())
    session.commit()
    login(client, admin.email)
    page = client.get("/disclosure/2025/figures/B5.2.pledges_signed")
    assert page.status_code == 200
    assert "反商业贿赂承诺书" in page.text and "anti_bribery" not in page.text


def test_d9_scheme_parameters_read_in_words(client, session):
    from supplychain.models.scheme import SchemeVersion
    from tests.evaluation_factories import ensure_schemes

    ensure_schemes(session)
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    scheme = session.query(SchemeVersion).filter_by(kind="admission").first()
    page = client.get(f"/schemes/{scheme.id}").text
    assert "pledge_kind" not in page and "require_signed" not in page and "config/schemes.py" not in page
    assert "承诺书类型: 廉洁承诺书" in page and "年数: 3" in page


def test_d9_generated_corrective_actions_read_in_one_language(client, session):
    from tests.evidence_factories import gen_action
    from tests.factories import gen_supplier

    buyer = gen_user(session, "procurement")
    supplier = gen_supplier(session, status="conditional")
    action = gen_action(session, supplier)
    action.action = ("整改交付与售后服务：2025 年度定期评价得分 55，低于合格线 75。 / Improve Delivery and "
                     "after-sales service: scored 55 in the 2025 periodic evaluation, below the Qualified line of 75.")
    session.commit()
    login(client, buyer.email)
    chinese = client.get("/corrective-actions/").text
    assert "整改交付与售后服务" in chinese and "Improve Delivery" not in chinese
    english = client.get(f"/corrective-actions/{action.id}", headers=EN).text
    assert "Improve Delivery" in english and "整改交付与售后服务" not in english


def test_traditional_chinese_readers_get_region_province_and_country_names_in_traditional(client, session):
    from supplychain import regions

    assert regions.region_name("east", "zh_Hant") == "華東" and regions.region_name("east", "zh") == "华东"
    guangdong = regions.find_province("440000")
    assert regions.province_name(guangdong, "zh_Hant") == "廣東省"
    assert dict(regions.countries("zh_Hant"))["DK"] == "丹麥"
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    client.post("/language/zh_Hant", data={"csrf_token": csrf_token(client.get("/").text)})
    form = client.get("/suppliers/new").text
    assert "廣東省" in form and "丹麥" in form and "广东省" not in form


def test_d9_the_disclosure_editor_names_figures_by_their_reference_and_label(client, session):
    from supplychain.models import DisclosureFigure

    editor = gen_user(session, "procurement")
    session.add_all([DisclosureFigure(year=2024, code="KPI.total_suppliers", kind="restatement", value=3,
                                      source="年报", reason="口径调整", entered_by="esg"),
                     DisclosureFigure(year=2024, code="B5.1.total", kind="target", value=9, source="计划",
                                      reason="", entered_by="esg")])
    session.commit()
    login(client, editor.email)
    page = client.get("/disclosure/editor/figures").text
    assert ">KPI.total_suppliers<" not in page and ">B5.1.total<" not in page
    assert ">B5.1<" in page
    new = client.get("/disclosure/editor/figures/new").text
    assert "KPI.total_suppliers ·" not in new and "B5.1 · " in new
