"""Importing past evidence in the web (issue 15): upload with a ZIP of scans → preview → confirm; history shown."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import func, select

from supplychain.models import EvaluationHistory, IntegrityPledge
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
