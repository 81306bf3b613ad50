"""Bulk work on evaluations: the grid (all or nothing), its XLSX, bulk submit and approval item by item."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from supplychain import jobs
from supplychain.errors import ValidationFailed
from supplychain.models import BackgroundJob, Evaluation
from supplychain.services.evaluation import bulk, evaluations
from tests.evaluation_factories import SETTINGS, TODAY, all_manual, gen_evaluation, gen_good_evidence, gen_submitted
from tests.factories import gen_category, gen_supplier, gen_user
from tests.file_factories import xlsx_bytes


def _drafts(session, n=3):
    category = gen_category(session)
    buyer = gen_user(session, "procurement")
    drafts = []
    for index in range(n):
        supplier = gen_supplier(session, status="qualified", name_zh=f"批量{index}有限公司")
        gen_good_evidence(session, supplier, TODAY)
        drafts.append(gen_evaluation(session, supplier=supplier, actor=buyer, category=category))
    return buyer, drafts


def test_the_grid_saves_every_row_or_nothing(session):
    buyer, drafts = _drafts(session)
    grid = bulk.grid(drafts)
    assert [row.evaluation.id for row in grid.rows] == [d.id for d in drafts] and grid.columns
    keys = [c.key for c in grid.columns]
    raw = {(d.id, key): "85" for d in drafts for key in keys}
    raw[(drafts[1].id, keys[0])] = "150"
    raw[(drafts[2].id, keys[-1])] = "abc"
    with pytest.raises(ValidationFailed) as failure:
        bulk.save_grid(session, grid, raw, {}, buyer)
    assert set(failure.value.errors) == {bulk.cell_name(drafts[1].id, keys[0]), bulk.cell_name(drafts[2].id, keys[-1])}
    assert all(not (d.manual_scores or {}) for d in drafts)  # nothing saved, not even the good rows
    raw[(drafts[1].id, keys[0])] = "90"
    raw[(drafts[2].id, keys[-1])] = "７０"  # full-width digits from a Chinese input method
    assert bulk.save_grid(session, grid, raw, {}, buyer) == 3
    assert drafts[2].manual_scores[keys[-1]] == 70 and drafts[1].manual_scores[keys[0]] == 90


def test_a_row_changed_meanwhile_is_a_conflict(session):
    buyer, drafts = _drafts(session, 1)
    grid = bulk.grid(drafts)
    with pytest.raises(ValidationFailed) as failure:
        bulk.save_grid(session, grid, {}, {drafts[0].id: drafts[0].version_id + 5}, buyer)
    assert f"row-{drafts[0].id}" in failure.value.errors


def test_the_xlsx_grid_round_trips_and_reports_every_bad_cell_by_row(session):
    buyer, drafts = _drafts(session, 2)
    grid = bulk.grid(drafts)
    book = load_workbook(io.BytesIO(bulk.grid_xlsx(grid)))
    sheet = book["scores"]
    assert [c.value for c in sheet[1]][:3] == ["evaluation_id", "supplier", "credit_code"]
    assert sheet.cell(3, 2).value == "批量0有限公司" and "rubric" in book.sheetnames
    for row in (3, 4):
        for col in range(4, 4 + len(grid.columns)):
            sheet.cell(row, col).value = 88
    sheet.cell(4, 4).value = "high"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationFailed) as failure:
        bulk.read_grid_xlsx(grid, out.getvalue())
    (message,) = failure.value.errors["file"]
    assert "Row 4" in str(message)
    sheet.cell(4, 4).value = 77
    out = io.BytesIO()
    book.save(out)
    raw = bulk.read_grid_xlsx(grid, out.getvalue())
    assert bulk.save_grid(session, grid, raw, {}, buyer) == 2
    assert drafts[1].manual_scores[grid.columns[0].key] == 77


def test_an_xlsx_that_is_not_the_grid_is_refused(session):
    _, drafts = _drafts(session, 1)
    grid = bulk.grid(drafts)
    with pytest.raises(ValidationFailed):
        bulk.read_grid_xlsx(grid, b"not a workbook")
    with pytest.raises(ValidationFailed) as failure:
        bulk.read_grid_xlsx(grid, xlsx_bytes([["name", "score"], ["x", 1]]))
    assert "first row" in str(failure.value.errors["file"][0])


def test_formula_like_names_stay_text_in_the_grid(session):
    buyer, drafts = _drafts(session, 1)
    drafts[0].supplier.name_zh = "=HYPERLINK(\"http://x\")"
    book = load_workbook(io.BytesIO(bulk.grid_xlsx(bulk.grid(drafts))))
    cell = book["scores"].cell(3, 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_bulk_submit_goes_item_by_item(session):
    buyer, drafts = _drafts(session, 2)
    evaluations.save_scores(session, drafts[0], all_manual(drafts[0]), {}, drafts[0].version_id, buyer)
    result = bulk.submit_many(session, [d.id for d in drafts] + [999999], buyer, TODAY, 2)
    assert result.done == [drafts[0].id]
    assert [f["evaluation_id"] for f in result.failures] == [drafts[1].id, 999999]
    assert "Score this criterion" in result.failures[0]["messages"][0]["en"]
    assert drafts[0].status == "submitted" and drafts[1].status == "draft"


def test_bulk_approval_keeps_separation_of_duties_per_item(session):
    reviewer = gen_user(session, "reviewer")
    mine = gen_submitted(session, levels=1)
    mine.created_by_id = reviewer.id  # the reviewer made this one: someone else must approve it
    theirs = gen_submitted(session, levels=2)
    session.flush()
    result = bulk.approve_many(session, [mine.id, theirs.id], reviewer, "年度评审通过", TODAY, SETTINGS)
    assert result.done == [theirs.id] and [f["evaluation_id"] for f in result.failures] == [mine.id]
    assert mine.status == "submitted" and theirs.approved_levels == 1
    assert theirs.approvals[-1].comment == "年度评审通过"
    # The same reviewer cannot approve level 2 of the one they approved at level 1.
    again = bulk.approve_many(session, [theirs.id], reviewer, "", TODAY, SETTINGS)
    assert again.done == [] and theirs.approved_levels == 1
    assert bulk.decidable(session, reviewer, bulk.BatchFilters()) == []


def test_bulk_approval_as_a_job_reports_progress_and_failures(app, session):
    reviewer = gen_user(session, "reviewer")
    done = [gen_submitted(session, levels=1) for _ in range(3)]
    own = gen_submitted(session, levels=1)
    own.created_by_id = reviewer.id
    session.commit()
    job = jobs.create_inline(session, bulk.APPROVE_KIND, {"evaluation_ids": [e.id for e in [*done, own]],
                                                          "comment": "批量通过", "today": TODAY.isoformat()},
                             reviewer)
    job = jobs.run_inline(session, app, job.id)
    assert job.status == "finished" and (job.progress_done, job.progress_total) == (4, 4)
    assert job.result["done"] == 3 and [f["evaluation_id"] for f in job.result["failures"]] == [own.id]
    statuses = dict(session.execute(select(Evaluation.id, Evaluation.status)).all())
    assert [statuses[e.id] for e in done] == ["final"] * 3 and statuses[own.id] == "submitted"
    assert session.get(BackgroundJob, job.id).percent == 100


def test_bulk_submit_as_a_job_in_parts_with_the_app_levels(app, session, monkeypatch):
    """The same plan/run_part/finish as approval: parts of PART_SIZE, progress counted, failures of every part
    kept, and the approval levels of the app running the job."""
    monkeypatch.setattr(bulk, "PART_SIZE", 2)
    monkeypatch.setitem(app.config, "APPROVAL_LEVELS", 2)
    buyer, drafts = _drafts(session, 5)
    for draft in drafts[:4]:
        evaluations.save_scores(session, draft, all_manual(draft), {}, draft.version_id, buyer)
    session.commit()
    job = jobs.create_inline(session, bulk.SUBMIT_KIND, bulk.job_params([d.id for d in drafts], TODAY), buyer)
    seen = []
    job = jobs.run_inline(session, app, job.id, lambda done, total: seen.append((done, total)))
    assert job.status == "finished" and seen == [(2, 5), (4, 5), (5, 5)]
    assert job.result["done"] == 4 and [f["evaluation_id"] for f in job.result["failures"]] == [drafts[4].id]
    rows = {e.id: e for e in session.scalars(select(Evaluation))}
    assert [rows[d.id].status for d in drafts] == ["submitted"] * 4 + ["draft"]
    assert {rows[d.id].required_levels for d in drafts[:4]} == {2}


def test_bulk_approval_on_rq_workers_in_parts(app, session, monkeypatch):
    """With REDIS_URL the parts are RQ jobs (here a burst SimpleWorker); failures of every part are kept."""
    from tests.redis_support import empty_queue, redis_url, work_burst

    url = redis_url()
    monkeypatch.setattr(bulk, "PART_SIZE", 2)
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    reviewer = gen_user(session, "reviewer")
    done = [gen_submitted(session, levels=1) for _ in range(3)]
    own = gen_submitted(session, levels=1)
    own.created_by_id = reviewer.id
    session.commit()
    queue = empty_queue(url)
    with app.test_request_context():
        job = jobs.enqueue(session, app, bulk.APPROVE_KIND, {"evaluation_ids": [e.id for e in [*done, own]],
                                                              "comment": "", "today": TODAY.isoformat()}, reviewer)
    assert job.backend == "rq"
    work_burst(app, session, queue)
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert job.result["done"] == 3 and [f["evaluation_id"] for f in job.result["failures"]] == [own.id]


def test_bulk_submit_on_rq_workers_in_parts(app, session, monkeypatch):
    """The submission job runs on RQ workers like the approval: parts, the assembly, every part's failures."""
    from tests.redis_support import empty_queue, redis_url, work_burst

    url = redis_url()
    monkeypatch.setattr(bulk, "PART_SIZE", 2)
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    buyer, drafts = _drafts(session, 3)
    for draft in drafts[1:]:
        evaluations.save_scores(session, draft, all_manual(draft), {}, draft.version_id, buyer)
    session.commit()
    queue = empty_queue(url)
    with app.test_request_context():
        job = jobs.enqueue(session, app, bulk.SUBMIT_KIND, bulk.job_params([d.id for d in drafts], TODAY), buyer)
    assert job.backend == "rq"
    work_burst(app, session, queue)
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result["done"] == 2 and [f["evaluation_id"] for f in job.result["failures"]] == [drafts[0].id]


