"""The bulk pages: score a batch in the grid or by XLSX, submit it, approve it with one comment (issue 13)."""

from __future__ import annotations

import io
import itertools
import re

from openpyxl import load_workbook
from sqlalchemy import select

from supplychain import jobs
from supplychain.models import AuditEntry, Evaluation, User
from supplychain.services.evaluation import bulk, evaluations
from tests.evaluation_factories import TODAY, all_manual, gen_evaluation, gen_good_evidence, gen_submitted
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def _batch(session, n=2):
    category = gen_category(session)
    buyer = gen_user(session, "procurement")
    drafts = []
    for index in range(n):
        supplier = gen_supplier(session, status="qualified", name_zh=f"网格{index}有限公司")
        gen_good_evidence(session, supplier)
        drafts.append(gen_evaluation(session, supplier=supplier, actor=buyer, category=category, today=TODAY))
    session.commit()
    return buyer, drafts, category


def test_scoring_in_the_grid_reports_bad_cells_and_saves_nothing_until_all_are_right(client, session):
    buyer, drafts, category = _batch(session)
    login(client, buyer.email)
    url = f"/bulk/evaluations/grid?category_id={category.id}"
    page = client.get(url, headers=EN)
    names = re.findall(r'name="(score-\d+-[^"]+)"', page.text)
    assert len(names) >= 2 and "Rubric" in page.text and "js/bulk.js" in page.text
    data = {"csrf_token": csrf_token(page.text), **{name: "82" for name in names}}
    data.update({f"version-{d.id}": d.version_id for d in drafts})
    data[names[0]] = "101"
    bad = client.post(url, data=data, headers=EN)
    assert bad.status_code == 200 and "Nothing was saved" in bad.text and 'value="101"' in bad.text
    session.expire_all()
    assert all(not session.get(Evaluation, d.id).manual_scores for d in drafts)
    data[names[0]] = "95"
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    assert all(session.get(Evaluation, d.id).manual_scores for d in drafts)


def test_the_grid_is_filled_from_an_uploaded_xlsx(client, session):
    buyer, drafts, category = _batch(session)
    login(client, buyer.email)
    download = client.get(f"/bulk/evaluations/grid.xlsx?category_id={category.id}")
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(download.data))
    sheet = book["scores"]
    assert [c.value for c in sheet[2][:3]] == ["编号", "供应商", "统一社会信用代码"]
    for language, names in (("zh-HK", ["編號", "供應商", "統一社會信用代碼"]),
                            ("en", ["No.", "Supplier", "Credit code"])):
        other = client.get(f"/bulk/evaluations/grid.xlsx?category_id={category.id}",
                           headers={"Accept-Language": language})
        assert [c.value for c in load_workbook(io.BytesIO(other.data))["scores"][2][:3]] == names, language
    for row in range(3, 3 + len(drafts)):
        for col in range(4, sheet.max_column + 1):
            sheet.cell(row, col).value = 91
    sheet.cell(3, 4).value = "九十"
    out = io.BytesIO()
    book.save(out)
    page = client.get(f"/bulk/evaluations/grid?category_id={category.id}")
    url = f"/bulk/evaluations/grid/upload?category_id={category.id}"
    bad = client.post(url, data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(out.getvalue()), "g.xlsx")},
                      content_type="multipart/form-data", headers=EN)
    assert bad.status_code == 200 and "data-upload-error" in bad.text and "Row 3" in bad.text
    sheet.cell(3, 4).value = 90
    out = io.BytesIO()
    book.save(out)
    good = client.post(url, data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(out.getvalue()), "g.xlsx")},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    session.expire_all()
    scores = [session.get(Evaluation, d.id).manual_scores for d in drafts]
    assert 90 in scores[0].values() and set(scores[1].values()) == {91}


def test_bulk_submit_then_bulk_approve_with_one_comment(client, session):
    buyer, drafts, category = _batch(session)
    login(client, buyer.email)
    page = client.get(f"/bulk/evaluations/grid?category_id={category.id}")
    names = re.findall(r'name="(score-\d+-[^"]+)"', page.text)
    client.post(f"/bulk/evaluations/grid?category_id={category.id}",
                data={"csrf_token": csrf_token(page.text), **{name: "88" for name in names}})
    listing = client.get(f"/bulk/evaluations?category_id={category.id}")
    result = client.post(f"/bulk/evaluations/submit?category_id={category.id}",
                         data={"csrf_token": csrf_token(listing.text), "ids": [d.id for d in drafts]}, headers=EN)
    assert result.status_code == 200 and 'data-done="2"' in result.text
    client.post("/auth/logout", data={"csrf_token": csrf_token(result.text)})
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    listing = client.get("/bulk/evaluations?status=submitted", headers=EN)
    assert all(f'data-evaluation="{d.id}"' in listing.text for d in drafts)
    approved = client.post("/bulk/evaluations/approve", headers=EN, data={
        "csrf_token": csrf_token(listing.text), "ids": [d.id for d in drafts], "comment": "年度评审，同意"})
    assert approved.status_code == 200 and 'data-done="2"' in approved.text
    session.expire_all()
    for d in drafts:
        evaluation = session.get(Evaluation, d.id)
        assert evaluation.approved_levels == 1 and evaluation.approvals[-1].comment == "年度评审，同意"


