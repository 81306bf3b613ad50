"""Screening results uploaded on the web (/screening/import): procurement and admins only, the user's scope,
all or nothing with every bad row at once in the user's language, size and content checked, audited."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from supplychain.models import AuditEntry
from supplychain.models.screening import ScreeningResult
from supplychain.views.evidence_support import store
from tests.evaluation_factories import TODAY
from tests.evidence_factories import PNG
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

DAY = (TODAY - timedelta(days=5)).isoformat()
HEADER = "credit_code,list_code,checked_on,result,source_reference\n"


def _count(session) -> int:
    return session.scalar(select(func.count(ScreeningResult.id)))


def _upload(client, content: bytes, filename="筛查结果.csv", language="en", **fields):
    page = client.get("/screening/import", headers={"Accept-Language": language})
    data = {"csrf_token": csrf_token(page.text), "file": (io.BytesIO(content), filename), **fields}
    return client.post("/screening/import", data=data, content_type="multipart/form-data",
                       headers={"Accept-Language": language})


def _buyer_of(client, session, organisation):
    buyer = gen_user(session, "procurement", organisation=organisation)
    session.commit()
    login(client, buyer.email)
    return buyer


def test_a_good_file_is_saved_and_audited(client, session):
    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    buyer = _buyer_of(client, session, root)
    text = HEADER + f"{supplier.credit_code},judgment_debtor,{DAY},listed,中国执行信息公开网 (2026)渝0105执1234号\n"
    checked = _upload(client, text.encode(), dry_run="y")
    assert 'data-import="checked"' in checked.text and _count(session) == 0
    saved = _upload(client, text.encode())
    assert saved.status_code == 200 and 'data-import="saved"' in saved.text
    assert "Imported 1 records from 1 rows." in saved.text
    assert session.scalar(select(ScreeningResult.result)) == "listed"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "screening_import"))
    assert entry is not None and entry.actor_id == buyer.id
    page = client.get(f"/suppliers/{supplier.id}", headers={"Accept-Language": "en"}).text
    assert "中国执行信息公开网" in page


def test_every_bad_row_is_shown_at_once_in_chinese_and_nothing_is_saved(client, session):
    gen_root(session)
    mine, theirs = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    ours = gen_supplier(session, organisation=mine)
    other = gen_supplier(session, organisation=theirs)
    _buyer_of(client, session, mine)
    text = (HEADER + f"{ours.credit_code},judgment_debtor,{DAY},clear,\n"
            f"{ours.credit_code},credit_china,{DAY},clear,\n"
            f"{other.credit_code},judgment_debtor,{DAY},clear,\n"
            f"{ours.credit_code},wage_arrears,2026-13-45,clear,\n")
    page = _upload(client, text.encode(), language="zh-CN")
    assert page.status_code == 200 and 'data-import="refused"' in page.text
    assert "未保存" in page.text
    rows = page.text.split('id="import-errors"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + 3  # the header and the three bad rows
    assert "credit_china" in rows and other.credit_code in rows and "2026-13-45" in rows
    assert _count(session) == 0


def test_a_file_too_large_or_not_a_spreadsheet_is_refused(client, session, app):
    root = gen_root(session)
    _buyer_of(client, session, root)
    picture = _upload(client, PNG, filename="photo.csv")
    assert picture.status_code == 200 and 'data-import="refused"' in picture.text
    fake_xlsx = _upload(client, b"PK\x03\x04 broken", filename="results.xlsx")
    assert "not a readable XLSX spreadsheet" in fake_xlsx.text
    with app.test_request_context():
        limit = store().max_bytes
    huge = _upload(client, HEADER.encode() + b"x" * (limit + 10))
    assert huge.status_code == 200 and "larger than" in huge.text
    assert _count(session) == 0


def test_only_procurement_and_admins_may_import(client, session):
    root = gen_root(session)
    auditor = gen_user(session, "auditor", organisation=root)
    session.commit()
    login(client, auditor.email)
    assert client.get("/screening/import").status_code == 403
