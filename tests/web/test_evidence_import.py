"""Importing past evidence in the web (issue 15): upload with a ZIP of scans → preview → confirm; history shown."""

from __future__ import annotations

import io
import re
import zipfile
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


def _confirm(client, html: str):
    return client.post(URL + "confirm", data={"csrf_token": csrf_token(html), "token": _TOKEN.search(html).group(1)},
                       headers=EN)


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


def _recheck(client, html: str, **fields):
    token = re.search(r'id="recheck-form".*?name="token"[^>]*value="([^"]+)"', html, re.S).group(1)
    return client.post(URL + "recheck", data={"csrf_token": csrf_token(html), "token": token, **fields}, headers=EN)


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
    assert '<option value="认证平台">' in page.text
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