def test_a_large_approval_runs_as_a_job_with_progress(client, session, monkeypatch):
    monkeypatch.setattr(bulk, "SYNC_LIMIT", 1)
    submitted = [gen_submitted(session, levels=1) for _ in range(2)]
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    listing = client.get("/bulk/evaluations?status=submitted")
    response = client.post("/bulk/evaluations/approve", data={
        "csrf_token": csrf_token(listing.text), "ids": [e.id for e in submitted]})
    assert response.status_code == 302 and "/bulk/jobs/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert jobs.wait(job_id, 60)
    page = client.get(f"/bulk/jobs/{job_id}", headers=EN)
    assert 'data-progress="2/2"' in page.text and 'data-done="2"' in page.text
    session.expire_all()
    assert {session.get(Evaluation, e.id).status for e in submitted} == {"final"}
    # Another reviewer does not see this job.
    other = gen_user(session, "reviewer")
    session.commit()
    client.post("/auth/logout", data={"csrf_token": csrf_token(page.text)})
    login(client, other.email)
    assert client.get(f"/bulk/jobs/{job_id}").status_code == 404


def test_starting_a_category_review_leads_to_its_grid(client, session):
    category = gen_category(session)
    for _ in range(2):
        gen_supplier(session, status="qualified")
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get("/evaluations/bulk")
    started = client.post("/evaluations/bulk", data={"csrf_token": csrf_token(page.text), "category_id": category.id,
                                                     "period_type": "year", "period_year": "2025", "period_index": "1"})
    link = f"/bulk/evaluations/grid?category_id={category.id}&amp;year=2025&amp;kind=periodic"
    assert started.status_code == 200 and link in started.text
    grid = client.get(link.replace("&amp;", "&"))
    assert len(re.findall(r'<tr data-evaluation="\d+"', grid.text)) == 2


def test_the_batch_to_approve_names_each_grade_without_decoding_a_snapshot(app, client, session):
    """A batch page of 2,000 rows spent half its CPU decoding each row's snapshot for its grade's name: the name
    now comes from the scheme version, the same as the snapshot's, in each language."""
    from sqlalchemy import event

    category = gen_category(session)
    submitted = [gen_submitted(session, value=value, category=category, levels=1,
                               supplier=gen_supplier(session, status="qualified", name_zh=f"批次{value}有限公司"))
                 for value in (95, 80, 65)]
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    engine = app.extensions["sqlalchemy_engine"]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    for language, field in (("en", "name_en"), ("zh", "name_zh"), ("zh-HK", "name_zh")):
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/bulk/evaluations?status=submitted&category_id={category.id}",
                              headers={"Accept-Language": language})
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert page.status_code == 200
        for evaluation in submitted:
            bands = {b["key"]: b for b in evaluation.snapshot["scheme"]["bands"]}
            row = page.text.split(f'data-evaluation="{evaluation.id}"', 1)[1].split("</tr>", 1)[0]
            name = bands[evaluation.grade][field]
            shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
            assert f"{evaluation.total:.1f}" in shown and (name in shown or language == "zh-HK"), (language, shown)
            assert f" {evaluation.grade} " not in f" {shown} ", shown
    assert len({e.grade for e in submitted}) > 1
    assert not [s for s in statements if "snapshot" in s], "a row's snapshot was read"


_NAMES = itertools.count()


def _scored_drafts(session, buyer, n, category=None):
    """N drafts of the buyer with every manual criterion scored: ready to submit."""
    category = category or gen_category(session)
    drafts = []
    for _ in range(n):
        supplier = gen_supplier(session, status="qualified", name_zh=f"批量提交{next(_NAMES)}有限公司")
        gen_good_evidence(session, supplier)
        draft = gen_evaluation(session, supplier=supplier, actor=buyer, category=category, today=TODAY)
        evaluations.save_scores(session, draft, all_manual(draft), {}, draft.version_id, buyer)
        drafts.append(draft)
    return drafts


def _submit_as_job(client, ids, headers=None):
    listing = client.get("/bulk/evaluations")
    response = client.post("/bulk/evaluations/submit", data={"csrf_token": csrf_token(listing.text), "ids": ids},
                           headers=headers or {})
    assert response.status_code == 302 and "/bulk/jobs/" in response.headers["Location"], response.status_code
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert jobs.wait(job_id, 60)
    return job_id


