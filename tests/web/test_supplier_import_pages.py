"""The supplier import's pages as its users read them (acceptance of issue 15, round 15): the summary of a file of
suppliers already registered, the re-upload form that keeps the file's settings, every note and error reachable
when the page lists only the first ones, the columns named by their labels."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from sqlalchemy import func, select

from supplychain.models import Supplier
from supplychain.services.imports import import_mappings
from tests.factories import gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login
from tests.web.supplier_import_support import EN, TOKEN, URL, empty_staging, logged_in, upload  # noqa: F401

HK = {"Accept-Language": "zh-HK"}


def _confirm(client, preview: str, token: str | None = None):
    token = token if token is not None else TOKEN.search(preview).group(1)
    return client.post(URL + "confirm", data={"csrf_token": csrf_token(preview), "token": token})


class _FormValues(HTMLParser):
    """What a browser would send from one form of a page (its file field left out): text and hidden inputs,
    ticked boxes, the selected option of each select."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select, self.values = form_id, False, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("type") in ("text", "hidden", None) and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.values[attrs["name"]] = attrs.get("value") or "y"
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def _form_values(html: str, form_id: str) -> dict:
    parser = _FormValues(form_id)
    parser.feed(html)
    return parser.values


def test_a_file_of_registered_suppliers_says_how_many_exist_and_how_many_change(client, session):
    logged_in(client, session)
    first = gen_supplier(session, name_zh="已存在甲有限公司", city="万州")
    second = gen_supplier(session, name_zh="已存在乙有限公司", city="万州")
    session.commit()

    def file(city: str) -> bytes:
        return ("供应商名称,统一社会信用代码,城市\r\n" + "".join(
            f"{s.name_zh},{s.credit_code},{c}\r\n" for s, c in ((first, "万州"), (second, city)))
            + f"新来丙有限公司,{gen_credit_code()},重庆\r\n").encode()

    same = upload(client, file("万州")).text
    assert "文件无误：共 3 行，新增供应商 1 家；2 家已存在，均无变化。" in same and "0 条更新有改动" not in same
    changed = upload(client, file("涪陵")).text
    assert "文件无误：共 3 行，新增供应商 1 家；2 家已存在，其中 1 家有改动。" in changed
    assert ("The file is correct: 3 rows, 1 new suppliers; 2 already exist, 1 of them with changes."
            in upload(client, file("涪陵"), EN).text)
    assert "2 家已存在，其中 1 家有改動。" in upload(client, file("涪陵"), HK).text
    one = f"供应商名称,统一社会信用代码\r\n全新丁有限公司,{gen_credit_code()}\r\n"
    new_only = upload(client, one.encode(), EN).text
    assert "The file is correct: 1 rows, 1 new suppliers. Nothing is saved until you confirm." in new_only


def test_the_corrected_file_is_checked_with_the_settings_of_the_first(client, session):
    """The preview's upload form keeps the mapping, encoding, empty-cells choice, migration and its reason: sent
    as the page fills it, the corrected file is read as the first one was."""
    admin = logged_in(client, session, "admin")
    import_mappings.save(session, "suppliers", "集团名录", {"企业全称": "name_zh", "合格状态": "status"}, admin)
    session.commit()
    header = "企业全称,统一社会信用代码,省份,合格状态\r\n"
    bad = (header + f"迁移重传有限公司,{gen_credit_code()},亚特兰蒂斯,合格\r\n").encode("gbk")
    settings = {"template": "集团名录", "encoding": "gb18030", "blank_erases": "y", "migration": "y",
                "reason": "ERP 2025 合格名录"}
    preview = upload(client, bad, **settings).text
    assert "未知的省份：亚特兰蒂斯。" in preview
    form = preview[preview.index('id="reupload-form"'):]
    form = form[:form.index("</form>")]
    assert "上传修改后的文件" in form and 'name="file"' in form
    assert '<option selected value="集团名录">' in form and '<option selected value="gb18030">' in form
    assert re.search(r'name="reason"[^>]*value="ERP 2025 合格名录"', form)
    values = _form_values(preview, "reupload-form")
    assert {key: values.get(key) for key in settings} == settings
    fixed = (header + f"迁移重传有限公司,{gen_credit_code()},重庆,合格\r\n").encode("gbk")
    again = client.post(URL, data={**values, "file": (io.BytesIO(fixed), "s.csv")},
                        content_type="multipart/form-data").text
    assert "文件无误" in again and "迁移重传有限公司" in again
    assert "ERP 2025 合格名录" in again and "按 GB18030 / GBK 编码读取" in again
    assert _confirm(client, again).status_code == 302
    assert session.scalar(select(Supplier.status).where(Supplier.name_zh == "迁移重传有限公司")) == "qualified"


