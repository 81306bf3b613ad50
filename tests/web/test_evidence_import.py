"""Importing past evidence in the web (issue 15): upload with a ZIP of scans → preview → confirm; history shown."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from supplychain.models import Certification, EvaluationHistory, IntegrityPledge
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}
URL = "/evidence/import/"
_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def _upload(client, kind: str, data: bytes, scans: bytes | None = None):
    page = client.get(URL, headers=EN)
    form = {"csrf_token": csrf_token(page.text), "kind": kind, "file": (io.BytesIO(data), "evidence.csv")}
    if scans is not None:
        form["scans"] = (io.BytesIO(scans), "scans.zip")
    return client.post(URL, data=form, content_type="multipart/form-data", headers=EN)


def _confirm(client, html: str, token: str | None = None):
    token = token if token is not None else _TOKEN.search(html).group(1)
    return client.post(URL + "confirm", data={"csrf_token": csrf_token(html), "token": token}, headers=EN)


def test_pledges_with_scans_are_previewed_then_saved(client, session):
    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="网页证据有限公司")
    session.commit()
    login(client, user.email)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.pdf", b"%PDF-1.4 scan")
    text = (f"统一社会信用代码,承诺书类型,签署人,签署日期,扫描件\r\n"
            f"{supplier.credit_code},廉洁承诺书,王伟,2023-03-01,a.pdf\r\n")
    preview = _upload(client, "pledges", text.encode("gbk"), archive.getvalue())
    assert preview.status_code == 200 and "1 records to save from 1 rows" in preview.text
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0
    done = _confirm(client, preview.text)
    assert done.status_code == 302
    pledge = session.scalar(select(IntegrityPledge))
    assert pledge.supplier_id == supplier.id and pledge.attachment.original_name == "a.pdf"
    assert pledge.created_by_id == user.id


def test_a_bad_file_lists_every_problem_and_saves_nothing(client, session):
    user = gen_user(session, "admin")
    session.commit()
    login(client, user.email)
    text = "供应商,证书类型,证书编号,发证机构,发证日期\r\n不存在有限公司,ISO 9001,1,CQC,2023-13-45\r\n"
    preview = _upload(client, "certificates", text.encode())
    assert "No supplier is registered as 不存在有限公司." in preview.text
    assert "Not a date: 2023-13-45." in preview.text
    assert "/evidence/import/confirm" not in preview.text


def test_past_evaluations_show_on_the_supplier_page_as_imported(client, session):
    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="历史评价有限公司")
    session.commit()
    login(client, user.email)
    preview = _upload(client, "evaluations", "供应商名称,年度,等级,得分\r\n历史评价有限公司,2022年度,A,91\r\n".encode())
    assert _confirm(client, preview.text).status_code == 302
    assert session.scalar(select(func.count(EvaluationHistory.id))) == 1
    page = client.get(f"/suppliers/{supplier.id}", headers=EN).text
    history = page[page.index('id="evaluation-history"'):]
    assert "2022年度" in history and "<td>A</td>" in history and "91" in history
    assert "imported from evidence.csv" in history


def test_procurement_only(client, session):
    user = gen_user(session, "reviewer")
    session.commit()
    login(client, user.email)
    assert client.get(URL).status_code == 403


def test_cli_evidence_import(app, session, tmp_path):
    supplier = gen_supplier(session, name_zh="命令行证据有限公司")
    session.commit()
    path = tmp_path / "certs.csv"
    path.write_bytes(f"统一社会信用代码,证书类型,证书编号,发证机构,发证日期,有效期至\r\n"
                     f"{supplier.credit_code},ISO 14001,E-77,CQC,2024-01-01,2027-01-01\r\n".encode("gbk"))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["evidence", "import", "certificates", str(path), "--dry-run", "--lang", "en"])
    assert dry.exit_code == 0 and "1 records would be saved" in dry.output
    done = runner.invoke(args=["evidence", "import", "certificates", str(path), "--lang", "en"])
    assert done.exit_code == 0 and "Imported 1 records from 1 rows." in done.output
    again = runner.invoke(args=["evidence", "import", "certificates", str(path), "--lang", "en"])
    assert again.exit_code == 0 and "Already recorded: skipped." in again.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes("统一社会信用代码,证书类型,证书编号,发证机构,发证日期\r\n"
                    "91500000000000000X,ISO 9001,1,CQC,2024-01-01\r\n".encode())
    refused = runner.invoke(args=["evidence", "import", "certificates", str(bad), "--lang", "en"])
    assert refused.exit_code == 1 and "nothing was saved" in refused.output


def test_a_subsidiary_buyers_pledges_are_signed_by_their_organisation(client, session):
    """Without an org cell the pledge belongs to the buyer's own organisation; another subsidiary's code is
    refused on its row, so a buyer cannot file pledges under an organisation outside their own."""
    from tests.factories import gen_organisation

    own = gen_organisation(session, "WEB-EV-A")
    other = gen_organisation(session, "WEB-EV-B")
    user = gen_user(session, "procurement", organisation=own)
    supplier = gen_supplier(session, organisation=own)
    session.commit()
    login(client, user.email)
    refused = _upload(client, "pledges", (f"统一社会信用代码,承诺书类型,签署人,签署日期,签约单位\r\n"
                                          f"{supplier.credit_code},廉洁承诺书,王伟,2023-03-01,{other.code}\r\n").encode())
    assert "WEB-EV-B is outside your organisation." in refused.text and not _TOKEN.search(refused.text)
    preview = _upload(client, "pledges", (f"统一社会信用代码,承诺书类型,签署人,签署日期\r\n"
                                          f"{supplier.credit_code},廉洁承诺书,王伟,2023-03-01\r\n").encode())
    assert _confirm(client, preview.text).status_code == 302
    assert session.scalar(select(IntegrityPledge.organisation_id)) == own.id


def test_cli_pledges_take_the_signing_organisation_from_org(app, session, tmp_path):
    from tests.factories import gen_organisation

    wind_id = gen_organisation(session, "CLI-EV-WIND").id
    supplier = gen_supplier(session)
    session.commit()
    path = tmp_path / "pledges.csv"
    path.write_bytes(f"统一社会信用代码,承诺书类型,签署人,签署日期\r\n{supplier.credit_code},廉洁承诺书,王伟,2023-03-01\r\n"
                     .encode())
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["evidence", "import", "pledges", str(path), "--org", "NOPE", "--lang", "en"])
    assert unknown.exit_code == 1 and "Unknown organisation NOPE." in unknown.output
    done = runner.invoke(args=["evidence", "import", "pledges", str(path), "--org", "cli-ev-wind", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert session.scalar(select(IntegrityPledge.organisation_id)) == wind_id


def _job_id(response) -> int:
    assert response.status_code == 302 and "/evidence/import/jobs/" in response.headers["Location"]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_large_file_with_scans_is_checked_and_saved_by_background_jobs(app, client, session, monkeypatch):
    """At IMPORT_BACKGROUND_ROWS rows or more the request only stages the file (gunicorn's timeout): a job checks
    it for the preview, and after the confirmation another one saves every record, with progress."""
    from supplychain import jobs
    from supplychain.models import BackgroundJob

    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    user = gen_user(session, "procurement")
    suppliers = [gen_supplier(session, name_zh=f"后台证据{n}有限公司") for n in range(4)]
    session.commit()
    login(client, user.email)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("s0.pdf", b"%PDF-1.4 scan")
    text = "统一社会信用代码,承诺书类型,签署人,签署日期,扫描件\r\n" + "".join(
        f"{s.credit_code},廉洁承诺书,王伟{n},2023-03-01,{'s0.pdf' if n == 0 else ''}\r\n"
        for n, s in enumerate(suppliers))
    check_id = _job_id(_upload(client, "pledges", text.encode("gbk"), archive.getvalue()))
    assert jobs.wait(check_id, 60)
    preview = client.get(f"{URL}jobs/{check_id}", headers=EN).text
    assert "The file is correct: 4 records to save from 4 rows" in preview and "4 of 4 rows checked" in preview
    assert "saved in the background" in preview and 'action="/evidence/import/confirm"' in preview
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0
    save_id = _job_id(_confirm(client, preview))
    assert jobs.wait(save_id, 60)
    page = client.get(f"{URL}jobs/{save_id}", headers=EN).text
    assert "Imported 4 records from 4 rows." in page and "4 of 4 rows saved" in page
    session.expire_all()
    pledges = session.scalars(select(IntegrityPledge).order_by(IntegrityPledge.supplier_id)).all()
    assert len(pledges) == 4 and all(p.created_by_id == user.id for p in pledges)
    assert pledges[0].attachment.original_name == "s0.pdf"
    job = session.get(BackgroundJob, save_id)
    assert job.status == "finished" and job.progress_done == 4
    assert not list(Path(app.instance_path, "import_staging").glob("job-*"))  # the job's files are removed
    assert _confirm(client, preview).status_code == 302  # the staged upload was claimed once
    session.expire_all()
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 4


def test_a_large_file_with_errors_lists_every_one_on_the_job_page_and_saves_nothing(app, client, session,
                                                                                      monkeypatch):
    from supplychain import jobs

    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    text = "供应商名称,证书类型,证书编号,发证机构,发证日期\r\n" + "".join(
        f"不存在{n}有限公司,ISO 9001,C-{n},CQC,2023-13-45\r\n" for n in range(4))
    check_id = _job_id(_upload(client, "certificates", text.encode()))
    assert jobs.wait(check_id, 60)
    page = client.get(f"{URL}jobs/{check_id}", headers=EN).text
    assert "8 problems. Nothing was saved" in page
    assert "No supplier is registered as 不存在3有限公司." in page and "Not a date: 2023-13-45." in page
    assert "/evidence/import/confirm" not in page


def test_a_background_save_whose_file_no_longer_fits_saves_nothing(app, session, tmp_path):
    """The save job checks the file again: a supplier gone since the preview refuses the whole file, per row."""
    from supplychain import jobs
    from supplychain.services.imports import import_jobs

    supplier = gen_supplier(session, name_zh="后台检查有限公司")
    session.commit()
    path = tmp_path / "job-certs.bin"
    path.write_bytes(("统一社会信用代码,证书类型,证书编号,发证机构,发证日期\r\n"
                      f"{supplier.credit_code},ISO 9001,C-1,CQC,2024-01-01\r\n"
                      "91500000MA5U7C8X0N,ISO 9001,C-2,CQC,2024-01-01\r\n").encode())
    params = {"kind": "certificates", "filename": "certs.csv", "encoding": "", "user_id": None,
              "today": "2026-03-01", "lang": "en", "rows": 2, "path": str(path), "scans_path": "",
              "accept_warnings": False}
    job = jobs.create_inline(session, import_jobs.EVIDENCE_KIND, params)
    done = jobs.run_inline(session, app, job.id)
    assert done.status == "finished", done.error
    assert done.result["ok"] is False and done.result["error_count"] == 1
    assert done.result["errors"][0][:2] == [3, "统一社会信用代码 (Credit code)"]  # as the file names it
    assert session.scalar(select(func.count(Certification.id))) == 0 and not path.exists()


def test_cli_evidence_import_shows_a_progress_bar_for_a_long_file(app, session, tmp_path):
    """Issue 15, item 9: long evidence files show their progress in the CLI too."""
    supplier = gen_supplier(session, name_zh="证书很多的有限公司")
    session.commit()
    path = tmp_path / "certs.csv"
    rows = "".join(f"{supplier.credit_code},ISO 9001,Q-{n},CQC,2024-01-01,2027-01-01\r\n" for n in range(1200))
    path.write_bytes(("统一社会信用代码,证书类型,证书编号,发证机构,发证日期,有效期至\r\n" + rows).encode("gbk"))
    result = app.test_cli_runner().invoke(args=["evidence", "import", "certificates", str(path)])
    assert result.exit_code == 0, result.output
    assert "正在保存" in result.stderr  # the bar's label (a terminal also draws the bar)


def _recheck(client, html: str, headers=EN, **fields):
    token = re.search(r'id="recheck-form".*?name="token"[^>]*value="([^"]+)"', html, re.S).group(1)
    return client.post(URL + "recheck", data={"csrf_token": csrf_token(html), "token": token, **fields},
                       headers=headers)


def test_an_unrecognised_column_is_mapped_once_and_remembered_for_the_next_file(app, client, session, tmp_path):
    """Issue 15, items 1 and 8: evidence files follow the supplier import's rules, the mapping step included; the
    mapping is remembered per template name for the next file, in the web and on the command line."""

    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="映射证书有限公司")
    session.commit()
    login(client, user.email)
    header = "统一社会信用代码,体系证书种类,证书编号,发证机构,发证日期,有效期至\r\n"
    first = (header + f"{supplier.credit_code},ISO 9001,M-1,CQC,2024-01-01,2027-01-01\r\n").encode("gbk")
    preview = _upload(client, "certificates", first).text
    assert 'name="map-体系证书种类"' in preview and 'name="accept_warnings"' not in preview
    assert "Import these records" not in preview  # nothing to confirm until the column is mapped
    mapped = _recheck(client, preview, **{"map-体系证书种类": "cert_type", "template": "认证平台"}).text
    assert "The mapping is remembered as template 认证平台." in mapped and "Import these records" in mapped
    assert _confirm(client, mapped).status_code == 302
    second = (header + f"{supplier.credit_code},ISO 14001,M-2,CQC,2024-01-01,2027-01-01\r\n").encode("gbk")
    page = client.get(URL, headers=EN)
    assert '<option data-kind="certificates" value="认证平台">认证平台 · Certificates</option>' in page.text
    again = client.post(URL, data={"csrf_token": csrf_token(page.text), "kind": "certificates", "template": "认证平台",
                                   "file": (io.BytesIO(second), "evidence.csv")},
                        content_type="multipart/form-data", headers=EN)
    assert _confirm(client, again.text).status_code == 302
    path = tmp_path / "third.csv"
    path.write_bytes((header + f"{supplier.credit_code},OHSAS 18001,M-3,CQC,2024-01-01,2027-01-01\r\n").encode("gbk"))
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["evidence", "import", "certificates", str(path), "--template", "无此模板",
                                  "--lang", "en"])
    assert unknown.exit_code == 1 and "No saved column mapping is called 无此模板." in unknown.output
    done = runner.invoke(args=["evidence", "import", "certificates", str(path), "--template", "认证平台",
                               "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert sorted(session.scalars(select(Certification.number))) == ["M-1", "M-2", "M-3"]


def test_an_uncertain_encoding_is_named_and_another_can_be_picked_in_the_preview(client, session):
    user = gen_user(session, "procurement")
    gen_supplier(session, name_zh="陳記")
    session.commit()
    login(client, user.email)
    data = "supplier,cert_type,number,issuer,issued_on\r\n陳記,ISO 9001,B-1,HKQAA,2024-01-01\r\n".encode("big5")
    preview = _upload(client, "certificates", data).text
    assert "encoding is not certain: it was read as Big5 (HKSCS)" in preview and "Columns and encoding" in preview
    big5 = _recheck(client, preview, encoding="big5hkscs").text
    assert "Read as Big5 (HKSCS)." in big5 and "encoding is not certain" not in big5
    assert _confirm(client, big5).status_code == 302
    assert session.scalar(select(func.count()).select_from(Certification)) == 1


# --------------------------------------------------------------------------
# The pages in the user's language, the saved mappings per kind, every note reachable, the re-upload form, the
# records to be saved (acceptance of issue 15, round 15)
# --------------------------------------------------------------------------

HK = {"Accept-Language": "zh-HK"}


def _send(client, fields: dict, data: bytes, headers=None, filename: str = "台账.csv"):
    """The upload form as a browser sends it, in the language of `headers` (Chinese without)."""
    page = client.get(URL, headers=headers)
    form = {"csrf_token": csrf_token(page.text), **fields, "file": (io.BytesIO(data), filename)}
    return client.post(URL, data=form, content_type="multipart/form-data", headers=headers)


def _between(html: str, start: str, end: str = "</table>") -> str:
    part = html[html.index(start):]
    return part[:part.index(end)]


def _ledger(*rows: str) -> bytes:
    """A pledge ledger as exported by a group's old platform: a title, a row number, an odd signatory column and
    a total row under the table."""
    return ("廉洁承诺书签署台账,,,,,,,\r\n"
            "序号,供应商名称,统一社会信用代码,承诺书类型,模板版本,乙方代表,职务,签署日期\r\n"
            + "".join(rows) + "合计,2份,,,,,,\r\n").encode("gbk")


def test_every_column_of_an_evidence_file_is_named_in_the_users_language(client, session):
    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="台账甲有限公司")
    session.commit()
    login(client, user.email)
    data = _ledger(f"1,台账甲有限公司,{supplier.credit_code},廉洁承诺书,纸质,王伟,总经理,2024年3月1日\r\n",
                   f"2,台账甲有限公司,{supplier.credit_code},廉洁承诺书,纸质,,,2024年3月2日\r\n")
    preview = _send(client, {"kind": "pledges"}, data).text
    assert "<td>缺少以下列：签署人。</td>" in _between(preview, 'id="import-errors"')
    mapping = _between(preview, 'id="import-columns"')
    assert "<code>template</code> 模板版本" in mapping and "<code>signatory_title</code> 签署人职务" in mapping
    assert re.search(r'<option value="signatory"\s*>签署人 \(signatory\)</option>', mapping)
    assert re.search(r'<option value="org"\s*>签约组织 \(org\)</option>', mapping)
    assert not re.search(r"<option[^>]*>[a-z_]+</option>", mapping)  # no bare key in the drop-down
    assert "Missing columns: Signatory." in _send(client, {"kind": "pledges"}, data, EN).text
    assert "缺少以下列：簽署人。" in _send(client, {"kind": "pledges"}, data, HK).text

    mapped = _recheck(client, preview, headers=None, **{"map-乙方代表": "signatory"}).text
    errors = _between(mapped, 'id="import-errors"')
    assert re.search(r"<td>4</td><td>乙方代表 \(签署人\)</td><td>此列必须填写。</td>", errors)
    notes = mapped[mapped.index('id="import-notes"'):]
    assert "行号 5: 已跳过：合计或备注行，不是一条记录。" in notes
    assert "line 5" not in notes and "不是供应商" not in notes


def test_a_saved_mapping_is_offered_for_its_own_kind_and_refused_for_another(client, session):
    from supplychain.services.imports import import_mappings

    user = gen_user(session, "procurement")
    session.commit()
    import_mappings.save(session, "pledges", "历年台账", {"乙方代表": "signatory"}, user)
    import_mappings.save(session, "certificates", "认证平台", {"体系": "cert_type"}, user)
    session.commit()
    login(client, user.email)
    page = client.get(URL).text
    assert '<option data-kind="pledges" value="历年台账">历年台账 · 承诺书</option>' in page
    assert '<option data-kind="certificates" value="认证平台">认证平台 · 证书</option>' in page
    assert 'data-kind-from="kind"' in page and "/static/js/import-templates.js" in page  # a local script
    assert client.get("/static/js/import-templates.js").status_code == 200
    refused = _send(client, {"kind": "certificates", "template": "历年台账"}, b"x")
    assert "列映射 历年台账 用于承诺书文件，不能用于证书文件。请选择该类型的列映射，或选择自动识别列。" in refused.text
    english = _send(client, {"kind": "training", "template": "历年台账"}, b"x", EN).text
    assert "The column mapping 历年台账 is for files of Pledges, not of Training attendance." in english
    assert "No saved column mapping is called 无此映射." in _send(
        client, {"kind": "pledges", "template": "无此映射"}, b"x", EN).text


def test_when_the_preview_cuts_the_notes_short_it_says_so_and_a_csv_holds_them_all(app, client, session,
                                                                                     monkeypatch):
    from supplychain.views import supplier_import

    monkeypatch.setattr(supplier_import, "PREVIEW_NOTES", 2)
    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="说明很多有限公司")
    session.commit()
    login(client, user.email)
    text = "统一社会信用代码,证书类型,证书编号,发证机构,发证日期\r\n" + "".join(
        f"{supplier.credit_code},ISO 9001,N-{n},CQC,2024-01-01\r\n" for n in range(3))
    assert _confirm(client, _send(client, {"kind": "certificates"}, text.encode()).text).status_code == 302
    again = _send(client, {"kind": "certificates"}, text.encode()).text
    notes = again[again.index('id="import-notes"'):]
    assert "说明 (3)" in notes and "仅显示前 2 条（共 3 条）。" in notes and notes.count("已有记录：已跳过。") == 2
    link = re.search(r'<a href="(/evidence/import/problems/[^"]+\.csv)" data-problems-csv>'
                     r"下载全部错误、警告和说明（CSV）</a>", notes).group(1)
    report = client.get(link)
    assert report.status_code == 200 and report.mimetype == "text/csv"
    lines = report.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "类型,行号,列,内容" and len(lines) == 4
    assert lines[1:] == [f"说明,{n},,已有记录：已跳过。" for n in (2, 3, 4)]
    assert client.get(link).status_code == 200  # downloaded as often as needed
    other = app.test_client()
    stranger = gen_user(session, "procurement")
    session.commit()
    login(other, stranger.email)
    assert other.get(link).status_code == 404  # only for whoever checked the file
    assert _confirm(client, again, token=link.rsplit("/", 1)[1][:-4]).status_code == 302  # never an upload
    assert session.scalar(select(func.count(Certification.id))) == 3


def test_the_preview_of_a_bad_file_keeps_its_settings_for_the_corrected_file(client, session):
    from supplychain.services.imports import import_mappings

    user = gen_user(session, "procurement")
    session.commit()
    import_mappings.save(session, "certificates", "认证平台", {"体系": "cert_type"}, user)
    session.commit()
    login(client, user.email)
    data = "供应商,体系,证书编号,发证机构,发证日期\r\n不存在有限公司,ISO 9001,1,CQC,2023-01-01\r\n".encode("gbk")
    preview = _send(client, {"kind": "certificates", "template": "认证平台", "encoding": "gb18030"}, data).text
    assert "未保存任何内容" in preview
    form = preview[preview.index('id="reupload-form"'):]
    form = form[:form.index("</form>")]
    assert "上传修改后的文件" in form and 'enctype="multipart/form-data"' in preview
    assert '<option selected value="certificates">' in form
    assert '<option data-kind="certificates" selected value="认证平台">' in form
    assert '<option selected value="gb18030">' in form
    assert 'name="scans"' not in form  # certificates come without scans


def test_the_preview_lists_the_records_as_they_will_be_saved(client, session, monkeypatch):
    from supplychain.views import evidence_import as pages
    from tests.evidence_factories import gen_training

    user = gen_user(session, "procurement")
    first = gen_supplier(session, name_zh="预览甲有限公司")
    second = gen_supplier(session, name_zh="预览乙有限公司")
    gen_training(session, title="供应商安全培训", held_on=date(2024, 5, 20))
    session.commit()
    login(client, user.email)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.pdf", b"%PDF-1.4 scan")
    text = ("统一社会信用代码,承诺书类型,签署人,职务,签署日期,有效期至,扫描件\r\n"
            f"{first.credit_code},廉洁承诺书,王伟,总经理,2024年3月1日,2027-02-28,a.pdf\r\n"
            f"{second.credit_code},廉政责任书,李娜,,2024/5/6,,\r\n")
    page = client.get(URL)
    preview = client.post(URL, data={"csrf_token": csrf_token(page.text), "kind": "pledges",
                                     "file": (io.BytesIO(text.encode("gbk")), "p.csv"),
                                     "scans": (io.BytesIO(archive.getvalue()), "scans.zip")},
                          content_type="multipart/form-data").text
    table = _between(preview, 'id="import-records"')
    assert "将保存的记录" in preview
    for header in ("供应商", "承诺书类型", "模板版本", "签署人", "签署日期", "有效期至", "方式", "扫描件", "签约组织"):
        assert f"<th>{header}</th>" in table, header
    assert "预览甲有限公司" in table and first.credit_code in table and "总经理" in table
    assert "2024-03-01" in table and "2027-02-28" in table and "a.pdf" in table
    assert "2024-05-06" in table and "廉政责任书" in table and ">无<" in table  # the second has no scan
    assert table.count("纸质原件") == 2 and "扫描）" not in table

    monkeypatch.setattr(pages, "PREVIEW_ROWS", 1)
    training = ("供应商名称,培训名称,培训日期,参训人数,参训人员\r\n"
                "预览甲有限公司,供应商安全培训,2024-05-20,3,张三、李四、王五\r\n"
                "预览乙有限公司,供应商安全培训,2024-05-20,1,赵六\r\n")
    shown = _send(client, {"kind": "training"}, training.encode()).text
    table = _between(shown, 'id="import-records"')
    assert "（共 2 行，显示前 1 行）" in shown and "<th>培训日期</th>" in table and "<th>参训人员</th>" in table
    assert "供应商安全培训" in table and "2024-05-20" in table and "张三、李四、王五" in table
    assert "预览乙有限公司" not in table
    history = "供应商名称,年度,等级,得分,备注说明\r\n预览乙有限公司,2022年度,B,78.5,整改后复评\r\n"
    evaluations = _send(client, {"kind": "evaluations"}, history.encode(), EN).text
    table = _between(evaluations, 'id="import-records"')
    assert "<th>Total score</th>" in table and "2022年度" in table and "78.5" in table and "整改后复评" in table


def test_a_paper_pledge_without_a_scan_does_not_claim_one(client, session):
    user = gen_user(session, "procurement")
    supplier = gen_supplier(session, name_zh="无扫描件有限公司")
    session.commit()
    login(client, user.email)
    preview = _upload(client, "pledges", (f"统一社会信用代码,承诺书类型,签署人,签署日期\r\n"
                                          f"{supplier.credit_code},廉洁承诺书,王伟,2023-03-01\r\n").encode())
    assert _confirm(client, preview.text).status_code == 302
    for headers, method, wrong in ((None, "纸质原件", "扫描）"), (EN, "Paper original", "scanned"),
                                   (HK, "紙質原件", "掃描）")):
        pledges = _between(client.get(f"/suppliers/{supplier.id}", headers=headers).text, 'id="pledges"')
        assert method in pledges and wrong not in pledges, headers