def test_a_large_submission_runs_as_a_job_with_progress_and_lists_each_failure(client, session, monkeypatch):
    """Above SYNC_LIMIT the submission is a background job (a thread of the app, as without Redis): the progress
    page, then how many were submitted and, in the reader's language, why each other one was not."""
    monkeypatch.setattr(bulk, "SYNC_LIMIT", 2)
    buyer = gen_user(session, "procurement")
    good = _scored_drafts(session, buyer, 2)
    unscored = gen_evaluation(session, actor=buyer, today=TODAY)
    already = gen_submitted(session, levels=1)
    session.commit()
    versions = {e.id: e.version_id for e in good}
    login(client, buyer.email)
    job_id = _submit_as_job(client, [*(e.id for e in good), unscored.id, already.id, 999999])
    page = client.get(f"/bulk/jobs/{job_id}", headers=EN)
    assert page.status_code == 200 and "Bulk submission" in page.text
    assert 'data-progress="5/5"' in page.text and 'data-done="2"' in page.text
    assert "2 evaluations submitted for approval." in page.text and 'data-failures="3"' in page.text
    for failed in (unscored.id, already.id, 999999):
        assert f'data-failed="{failed}"' in page.text
    assert "Score this criterion before submitting." in page.text
    assert "Only a draft evaluation can be submitted." in page.text
    assert "This evaluation does not exist." in page.text
    chinese = client.get(f"/bulk/jobs/{job_id}")
    assert "批量提交" in chinese.text and "Score this criterion" not in chinese.text
    session.expire_all()
    for evaluation in good:
        row = session.get(Evaluation, evaluation.id)
        assert row.status == "submitted" and row.submitted_by_id == buyer.id
        assert row.version_id > versions[evaluation.id]
    assert session.get(Evaluation, unscored.id).status == "draft"
    audited = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "submit",
                                                                 AuditEntry.entity_type == "evaluation",
                                                                 AuditEntry.actor_id == buyer.id)).all()
    assert sorted(audited) == sorted(e.id for e in good)
    # Only the person who started it (or an admin) sees the job.
    other = gen_user(session, "procurement")
    admin = gen_user(session, "admin")
    session.commit()
    client.post("/auth/logout", data={"csrf_token": csrf_token(page.text)})
    login(client, other.email)
    assert client.get(f"/bulk/jobs/{job_id}").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, admin.email)
    assert client.get(f"/bulk/jobs/{job_id}").status_code == 200


def test_a_submission_job_submits_nothing_of_another_subsidiary(client, session, monkeypatch):
    """The job sees what its starter may see: another subsidiary's draft, forged into the form, is listed as not
    found and stays a draft."""
    monkeypatch.setattr(bulk, "SYNC_LIMIT", 1)
    buyer = gen_user(session, "procurement", organisation=gen_organisation(session, "SUB-MINE"))
    mine = _scored_drafts(session, buyer, 2)
    theirs = _scored_drafts(session, gen_user(session, "procurement",
                                              organisation=gen_organisation(session, "SUB-OTHER")), 1)[0]
    session.commit()
    login(client, buyer.email)
    job_id = _submit_as_job(client, [mine[0].id, theirs.id, mine[1].id], EN)
    page = client.get(f"/bulk/jobs/{job_id}", headers=EN)
    assert 'data-done="2"' in page.text and f'data-failed="{theirs.id}"' in page.text
    session.expire_all()
    assert session.get(Evaluation, theirs.id).status == "draft"
    assert {session.get(Evaluation, e.id).status for e in mine} == {"submitted"}


def test_only_editors_submit_and_a_job_stops_when_its_starter_may_no_longer_submit(client, session, monkeypatch):
    monkeypatch.setattr(bulk, "SYNC_LIMIT", 1)
    buyer = gen_user(session, "procurement")
    drafts = _scored_drafts(session, buyer, 2)
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    listing = client.get("/bulk/evaluations")
    refused = client.post("/bulk/evaluations/submit",
                          data={"csrf_token": csrf_token(listing.text), "ids": [d.id for d in drafts]})
    assert refused.status_code == 403
    # A job that starts after its starter became a reviewer submits nothing and says why.
    job = jobs.create_inline(session, bulk.SUBMIT_KIND, bulk.job_params([d.id for d in drafts], TODAY), buyer)
    session.get(User, buyer.id).role = "reviewer"  # (the requests above may have left `buyer` detached)
    session.commit()
    job = jobs.run_inline(session, client.application, job.id)
    assert job.status == "finished" and job.result["done"] == 0 and len(job.result["failures"]) == 2
    assert "can no longer submit" in job.result["failures"][0]["messages"][0]["en"]
    session.expire_all()
    assert {session.get(Evaluation, d.id).status for d in drafts} == {"draft"}
