"""Scorecard PDFs and exports through the pages: CSRF on, logged in through the real form."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from supplychain import jobs
from supplychain.models import BackgroundJob, ScorecardIssue
from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import gen_final_evaluation
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}


@pytest.fixture
def exports_here(app, tmp_path):
    """Exports go to a temporary folder and run in-process."""
    old = {k: app.config.get(k) for k in ("EXPORT_FOLDER", "REDIS_URL")}
    app.config.update(EXPORT_FOLDER=str(tmp_path / "exports"), REDIS_URL=None)
    yield tmp_path / "exports"
    app.config.update(old)


@pytest.fixture
def evaluated(session):
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(
        session, status="qualified", name_zh="重庆页面测试机械有限公司", categories=["equipment"]
    )
    other = gen_supplier(session, status="qualified", name_zh="上海页面测试机械有限公司", province="310000")
    evaluation = gen_final_evaluation(session, supplier, year=2024, manual=82)
    gen_final_evaluation(session, other, year=2024, manual=70)
    session.commit()
    return evaluation


def _login(client, session, role: str) -> None:
    user = gen_user(session, role)
    session.commit()
    assert login(client, user.email).status_code == 302


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _job_id(response) -> int:
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_scorecard_pdf_for_staff(client, session, evaluated):
    _login(client, session, "auditor")
    response = client.get(f"/reports/scorecards/{evaluated.id}.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "重庆页面测试机械有限公司" in text and evaluated.supplier.credit_code in text
    assert f"{evaluated.total:.1f}" in text
    issue = session.query(ScorecardIssue).one()
    assert issue.evaluation_id == evaluated.id and issue.code[:5] in text
    assert client.get(f"/reports/scorecards/{evaluated.id}.pdf?lang=fr").status_code == 400
    assert client.get("/reports/scorecards/999999.pdf").status_code == 404


def test_final_evaluation_page_links_its_scorecards(client, session, evaluated):
    _login(client, session, "reviewer")
    page = client.get(f"/evaluations/{evaluated.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    for code in ("zh", "en", "both"):
        link = f"/reports/scorecards/{evaluated.id}.pdf?lang={code}"
        assert link in page.text
    assert client.get(f"/reports/scorecards/{evaluated.id}.pdf?lang=both").status_code == 200


def test_supplier_user_sees_only_its_own_scorecard(client, session, evaluated):
    own = gen_user(session, "supplier", supplier=evaluated.supplier)
    other_evaluation = session.query(type(evaluated)).filter(type(evaluated).id != evaluated.id).one()
    session.commit()
    login(client, own.email)
    assert client.get(f"/reports/scorecards/{evaluated.id}.pdf").status_code == 200
    assert client.get(f"/reports/scorecards/{other_evaluation.id}.pdf").status_code == 404
    assert client.get("/reports/").status_code == 403


def test_draft_has_no_scorecard(client, session):
    supplier = gen_supplier(session, status="qualified")
    draft = gen_final_evaluation(session, supplier, status="submitted")
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    assert client.get(f"/reports/scorecards/{draft.id}.pdf").status_code == 404


def test_bad_export_requests_show_every_error(client, session, evaluated, exports_here):
    _login(client, session, "procurement")
    response = post_form(
        client,
        "/reports/",
        {"period": "2099", "category": "nope", "region": "mars", "grade": "A+", "language": "fr"},
        headers=EN,
    )
    assert response.status_code == 200
    for message in (
        "that has started",
        "Unknown supply category.",
        "Unknown region.",
        "Unknown grade.",
        "Choose Chinese, English or both.",
    ):
        assert message in response.text
    assert session.query(BackgroundJob).count() == 0


def test_export_through_the_page(client, session, evaluated, exports_here):
    _login(client, session, "procurement")
    page = client.get("/reports/", headers=EN)
    assert page.status_code == 200 and "Export scorecards" in page.text
    job_id = _job_id(
        client.post(
            "/reports/",
            data={
                "csrf_token": csrf_token(page.text),
                "period": "2024",
                "category": "",
                "region": "",
                "grade": "",
                "language": "en",
            },
        )
    )
    assert jobs.wait(job_id, 120)
    page = client.get(f"/reports/exports/{job_id}", headers=EN)
    assert page.status_code == 200 and "2 of 2 scorecards" in page.text and "Download the ZIP" in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
    download = client.get(f"/reports/exports/{job_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 2 and "index.csv" in archive.namelist() and "index.xlsx" in archive.namelist()
        texts = [_pdf_text(archive.read(n)) for n in pdfs]
    assert any("重庆页面测试机械有限公司" in t for t in texts)
    assert all("Total score" in t and "综合得分" not in t for t in texts)  # English only, as asked
    listing = client.get("/reports/", headers=EN)
    assert f"/reports/exports/{job_id}" in listing.text


def test_running_job_page_refreshes_itself(client, session, evaluated):
    job = BackgroundJob(
        kind="scorecard_export",
        params={"period": "2024"},
        status="running",
        attempts=1,
        progress_done=3,
        progress_total=10,
        backend="rq",
    )
    job.heartbeat_at = job.started_at = __import__("supplychain.models.base", fromlist=["utcnow"]).utcnow()
    session.add(job)
    user = gen_user(session, "reviewer")
    session.commit()
    login(client, user.email)
    page = client.get(f"/reports/exports/{job.id}", headers=EN)
    assert "3 of 10 scorecards" in page.text and 'http-equiv="refresh"' in page.text
    assert client.get(f"/reports/exports/{job.id}/download").status_code == 404
    assert client.get("/reports/exports/999999").status_code == 404


def test_empty_period_says_so(client, session, evaluated, exports_here):
    _login(client, session, "procurement")
    job_id = _job_id(post_form(client, "/reports/", {"period": "2019", "language": "both"}))
    assert jobs.wait(job_id, 60)
    page = client.get(f"/reports/exports/{job_id}", headers=EN)
    assert "nothing to export" in page.text and "Download the ZIP" not in page.text
    assert client.get(f"/reports/exports/{job_id}/download").status_code == 404


def test_failed_export_is_retried_from_its_page(client, session, evaluated, exports_here):
    job = BackgroundJob(
        kind="scorecard_export",
        params={"period": "2024", "language": "zh", "base_url": "http://localhost/"},
        status="failed",
        attempts=1,
        error="OSError: disk full",
        backend="thread",
    )
    session.add(job)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    page = client.get(f"/reports/exports/{job.id}", headers=EN)
    assert "disk full" in page.text and "Run the export again" in page.text
    response = client.post(f"/reports/exports/{job.id}/retry", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert jobs.wait(job.id, 120)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished" and job.attempts == 2 and job.result["exported"] == 2
    # Without the CSRF token: refused.
    assert client.post(f"/reports/exports/{job.id}/retry").status_code == 400


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["scorecards", *args])


def test_cli_export_with_a_progress_bar(app, session, evaluated, exports_here, tmp_path):
    out = tmp_path / "out" / "scorecards-2024.zip"
    result = _cli(app, "export", "--period", "2024", "--lang", "zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "scorecards" in result.stderr and "2/2" in result.stderr  # the progress bar
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 2
    filtered = tmp_path / "south-west.zip"
    result = _cli(app, "export", "--period", "2024", "--region", "southwest", "--out", str(filtered))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(filtered) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 1
    jobs_list = _cli(app, "jobs")
    assert jobs_list.exit_code == 0 and "period=2024" in jobs_list.output


def test_cli_bad_input_and_empty_period(app, session, evaluated, exports_here, tmp_path):
    result = _cli(
        app,
        "export",
        "--period",
        "2999",
        "--category",
        "nope",
        "--region",
        "mars",
        "--out",
        str(tmp_path / "x.zip"),
    )
    assert result.exit_code == 2
    assert all(f"--{name}:" in result.stderr for name in ("period", "category", "region"))
    result = _cli(app, "export", "--period", "2019", "--out", str(tmp_path / "empty.zip"))
    assert result.exit_code == 0 and not (tmp_path / "empty.zip").exists()
    assert session.query(BackgroundJob).one().result["empty"]


def test_cli_lists_failed_suppliers_and_retries(app, session, evaluated, exports_here, tmp_path, monkeypatch):
    from supplychain.services.evaluation import scorecards

    real = scorecards.render

    def render(card, langs, settings):
        if card.evaluation_id == evaluated.id:
            raise RuntimeError("broken font")
        return real(card, langs, settings)

    monkeypatch.setattr(scorecards, "render", render)
    out = tmp_path / "x.zip"
    result = _cli(app, "export", "--period", "2024", "--out", str(out))
    assert result.exit_code == 1
    assert "broken font" in result.stderr and "重庆页面测试机械有限公司" in result.stderr
    assert "flask scorecards retry" in result.stderr
    job = session.query(BackgroundJob).one()
    monkeypatch.setattr(scorecards, "render", real)
    result = _cli(app, "retry", str(job.id), "--out", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 2
    assert _cli(app, "retry", str(job.id)).exit_code == 2  # nothing left to retry
    assert _cli(app, "retry", "999999").exit_code == 2
