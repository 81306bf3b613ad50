"""Issue 15 in the web and the CLI: the mapping step remembered per template, picking another encoding,
warnings to accept, changes listed, migration for admins only, large files as a background job."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from supplychain import jobs
from supplychain.models import AuditEntry, BackgroundJob, Supplier
from tests.factories import gen_category, gen_credit_code, gen_supplier
from tests.web.helpers import csrf_token
from tests.web.supplier_import_support import EN, TOKEN, URL, empty_staging, logged_in, upload  # noqa: F401


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


def _upload(client, data: bytes, filename: str = "s.csv", headers=EN, **fields):
    return upload(client, data, headers, filename, **fields)


def _token(html: str) -> str:
    return TOKEN.search(html).group(1)


def _recheck(client, preview: str, headers=EN, **fields):
    return client.post(URL + "recheck", data={"csrf_token": csrf_token(preview), "token": _token(preview),
                                              **fields}, headers=headers)


def _confirm(client, preview: str, headers=EN, **fields):
    return client.post(URL + "confirm", data={"csrf_token": csrf_token(preview), "token": _token(preview),
                                              **fields}, headers=headers)


def test_unrecognised_columns_are_mapped_once_and_remembered_per_template(client, session):
    logged_in(client, session)
    data = f"厂商名,统一社会信用代码,省份,采购员\r\n映射网页有限公司,{gen_credit_code()},重庆,张三\r\n".encode()
    preview = _upload(client, data).text
    assert "No column names the supplier" in preview
    assert 'name="map-厂商名"' in preview and 'name="map-采购员"' in preview
    mapped = _recheck(client, preview, **{"map-厂商名": "name_zh", "map-采购员": "", "template": "平台甲"}).text
    assert "The file is correct: 1 rows, 1 new suppliers" in mapped
    assert "The mapping is remembered as template 平台甲." in mapped
    # The next file from the same platform: choose the template, no mapping step.
    again = _upload(client, data, template="平台甲").text
    assert "The file is correct: 1 rows" in again
    assert _confirm(client, again).status_code == 302
    assert session.scalar(select(Supplier.name_zh)) == "映射网页有限公司"


def test_an_uncertain_encoding_is_named_and_another_can_be_picked(client, session):
    logged_in(client, session)
    data = "name_zh,country\r\n陳記,DE\r\n".encode("big5")  # two characters: too few to be sure
    preview = _upload(client, data).text
    assert "Read as" in preview and "The encoding is a guess" in preview
    big5 = _recheck(client, preview, encoding="big5hkscs").text
    assert "Read as Big5 (HKSCS)." in big5 and "The encoding is a guess" not in big5 and "陳記" in big5
    assert _confirm(client, big5).status_code == 302
    assert session.scalar(select(Supplier.name_zh)) == "陳記"


def test_a_big5_export_is_read_right_in_the_web(client, session):
    logged_in(client, session)
    data = ("供應商名稱,國家,聯絡人\r\n香港長江精密機械有限公司,香港特別行政區,陳大文\r\n").encode("big5")
    preview = _upload(client, data).text
    assert "香港長江精密機械有限公司" in preview and "The encoding is a guess" not in preview


def test_warnings_are_apart_from_errors_and_need_accepting(client, session):
    logged_in(client, session)
    data = f"供应商名称,统一社会信用代码,省份\r\n省份冲突有限公司,{gen_credit_code('440000')},四川\r\n".encode()
    preview = _upload(client, data).text
    assert 'id="import-warnings"' in preview and 'id="import-errors"' not in preview
    assert "differs from the credit code" in preview and 'name="accept_warnings"' in preview
    refused = _confirm(client, preview)
    assert refused.status_code == 200 and "tick the box to import anyway" in refused.text
    assert _count(session) == 0
    done = _confirm(client, refused.text, accept_warnings="y")
    assert done.status_code == 302 and _count(session) == 1


def test_the_preview_lists_field_old_and_new_value_and_empty_cells_keep(client, session):
    user = logged_in(client, session)
    supplier = gen_supplier(session, name_zh="网页保留有限公司", name_en="Keep", city="万州")
    session.commit()
    data = f"name_zh,name_en,credit_code,province,city\r\n网页保留有限公司,,{supplier.credit_code},重庆,涪陵\r\n"
    preview = _upload(client, data.encode()).text
    changes = preview[preview.index('id="import-changes"'):]
    changes = changes[:changes.index("</table>")]
    assert re.search(r"<td>City</td><td class=\"text-muted\">万州</td><td>涪陵</td>", changes)
    assert "Keep" not in changes  # the empty English name erases nothing
    assert _confirm(client, preview).status_code == 302
    stored = session.scalar(select(Supplier).where(Supplier.credit_code == supplier.credit_code))
    assert (stored.name_en, stored.city) == ("Keep", "涪陵")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.actor_id == user.id and entry.changes["city"] == ["万州", "涪陵"]


def test_migration_is_for_admins_with_a_reason(client, session):
    data = f"供应商名称,统一社会信用代码,省份,状态\r\n迁移网页有限公司,{gen_credit_code()},重庆,合格\r\n".encode()
    logged_in(client, session, "procurement")
    assert 'name="migration"' not in client.get(URL).text
    refused = _upload(client, data, migration="y", reason="ERP")
    assert refused.status_code == 403
    assert "Only an administrator can migrate an existing supply base." in refused.text
    without = _upload(client, data).text
    assert "A status can only be brought over in a migration" in without
    assert _count(session) == 0


def test_an_admin_migrates_statuses_and_the_dashboard_counts_them(client, session):
    logged_in(client, session, "admin")
    assert 'name="migration"' in client.get(URL).text
    data = f"供应商名称,统一社会信用代码,省份,状态\r\n迁移网页有限公司,{gen_credit_code()},重庆,合格\r\n".encode()
    no_reason = _upload(client, data, migration="y")
    assert "Give the reason for the migration" in no_reason.text
    preview = _upload(client, data, migration="y", reason="ERP 2025 合格名录").text
    assert "Migration of an existing supply base. Reason: ERP 2025 合格名录" in preview
    done = _confirm(client, preview)
    assert done.status_code == 302
    supplier = session.scalar(select(Supplier))
    assert supplier.status == "qualified"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "status"))
    assert entry.note.startswith("migration: ERP 2025 合格名录")
    home = client.get("/", headers=EN).text
    # The migrated supplier is in the supply chain at once: the dashboard counts it in its region (Chongqing).
    assert re.search(r'data-region="southwest">[^<]*?\b1</a>', home)


def test_a_large_file_is_checked_and_saved_by_background_jobs_with_progress(app, client, session, monkeypatch):
    logged_in(client, session)
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    rows = "".join(f"后台导入{n}有限公司,{gen_credit_code()},重庆\r\n" for n in range(5))
    checking = _upload(client, ("供应商名称,统一社会信用代码,省份\r\n" + rows).encode())
    # Even the check runs in the background: the request only stages the file.
    assert checking.status_code == 302 and "/suppliers/import/jobs/" in checking.headers["Location"]
    check_id = int(checking.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert jobs.wait(check_id, 60)
    preview = client.get(checking.headers["Location"], headers=EN).text
    assert "The file is correct: 5 rows, 5 new suppliers" in preview and "5 of 5 rows checked" in preview
    assert "saved in the background" in preview and _count(session) == 0
    assert 'action="/suppliers/import/confirm"' in preview
    started = _confirm(client, preview)
    assert started.status_code == 302 and "/suppliers/import/jobs/" in started.headers["Location"]
    job_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert jobs.wait(job_id, 60)
    page = client.get(started.headers["Location"], headers=EN).text
    assert "Imported 5 rows: 5 new suppliers" in page and "5 of 5 rows saved" in page
    session.expire_all()
    assert _count(session) == 5
    job = session.get(BackgroundJob, job_id)
    assert job.status == "finished" and job.progress_done == 5 and not list(Path(app.instance_path,
                                                                               "import_staging").glob("job-*"))


def test_cli_migration_needs_the_flag_and_a_reason(app, session, tmp_path):
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    path = tmp_path / "erp.csv"
    path.write_bytes(f"供应商名称,统一社会信用代码,省份,状态,状态日期\r\nCLI迁移有限公司,{gen_credit_code()},"
                     "重庆,合格,2024-01-01\r\n".encode("gbk"))
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["suppliers", "import", str(path), "--lang", "en"])
    assert plain.exit_code == 1 and "line 2: 状态 (Status): A status can only be brought over" in plain.output
    no_reason = runner.invoke(args=["suppliers", "import", str(path), "--migration", "--lang", "en"])
    assert no_reason.exit_code == 1 and "Give the reason for the migration" in no_reason.output
    done = runner.invoke(args=["suppliers", "import", str(path), "--migration", "--reason", "ERP", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "1 statuses brought over" in done.output and "Read as GB18030 / GBK." in done.output
    supplier = session.scalar(select(Supplier))
    assert supplier.status == "qualified" and str(supplier.status_since) == "2024-01-01"


def test_cli_warnings_need_accepting(app, session, tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(f"供应商名称,统一社会信用代码,省份\r\nCLI冲突有限公司,{gen_credit_code('440000')},四川\r\n".encode())
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["suppliers", "import", str(path), "--lang", "en"])
    assert refused.exit_code == 1 and "--accept-warnings" in refused.output and _count(session) == 0
    done = runner.invoke(args=["suppliers", "import", str(path), "--accept-warnings", "--lang", "en"])
    assert done.exit_code == 0 and _count(session) == 1


def test_a_large_file_with_errors_lists_them_on_the_check_page(app, client, session, monkeypatch):
    logged_in(client, session)
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    rows = "".join(f"后台错误{n}有限公司,{gen_credit_code()},Atlantis\r\n" for n in range(4))
    checking = _upload(client, ("供应商名称,统一社会信用代码,省份\r\n" + rows).encode())
    check_id = int(checking.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert jobs.wait(check_id, 60)
    page = client.get(checking.headers["Location"], headers=EN).text
    assert "4 problems on 4 of 4 rows" in page and "Unknown province: Atlantis." in page
    assert "/suppliers/import/confirm" not in page and _count(session) == 0
