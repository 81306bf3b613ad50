"""Every list page exports what it shows, with its filters, to XLSX and CSV (issue 13, build 3)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from supplychain.models import AuditEntry
from supplychain.services.core import audit
from supplychain.services.daily_work import list_exports as list_exports_service
from supplychain.services.registry import suppliers as supplier_service
from tests.evidence_factories import gen_action, gen_certificate, gen_incident
from tests.factories import gen_credit_code, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import login, post_form


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv_rows(response) -> list[list]:
    assert response.status_code == 200, response.text[:500]
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


@pytest.fixture
def buyer(session, client):
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    return user


def test_supplier_export_follows_the_list_filters(session, client, buyer):
    gen_supplier(session, name_zh="重庆同力机械有限公司", name_en="Tongli")
    gen_supplier(session, name_zh="上海别家有限公司", name_en="Other", province="310000", city="上海")
    session.commit()
    rows = _xlsx_rows(client.get("/exports/suppliers.xlsx?q=同力"))
    assert rows[0][:4] == ["编号", "中文名称", "英文名称", "信用代码"]
    assert [r[1] for r in rows[1:]] == ["重庆同力机械有限公司"]
    assert rows[1][4] == "西南" and rows[1][8] == "已登记"
    assert (rows[0][10], rows[1][10]) == ("供应商类型", "生产商")
    rows = _csv_rows(client.get("/exports/suppliers.csv?region=east"))
    assert [r[1] for r in rows[1:]] == ["上海别家有限公司"]


def test_export_is_in_the_readers_language_and_named_by_it(session, client, buyer):
    gen_supplier(session, name_zh="重庆同力机械有限公司")
    session.commit()
    zh = client.get("/exports/suppliers.csv")
    assert _csv_rows(zh)[0][:3] == ["编号", "中文名称", "英文名称"]
    post_form(client, "/language/en", {"next": "/suppliers/"}, page_url="/suppliers/")
    en = client.get("/exports/suppliers.csv")
    assert _csv_rows(en)[0][:3] == ["No.", "Chinese name", "English name"]
    assert _csv_rows(en)[1][4] == "Southwest"
    assert "suppliers-zh-" in zh.headers["Content-Disposition"]
    assert "suppliers-en-" in en.headers["Content-Disposition"]


def test_text_that_looks_like_a_formula_stays_text(session, client, buyer):
    # Forms and imports refuse such names now; rows stored before that (or by a direct database write) remain.
    supplier = gen_supplier(session, name_zh="公式测试有限公司")
    supplier.name_en, supplier.city = "=HYPERLINK(\"http://evil\")", "@SUM(A1)"
    session.commit()
    rows = _xlsx_rows(client.get("/exports/suppliers.xlsx"))
    assert rows[1][2] == "'=HYPERLINK(\"http://evil\")" and rows[1][6] == "'@SUM(A1)"
    rows = _csv_rows(client.get("/exports/suppliers.csv"))
    assert rows[1][2].startswith("'=") and rows[1][6] == "'@SUM(A1)"


def test_every_list_exports_in_both_formats(session, client, buyer):
    from datetime import date, timedelta

    supplier = gen_supplier(session, status="qualified", name_zh="导出样本有限公司")
    gen_certificate(session, supplier, expires_on=date.today() + timedelta(days=10))
    incident = gen_incident(session, supplier)
    gen_action(session, supplier, incident)
    session.commit()
    for name, text in [("certificates", "导出样本有限公司"), ("incidents", "导出样本有限公司"),
                       ("corrective-actions", "导出样本有限公司"), ("missing-pledges", None),
                       ("evaluations", None)]:
        rows = _xlsx_rows(client.get(f"/exports/{name}.xlsx"))
        assert rows and all(isinstance(h, str) and h for h in rows[0]), name
        if text:
            assert any(text in row for row in rows[1:]), (name, rows)
        assert _csv_rows(client.get(f"/exports/{name}.csv"))[0] == rows[0]


def test_incident_export_keeps_the_severity_filter(session, client, buyer):
    supplier = gen_supplier(session, name_zh="事故导出有限公司")
    gen_incident(session, supplier, severity="minor").description = "小事"
    gen_incident(session, supplier, severity="critical").description = "大事"
    session.commit()
    rows = _csv_rows(client.get("/exports/incidents.csv?severity=critical"))
    assert [r[5] for r in rows[1:]] == ["大事"]


def test_list_pages_link_their_export_with_the_filters(session, client, buyer):
    page = client.get("/suppliers/?q=同力&status=qualified")
    assert "/exports/suppliers.xlsx?" in page.text and "q=%E5%90%8C%E5%8A%9B" in page.text
    assert "/exports/incidents.csv" in client.get("/incidents/?severity=major").text
    assert "/exports/corrective-actions.xlsx?status=overdue" in client.get("/corrective-actions/overdue").text


def test_unknown_list_or_format_is_not_found(client, buyer):
    assert client.get("/exports/nothing.xlsx").status_code == 404
    assert client.get("/exports/suppliers.pdf").status_code == 404


def test_audit_log_is_for_admins_and_auditors(session, client):
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    assert client.get("/exports/audit-log.csv").status_code == 403
    assert client.get("/audit-log/").status_code == 403


def test_audit_log_reads_in_words_and_exports(session, client):
    auditor = gen_user(session, "auditor")
    supplier = gen_supplier(session, name_zh="审计日志有限公司")
    supplier_service.change_status(session, supplier, "qualified", "年度评审合格", auditor)
    audit.record(session, auditor, "screening", "integrity_screening", 1,
                 {"on_dishonest_list": [None, True], "checked_on": [None, "2026-11-24T16:30:00+00:00"]},
                 supplier_id=supplier.id, note="列入严重违法失信名单（示例） / on the dishonest list (demo)")
    session.commit()
    login(client, auditor.email)
    page = client.get("/audit-log/").text
    assert "on_dishonest_list" not in page and "update supplier" not in page
    assert "列入严重违法失信名单" in page or "严重违法失信" in page
    assert "已登记" in page and "合格" in page
    assert "2026-11-25 00:30 +08:00" in page  # the report time zone, with its offset
    assert "∅" not in page and "True" not in page
    assert "列入严重违法失信名单（示例）" in page and "on the dishonest list (demo)" not in page
    rows = _xlsx_rows(client.get("/exports/audit-log.xlsx"))
    assert len(rows) == 1 + session.query(AuditEntry).count()
    assert "integrity_screening" not in str(rows) and "诚信筛查" in str(rows)


def test_audit_log_counts_up_to_its_cap_says_there_are_more_and_exports_everything(session, client, monkeypatch):
    monkeypatch.setattr(list_exports_service, "AUDIT_COUNT_CAP", 3)
    auditor = gen_user(session, "auditor")
    supplier = gen_supplier(session, name_zh="审计上限有限公司")
    for n in range(5):
        audit.record(session, auditor, "update", "supplier", supplier.id, {"city": [None, f"城{n}"]},
                     supplier_id=supplier.id)
    session.commit()
    login(client, auditor.email)
    page = client.get("/audit-log/?type=supplier&action=update").text
    assert "(3+)" in page and "符合条件的记录超过 3 条" in page
    assert "城4" in client.get("/audit-log/?type=supplier&action=update&page=9").text  # past the count: page 1
    exact = client.get("/audit-log/?type=user").text
    assert "(3+)" not in exact and "符合条件的记录超过" not in exact
    rows = _xlsx_rows(client.get("/exports/audit-log.xlsx?type=supplier&action=update"))
    assert len(rows) == 1 + 5  # the export is not capped
    # The drop-downs offer every kind of record the app audits, whether or not the log holds one yet.
    assert 'value="campaign"' in page and 'value="reissue"' in page


def test_local_supplier_export_is_local_to_the_buyers_organisation(session, client):
    # The Shanxi subsidiary's "local" is Shanxi, not the group's Chongqing: the export holds what the page's
    # "local" filter shows (it answered 500 when it still took the install's HOME_PROVINCE).
    sx = gen_organisation(session, "SX", home_province="140000")
    gen_supplier(session, name_zh="太原本地有限公司", province="140000", city="太原",
                 credit_code=gen_credit_code("140000"), organisation=sx)
    gen_supplier(session, name_zh="重庆同力机械有限公司", organisation=sx)
    gen_supplier(session, name_zh="太原别家有限公司", province="140000", city="太原",
                 credit_code=gen_credit_code("140000"))
    user = gen_user(session, "procurement", organisation=sx)
    session.commit()
    login(client, user.email)
    page = client.get("/suppliers/?local=1")
    assert "太原本地有限公司" in page.text and "重庆同力" not in page.text and "太原别家" not in page.text
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/exports/suppliers.{fmt}?local=1")
        rows = _xlsx_rows(response) if fmt == "xlsx" else _csv_rows(response)
        assert [r[1] for r in rows[1:]] == ["太原本地有限公司"]
