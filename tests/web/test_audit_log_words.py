"""The audit log reads in the reader's language: every key, action and coded value in words, and what an entry
refers to by id or code (an organisation, a province, categories, a person) by its name, looked up once per page.
The stored entries keep their keys and ids (the log is evidence); only the page changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from supplychain import clock
from supplychain.models import AuditEntry
from supplychain.services.core import audit
from supplychain.services.imports import evidence_import, importer
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

TODAY = date(2026, 3, 1)
EN, HANT = {"Accept-Language": "en"}, {"Accept-Language": "zh-TW"}
# Keys the importers log, as the acceptance test found them on the Chinese page.
IMPORT_KEYS = ("created", "updated", "unchanged", "rows", "blank erases", "blank_erases", "migration", "statuses",
               "deferred_checks", "deferred checks", "reason", "status since", "status_since", "category codes",
               "organisation id", "province code", "signatory name", "method", "created by id", "template id",
               "text sha256", "attachment id")


def _labels_shown(page: str) -> list[str]:
    """The field labels of the trail (`<span class="fw-semibold">label</span>`)."""
    import re

    return re.findall(r'<span class="fw-semibold">([^<]*)</span>', page)


def _migrate(session, admin):
    """A migration of two suppliers bought by the CQ organisation: one conditional in Guangdong (two categories),
    one trial in Chongqing."""
    gen_category(session, "engineering", "工程分包", "Engineering subcontracting")
    gen_category(session, "services", "服务", "Services")
    cq = gen_organisation(session, "CQ", name_zh="重庆公司", name_en="Chongqing Co.")
    session.commit()
    text = ("name_zh,credit_code,country,province,categories,org,status,status_since\r\n"
            f"广州迁移有限公司,{gen_credit_code('440000')},CN,440000,engineering;services,CQ,限期整改,2024-03-01\r\n"
            f"重庆迁移有限公司,{gen_credit_code('500000')},CN,500000,services,CQ,试供,2024-05-01\r\n")
    options = importer.ImportOptions(migration=True, reason="2024 年 ERP 合格供应商名录")
    plan, result = importer.import_file(session, "erp.csv", text.encode("utf-8"), admin, TODAY, options=options)
    assert not plan.errors and result is not None and result.created == 2
    session.commit()
    return cq


def test_a_migration_s_entries_read_in_chinese_with_names_not_ids_or_keys(client, session):
    admin = gen_user(session, "admin")
    _migrate(session, admin)
    auditor = gen_user(session, "auditor")
    session.commit()
    login(client, auditor.email)
    page = client.get("/audit-log/").text

    labels = _labels_shown(page)
    for key in IMPORT_KEYS:
        assert key not in labels, key
    # The import's summary: its counts and choices in words, each logged value once (no "— →").
    for words in ("新增记录</span>: 2<", "文件行数</span>: 2<", "空白单元格清除原值</span>: 否<",
                  "迁移现有供应商库</span>: 是<", "迁移原因</span>: 2024 年 ERP 合格供应商名录<",
                  "迁入的状态</span>: 2<"):
        assert words in page, words
    # One phrase per action, the record in it: not "导入供应商导入" nor "变更状态供应商".
    assert "导入供应商<" in page and "导入供应商导入" not in page
    assert "变更供应商状态" in page and "变更状态供应商" not in page and "创建采购关系" in page
    # Statuses by their one name, the day a migrated status took effect.
    assert "状态</span>: 已登记 → 有条件合格" in page and "状态</span>: 已登记 → 试用<" in page
    assert "状态起始日期</span>: — → 2024-03-01" in page
    # Names, not ids or codes: the organisation, the province, the categories.
    assert "组织</span>: — → 重庆公司" in page and "→ 1<" not in page
    assert "省份</span>: — → 广东省" in page and "440000" not in page
    assert "类别</span>: — → 工程分包, 服务" in page and "→ engineering, services" not in page
    # The note the import writes, in words.
    assert "从 erp.csv 导入" in page and "迁移：2024 年 ERP 合格供应商名录（从 erp.csv 导入）" in page
    assert ">import erp.csv<" not in page and "migration:" not in page
    # Each entry names its supplier.
    assert "广州迁移有限公司</a>" in page

    # The stored entries are unchanged: keys, codes and ids.
    summary = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "supplier_import"))
    assert summary.changes["created"] == 2 and summary.changes["migration"] is True
    created = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "supplier",
                                                       AuditEntry.action == "create")).all()
    assert {tuple(e.changes["province_code"]) for e in created} == {(None, "440000"), (None, "500000")}


def test_the_same_entries_in_traditional_chinese_and_english(client, session):
    admin = gen_user(session, "admin")
    _migrate(session, admin)
    session.commit()
    login(client, admin.email)
    hant = client.get("/audit-log/", headers=HANT).text
    assert "匯入供應商<" in hant and "變更供應商狀態" in hant and "有條件合格" in hant and "廣東省" in hant
    # Category names read as the other pages show them (labels.pick converts the Chinese), organisation names
    # stay as typed.
    assert "新增記錄</span>: 2<" in hant and "工程分包, 服務" in hant and "工程分包, 服务" not in hant
    assert "重庆公司" in hant
    english = client.get("/audit-log/", headers=EN).text
    assert "Suppliers imported" in english and "Supplier status changed" in english
    assert "Status</span>: Registered → Conditional" in english and "Guangdong" in english
    assert "New records</span>: 2<" in english and "Reason for the migration</span>: 2024 年 ERP" in english
    assert "Organisation</span>: — → Chongqing Co." in english
    assert "Engineering subcontracting, Services" in english and "Imported from erp.csv" in english
    for key in IMPORT_KEYS:
        assert key not in _labels_shown(english), key


def test_a_status_change_made_in_the_page_reads_in_chinese(client, session):
    admin = gen_user(session, "admin")
    supplier = gen_supplier(session, name_zh="状态变更有限公司", status="qualified")
    session.commit()
    login(client, admin.email)
    page = client.get(f"/suppliers/{supplier.id}")
    response = client.post(f"/suppliers/{supplier.id}/status", data={
        "csrf_token": csrf_token(page.text), "status": "conditional", "reason": "年度评价有条件合格",
        "effective_on": clock.today().isoformat()})
    assert response.status_code == 302
    trail = client.get(f"/audit-log/?supplier_id={supplier.id}").text
    assert "变更供应商状态" in trail and "状态</span>: 合格 → 有条件合格" in trail
    assert f"生效日期</span>: {clock.today().isoformat()}<" in trail and "年度评价有条件合格" in trail
    assert "限期整改" not in trail
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "status"))
    assert entry.changes == {"status": ["qualified", "conditional"], "effective_on": clock.today().isoformat()}


def test_imported_pledges_read_in_words(client, session):
    supplier = gen_supplier(session, name_zh="证据导入有限公司")
    cq = gen_organisation(session, "CQ", name_zh="重庆公司")
    buyer = gen_user(session, "procurement", name="采购员王")
    session.commit()
    text = ("统一社会信用代码,承诺书类型,签署人,签署日期,组织\r\n"
            f"{supplier.credit_code},廉洁承诺书,王伟,2024-01-02,CQ\r\n")
    plan, saved = evidence_import.import_file(session, "pledges", "承诺书.csv", text.encode("utf-8"), buyer, TODAY)
    assert not plan.errors and saved == 1
    session.commit()
    auditor = gen_user(session, "auditor")
    session.commit()
    login(client, auditor.email)
    page = client.get("/audit-log/").text
    assert "导入证据资料" in page and "资料类型</span>: 廉洁承诺书" not in page
    assert "资料类型</span>: 承诺书" in page
    assert "签署人</span>: — → 王伟" in page and "签署方式</span>: — → 纸质原件" in page
    assert "录入人</span>: — → 采购员王" in page and f"组织</span>: — → {cq.name_zh}" in page
    assert "承诺书类型</span>: — → 廉洁承诺书" in page and "创建廉洁承诺" in page
    labels = _labels_shown(page)
    for key in IMPORT_KEYS:
        assert key not in labels, key
    assert "paper" not in page.split("<tbody>", 1)[1]


def test_names_are_looked_up_once_per_page_not_once_per_entry(client, session):
    admin = gen_user(session, "admin")
    supplier = gen_supplier(session, name_zh="批量查名有限公司")
    organisations = [gen_organisation(session, f"ORG{n}", name_zh=f"第{n}分公司") for n in range(30)]
    session.commit()

    def write(entries: int) -> None:
        for n in range(entries):
            audit.record(session, admin, "create", "supplier_relationship", n + 1,
                         {"organisation_id": [None, organisations[n % 30].id], "buyer_id": [None, admin.id],
                          "category_codes": [None, ["equipment"]], "province_code": [None, "440000"]},
                         supplier_id=supplier.id)
        session.commit()

    login(client, admin.email)
    engine = session.get_bind()
    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        counted.append(statement)

    write(3)
    event.listen(engine, "before_cursor_execute", count)
    try:
        few = client.get("/audit-log/?type=supplier_relationship").text
        queries_few = len(counted)
        write(60)
        counted.clear()
        many = client.get("/audit-log/?type=supplier_relationship").text
        queries_many = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "第29分公司" in many and "第0分公司" in few and "广东省" in many and "admin" in many
    assert 0 < queries_many == queries_few  # 63 entries cost the queries of 3


def test_questionnaires_and_schemes_by_name_region_notes_and_generated_notes_in_words(client, session):
    """A campaign's questionnaire and an evaluation's scheme by their names, a region risk's region by its name,
    the notes the app writes in English in the reader's language; the stored entries keep keys and notes."""
    from supplychain.models import Questionnaire
    from supplychain.services.evaluation import schemes

    schemes.ensure_defaults(session)
    session.add(Questionnaire(code="esg", version=1, title_zh="供应商 ESG 自评问卷",
                              title_en="Supplier ESG self-assessment", status="published"))
    admin = gen_user(session, "admin")
    supplier = gen_supplier(session, name_zh="黑名单有限公司")
    session.commit()
    audit.record(session, admin, "create", "campaign", 1, {"title": [None, "2026 年度问卷"],
                                                           "questionnaire": [None, "esg v1"]})
    audit.record(session, admin, "invite", "campaign", 1, {"invited": [None, 3]}, note="job #1")
    audit.record(session, admin, "create", "evaluation", 1, {"kind": [None, "periodic"],
                                                             "scheme": [None, "periodic.default v1"]},
                 supplier_id=supplier.id)
    audit.record(session, admin, "create", "region_risk", None, {"area": [None, "overseas"],
                                                                 "level": [None, "medium"]}, note="overseas")
    audit.record(session, admin, "status", "supplier", supplier.id, {"status": ["qualified", "blacklisted"]},
                 supplier_id=supplier.id, note="Blacklist entry #2: bid rigging")
    audit.record(session, admin, "status", "supplier", supplier.id, {"status": ["blacklisted", "suspended"]},
                 supplier_id=supplier.id, note="Blacklist entry #2 lifted: 已整改")
    session.commit()
    login(client, admin.email)

    page = client.get("/audit-log/").text
    assert "问卷</span>: — → 供应商 ESG 自评问卷 v1" in page and "esg v1" not in page
    assert "periodic.default" not in page and "方案</span>: — → 供应商" in page
    assert "由后台任务 #1 发送" in page and "job #" not in page
    assert "黑名单记录 #2：串通投标" in page or "黑名单记录 #2：" in page
    assert "bid rigging" not in page and "黑名单记录 #2 已解除：已整改" in page
    assert ">overseas<" not in page and "级别</span>: — → 中风险" in page
    english = client.get("/audit-log/", headers=EN).text
    assert "Questionnaire</span>: — → Supplier ESG self-assessment v1" in english
    assert "Sent by background job #1" in english and "Blacklist entry #2: Bid rigging" in english
    assert "Level</span>: — → Medium risk" in english and "Status</span>: Qualified → Blacklisted" in english
    assert ">overseas<" not in english
    hant = client.get("/audit-log/", headers=HANT).text
    assert "供應商 ESG 自評問卷 v1" in hant and "由後台任務 #1 發送" in hant

    stored = {entry.action + "/" + entry.entity_type: entry for entry in session.scalars(select(AuditEntry))}
    assert stored["create/campaign"].changes["questionnaire"] == [None, "esg v1"]
    assert stored["invite/campaign"].note == "job #1"


