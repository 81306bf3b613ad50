"""Import pages (upload → preview → confirm, CSRF on, real login) and `flask suppliers import`."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from supplychain.models import Supplier
from supplychain.services.imports import importer
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}
URL = "/suppliers/import/"
COLUMNS = importer.COLUMNS + importer.OPTIONAL_COLUMNS
_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def _row(n: int, **values) -> dict:
    row = {"name_zh": f"重庆网页导入有限公司{n}", "name_en": "", "credit_code": gen_credit_code(),
           "country": "CN", "province": "重庆", "city": "重庆", "address": "", "categories": "设备",
           "contact_name": "王伟", "contact_phone": "13800000000", "contact_email": f"w{n}@example.cn",
           "registered_on": "2020-01-15"}
    row.update(values)
    return row


def _csv(rows: list[dict], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


def _logged_in(client, session, role="procurement", **kwargs):
    user = gen_user(session, role, **kwargs)
    gen_category(session, "equipment", "设备", "Equipment")
    gen_category(session, "components", "零部件", "Components and parts")
    session.commit()
    assert login(client, user.email).status_code == 302
    return user


def _upload(client, data: bytes, filename: str = "suppliers.csv", headers=None):
    page = client.get(URL, headers=headers)
    return client.post(URL, data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers=headers)


def _confirm(client, preview_html: str, token: str | None = None, headers=None):
    token = token if token is not None else _TOKEN.search(preview_html).group(1)
    return client.post(URL + "confirm", data={"csrf_token": csrf_token(preview_html), "token": token},
                       headers=headers)


@pytest.fixture(autouse=True)
def _empty_staging(app):
    """Each test starts without files left waiting by another."""
    folder = Path(app.instance_path) / "import_staging"
    if folder.exists():
        shutil.rmtree(folder)


def _staged(app) -> list[Path]:
    folder = Path(app.instance_path) / "import_staging"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_preview_then_confirm(app, client, session):
    _logged_in(client, session)
    page = client.get(URL)
    assert page.status_code == 200 and "批量导入供应商" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    rows = [_row(1), _row(2, province="Sichuan", credit_code=gen_credit_code("510000"), categories="设备;components"),
            _row(3, registered_on="")]
    preview = _upload(client, _csv(rows, "utf-8-sig"))
    assert preview.status_code == 200
    assert "重庆网页导入有限公司2" in preview.text and "新增" in preview.text and "文件无误" in preview.text
    assert _count(session) == 0  # nothing until confirmed
    assert len(_staged(app)) == 2  # the file and its owner
    done = _confirm(client, preview.text)
    assert done.status_code == 302 and done.headers["Location"].endswith("/suppliers/")
    assert _count(session) == 3
    supplier = session.scalar(select(Supplier).where(Supplier.credit_code == rows[1]["credit_code"]))
    assert supplier.province_code == "510000"
    assert [c.code for c in supplier.categories] == ["components", "equipment"]
    listing = client.get("/suppliers/")
    assert "已导入 3 行：新增供应商 3 家" in listing.text and "重庆网页导入有限公司3" in listing.text
    assert _staged(app) == []

    again = _upload(client, _csv(rows))
    assert "新增供应商 0 家；3 家已存在，均无变化。" in again.text  # item 7 of the acceptance: said plainly
    _confirm(client, again.text)
    assert _count(session) == 3  # the same file again: updates, no duplicates


def test_every_bad_row_is_listed_in_the_users_language_and_nothing_is_saved(app, client, session):
    _logged_in(client, session)
    rows = [_row(1), _row(2, province="California"), _row(3, credit_code="91500000ABC", contact_email="x@")]
    preview = _upload(client, _csv(rows), headers=EN)
    assert preview.status_code == 200
    text = preview.text
    assert "3 problems on 2 of 3 rows" in text
    table = text[text.index('id="import-errors"'):]
    # Each column as the file names it, with its label where they differ (this file's headers are the field names).
    for line, column, message in ((3, "Province", "Unknown province: California."),
                                  (4, "credit_code (Credit code)", "A Unified Social Credit Code has 18 characters."),
                                  (4, "contact_email (E-mail)", "Not a valid e-mail address: x@.")):
        assert re.search(rf"<td>{line}</td><td>{re.escape(column)}</td>\s*<td>{re.escape(message)}", table)
    assert "/suppliers/import/confirm" not in text
    assert _staged(app) == [] and _count(session) == 0

    chinese = _upload(client, _csv(rows))
    assert "未知的省份：California。" in chinese.text and "统一社会信用代码" in chinese.text


def test_long_files_show_the_first_rows_and_errors_with_the_counts(client, session, monkeypatch):
    from supplychain.views import supplier_import

    monkeypatch.setattr(supplier_import, "PREVIEW_ROWS", 2)
    monkeypatch.setattr(supplier_import, "PREVIEW_ERRORS", 2)
    _logged_in(client, session)
    good = _upload(client, _csv([_row(n) for n in range(5)]), headers=EN).text
    assert "(the first 2 of 5)" in good and good.count('<span class="badge text-bg-success">New</span>') == 2
    bad = _upload(client, _csv([_row(n, province="Atlantis") for n in range(3)]), headers=EN).text
    assert "3 problems on 3 of 3 rows" in bad and bad.count("Unknown province: Atlantis.") == 2
    assert "Only the first 2 of 3 are shown." in bad


UNREADABLE = (
    ("empty.csv", b"", "The file is empty."),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "This is not a readable XLSX spreadsheet."),
    ("renamed.xlsx", b"name_zh\nfoo\n", "This is not a readable XLSX spreadsheet."),
    ("few.csv", "country,city\nCN,重庆\n".encode(), "No column names the supplier"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "Old Excel files (.xls) are not supported."),
)


def test_files_that_cannot_be_read_get_a_clear_message(client, session):
    _logged_in(client, session)
    for filename, data, message in UNREADABLE:
        response = _upload(client, data, filename, headers=EN)
        assert response.status_code == 200 and message in response.text, filename
        assert "/suppliers/import/confirm" not in response.text


def test_a_gbk_csv_is_imported(client, session):
    _logged_in(client, session)
    preview = _upload(client, _csv([_row(1, city="涪陵")], "gbk"))
    assert "重庆网页导入有限公司1" in preview.text
    _confirm(client, preview.text)
    assert session.scalar(select(Supplier.city)) == "涪陵"


def test_a_file_over_the_upload_limit(app, client, session, monkeypatch):
    _logged_in(client, session)
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    big = _csv([_row(1)]) + b"x" * (1024 * 1024 + 10)
    response = _upload(client, big, headers=EN)
    assert response.status_code == 200 and "The file is larger than 1 MB." in response.text
    huge = b"x" * (3 * 1024 * 1024)
    response = _upload(client, huge, headers=EN)
    assert response.status_code == 413 and "The file is larger than 1 MB." in response.text
    assert _count(session) == 0


def test_confirm_checks_again_because_the_registry_may_have_changed(client, session):
    _logged_in(client, session)
    preview = _upload(client, _csv([_row(1), _row(2)]), headers=EN)
    gen_supplier(session, name_zh="重庆网页导入有限公司2")  # registered by someone else meanwhile
    session.commit()
    response = _confirm(client, preview.text, headers=EN)
    assert response.status_code == 200
    assert "The registry changed since the check" in response.text
    assert "A supplier with this name exists: 重庆网页导入有限公司2." in response.text
    assert _count(session) == 1


def test_a_staged_file_is_confirmed_once_and_only_by_its_owner(app, client, session):
    _logged_in(client, session)
    preview = _upload(client, _csv([_row(1)]))
    token = _TOKEN.search(preview.text).group(1)

    other = app.test_client()
    other_user = gen_user(session, "admin")
    session.commit()
    login(other, other_user.email)
    page = other.get(URL)
    refused = other.post(URL + "confirm", data={"csrf_token": csrf_token(page.text), "token": token})
    assert refused.status_code == 302 and _count(session) == 0
    assert len(_staged(app)) == 2  # still waiting for its owner

    for bad in ("../../etc/passwd", "short", "x" * 65, ""):
        assert _confirm(client, preview.text, token=bad).status_code == 302
    assert _confirm(client, preview.text).status_code == 302
    assert _count(session) == 1
    second = _confirm(client, preview.text, headers=EN)
    assert second.status_code == 302
    assert "expired or was already imported" in client.get(URL, headers=EN).text
    assert _count(session) == 1


def test_without_csrf_token_nothing_happens(client, session):
    _logged_in(client, session)
    response = client.post(URL, data={"file": (io.BytesIO(_csv([_row(1)])), "s.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and _count(session) == 0


def test_the_example_file_can_be_imported_as_it_is(client, session):
    _logged_in(client, session)
    template = client.get(URL + "template.csv")
    assert template.status_code == 200 and template.data.startswith(b"\xef\xbb\xbf")
    assert template.data.decode("utf-8-sig").splitlines()[0] == ",".join(
        importer.COLUMNS + ("registered_on", "supplier_type", "legal_representative"))
    preview = _upload(client, template.data, "template.csv")
    assert "文件无误" in preview.text, preview.text


def test_the_import_entry_points_show_for_editors_only(client, session):
    _logged_in(client, session, "reviewer")
    assert "/suppliers/import/" not in client.get("/suppliers/").text
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    _logged_in(client, session, "procurement")
    listing = client.get("/suppliers/").text
    assert listing.count('href="/suppliers/import/"') == 2  # the menu and the button next to "Register"


# --------------------------------------------------------------------------
# flask suppliers import FILE [--dry-run] [--lang zh|en]
# --------------------------------------------------------------------------


@pytest.fixture
def categories(session):
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()


def test_cli_dry_run_lists_each_change_by_its_field_name(app, session, categories, tmp_path):
    row = _row(1)
    path = tmp_path / "base.csv"
    path.write_bytes(_csv([row]))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["suppliers", "import", str(path)]).exit_code == 0
    path.write_bytes(_csv([{**row, "city": "万州"}]))
    english = runner.invoke(args=["suppliers", "import", str(path), "--dry-run", "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert "line 2: City: '重庆' -> '万州'" in english.output
    chinese = runner.invoke(args=["suppliers", "import", str(path), "--dry-run"])
    assert "line 2: 城市: '重庆' -> '万州'" in chinese.output
    session.expire_all()
    assert session.scalar(select(Supplier.city)) == "重庆"  # a dry run saves nothing


def test_cli_reports_every_bad_row_and_saves_nothing(app, session, categories, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv([_row(1), _row(2, province="California"), _row(3, categories="火箭")]))
    result = app.test_cli_runner().invoke(args=["suppliers", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3: province (省份): 未知的省份：California。" in result.output
    assert "line 4: categories (类别): 未知的供应类别：火箭。" in result.output
    assert "未保存任何数据" in result.output
    english = app.test_cli_runner().invoke(args=["suppliers", "import", str(path), "--lang", "en"])
    assert english.exit_code == 1
    assert "line 3: Province: Unknown province: California." in english.output
    assert "2 errors on 2 lines: nothing was saved." in english.output
    assert _count(session) == 0


def test_cli_dry_run_then_import_then_again(app, session, categories, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(_csv([_row(1), _row(2)]))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["suppliers", "import", str(path), "--dry-run", "--lang", "en"])
    assert dry.exit_code == 0 and "2 new suppliers" in dry.output and "dry run" in dry.output
    assert _count(session) == 0
    done = runner.invoke(args=["suppliers", "import", str(path), "--lang", "en"])
    assert done.exit_code == 0 and "Imported 2 rows: 2 new suppliers" in done.output
    again = runner.invoke(args=["suppliers", "import", str(path)])
    assert again.exit_code == 0 and "2 家无变化" in again.output
    assert _count(session) == 2


def test_cli_refuses_a_file_that_is_not_a_spreadsheet(app, session, tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    result = app.test_cli_runner().invoke(args=["suppliers", "import", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "This is not a readable XLSX spreadsheet." in result.output


def test_cli_shows_a_progress_bar_for_a_long_file_only(app, session, categories, tmp_path):
    """Issue 15, item 9: a long import shows its progress in the CLI as in the web; a short one stays quiet."""
    runner = app.test_cli_runner()
    short = tmp_path / "short.csv"
    short.write_bytes(_csv([_row(1)]))
    quiet = runner.invoke(args=["suppliers", "import", str(short)])
    assert quiet.exit_code == 0 and "正在保存" not in quiet.stderr
    long = tmp_path / "long.csv"
    long.write_bytes(_csv([_row(n) for n in range(2, 1202)]))
    shown = runner.invoke(args=["suppliers", "import", str(long)])
    assert shown.exit_code == 0, shown.output
    assert "正在保存" in shown.stderr  # the bar's label (a terminal also draws the bar)
    assert _count(session) == 1201