def test_a_buyer_s_reupload_form_has_no_migration(client, session):
    logged_in(client, session)
    preview = upload(client, f"供应商名称,统一社会信用代码,省份\r\n重传有限公司,{gen_credit_code()},火星\r\n".encode())
    form = preview.text[preview.text.index('id="reupload-form"'):]
    form = form[:form.index("</form>")]
    assert 'name="template"' in form and 'name="encoding"' in form and 'name="blank_erases"' in form
    assert 'name="migration"' not in form and 'name="reason"' not in form


def test_every_note_and_error_is_reachable_when_the_page_lists_only_the_first(app, client, session, monkeypatch):
    from supplychain.views import supplier_import

    monkeypatch.setattr(supplier_import, "PREVIEW_NOTES", 2)
    monkeypatch.setattr(supplier_import, "PREVIEW_ERRORS", 1)
    logged_in(client, session)
    rows = "".join(f"注释很多{n}有限公司,{gen_credit_code()},重庆\r\n" for n in range(2))
    footers = "合计,2家,\r\n备注：本表由系统导出,,\r\n合计,,\r\n"
    good = upload(client, ("供应商名称,统一社会信用代码,省份\r\n" + rows + footers).encode()).text
    notes = good[good.index('id="import-notes"'):]
    assert "说明 (3)" in notes and "仅显示前 2 条（共 3 条）。" in notes
    assert notes.count("已跳过：合计或备注行，不是供应商。") == 2
    link = re.search(r'href="(/suppliers/import/problems/[^"]+)" data-problems-csv>下载全部错误、警告和说明', notes)
    report = client.get(link.group(1))
    assert report.status_code == 200 and report.headers["Content-Disposition"].startswith("attachment")
    lines = report.data.decode("utf-8-sig").splitlines()
    assert lines == ["类型,行号,列,内容"] + [f"说明,{n},,已跳过：合计或备注行，不是供应商。" for n in (4, 5, 6)]
    assert _confirm(client, good, token=link.group(1).rsplit("/", 1)[1][:-4]).status_code == 302  # not an upload
    assert session.scalar(select(func.count(Supplier.id))) == 0

    bad = ("供应商名称,统一社会信用代码,省份\r\n" + "".join(
        f"错{n}有限公司,{gen_credit_code()},火星\r\n" for n in range(3))).encode()
    page = upload(client, bad, EN).text
    assert "3 problems on 3 of 3 rows" in page and "Only the first 1 of 3 are shown." in page
    link = re.search(r'href="(/suppliers/import/problems/[^"]+)" data-problems-csv>Download every error', page)
    lines = client.get(link.group(1), headers=EN).data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Type,Line,Column,Message" and len(lines) == 4
    assert lines[1] == "Errors,2,省份 (Province),Unknown province: 火星."  # as the page names the column
    other = app.test_client()
    stranger = gen_user(session, "admin")
    session.commit()
    login(other, stranger.email)
    assert other.get(link.group(1)).status_code == 404  # only its owner's


def test_a_column_named_twice_is_named_by_its_label(client, session):
    logged_in(client, session)
    data = f"供应商名称,统一社会信用代码,信用代码\r\n重名列有限公司,{gen_credit_code()},x\r\n".encode()
    assert "The column Credit code appears twice." in upload(client, data, EN).text


def test_a_background_check_says_how_many_it_lists_and_where_every_one_is(app, client, session, monkeypatch):
    """A large file's check keeps the first problems on its job; the page says so and names the dry run that
    lists them all."""
    from supplychain import jobs
    from supplychain.services.imports import import_jobs

    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    monkeypatch.setattr(import_jobs, "SHOWN", 2)
    logged_in(client, session)
    rows = "".join(f"后台说明{n}有限公司,{gen_credit_code()},Atlantis\r\n" for n in range(3))
    footers = "合计,,\r\n" * 3
    data = ("供应商名称,统一社会信用代码,省份\r\n" + rows + footers).encode()
    checking = upload(client, data, EN, filename="名录.csv")
    assert checking.status_code == 302
    assert jobs.wait(int(checking.headers["Location"].rstrip("/").rsplit("/", 1)[1]), 60)
    page = client.get(checking.headers["Location"], headers=EN).text
    errors, notes = page[page.index('id="import-errors"'):], page[page.index('id="import-notes"'):]
    assert "3 problems on 3 of 3 rows" in page and errors.count("Unknown province: Atlantis.") == 2
    assert "Only the first 2 of 3 are shown." in errors and "Notes (3)" in notes
    assert "Only the first 2 of 3 are shown. The command line lists every one:" in re.sub(r"\s+", " ", notes)
    assert "<code>flask suppliers import &#34;名录.csv&#34; --dry-run</code>" in notes