def test_a_bulk_approval_recomputes_the_risk_tiers_once_for_the_whole_batch(session, monkeypatch):
    """Each final approval changes a qualification (and so its category peers' tiers); the batch recomputes
    every supplier concerned once at its end instead of once per evaluation."""
    from supplychain.models import SupplierQualification, SupplierRisk
    from supplychain.services.risk import recompute

    buyer, drafts = _drafts(session, 3)
    for draft in drafts:
        evaluations.save_scores(session, draft, all_manual(draft), {}, draft.version_id, buyer)
        evaluations.submit(session, draft, draft.version_id, buyer, TODAY, 1)
    # Suppliers qualified before the group kept qualifications per category (as after an import): each
    # approval records a new one.
    session.execute(delete(SupplierQualification))
    reviewer = gen_user(session, "reviewer")
    computed = []
    real = recompute._compute
    monkeypatch.setattr(recompute, "_compute", lambda s, ids, *a, **k: computed.append(ids) or real(s, ids, *a, **k))
    result = bulk.approve_many(session, [d.id for d in drafts], reviewer, "", TODAY, SETTINGS)
    assert result.done == [d.id for d in drafts] and all(d.status == "final" for d in drafts)
    supplier_ids = sorted(d.supplier_id for d in drafts)
    assert computed == [supplier_ids]
    qualified = session.scalars(select(SupplierQualification.supplier_id)
                                .where(SupplierQualification.category_id == drafts[0].category_id))
    assert sorted(qualified) == supplier_ids
    assert sorted(session.scalars(select(SupplierRisk.supplier_id))) == supplier_ids