def test_the_filter_drop_downs_list_each_label_once(client, session):
    import re

    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    for headers in ({}, EN, HANT):
        page = client.get("/audit-log/", headers=headers).text
        for name in ("type", "action"):
            select_html = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
            labels = re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>", select_html)
            assert len(labels) > 10 and len(labels) == len(set(labels)), (headers, name, labels)


def test_one_filter_option_finds_the_entries_of_both_keys_of_one_meaning(client, session):
    """`approve` and `approved` read the same: the drop-down offers the meaning once, and choosing it lists the
    entries recorded under either key (and no other)."""
    admin = gen_user(session, "admin")
    supplier = gen_supplier(session)
    older = audit.record(session, admin, "approved", "evaluation", 1, {}, supplier_id=supplier.id)
    newer = audit.record(session, admin, "approve", "evaluation", 2, {}, supplier_id=supplier.id)
    other = audit.record(session, admin, "reject", "evaluation", 3, {}, supplier_id=supplier.id)
    session.commit()
    login(client, admin.email)
    page = client.get("/audit-log/", headers=EN).text
    assert 'value="approve"' in page and 'value="approved"' not in page
    found = client.get("/audit-log/?action=approve", headers=EN).text
    assert f'data-audit-entry="{older.id}"' in found and f'data-audit-entry="{newer.id}"' in found
    assert f'data-audit-entry="{other.id}"' not in found
