"""Large supplier imports as background jobs (issue 15): checked and saved outside the request, all or nothing,
with progress; on a thread of the app and on RQ workers."""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import func, select

from supplychain import db, jobs
from supplychain.models import BackgroundJob, Supplier
from supplychain.services.imports import import_jobs
from tests.factories import gen_category, gen_credit_code, gen_supplier
from tests.redis_support import redis_url

TODAY = date(2026, 3, 1)


def _file(tmp_path, rows: int, province: str = "重庆") -> str:
    path = tmp_path / "staged.bin"
    lines = ["供应商名称,统一社会信用代码,省份"]
    lines += [f"后台{n}有限公司,{gen_credit_code()},{province}" for n in range(rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return str(path)


def _params(path: str, rows: int) -> dict:
    return {"path": path, "filename": "big.csv", "encoding": "", "mapping": {}, "options": {},
            "accept_warnings": False, "user_id": None, "today": TODAY.isoformat(), "lang": "en", "rows": rows}


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


def test_an_import_job_saves_all_rows_with_progress_and_removes_its_file(session, app, tmp_path):
    gen_category(session)
    session.commit()
    path = _file(tmp_path, 12)
    job = jobs.create_inline(session, import_jobs.KIND, _params(path, 12))
    seen = []
    done = jobs.run_inline(session, app, job.id, progress=lambda d, t: seen.append((d, t)))
    assert done.status == "finished", done.error
    assert done.result == {"ok": True, "rows": 12, "created": 12, "updated": 0, "unchanged": 0, "statuses": 0}
    assert (done.progress_done, done.progress_total) == (12, 12) and seen[-1] == (12, 12)
    assert _count(session) == 12 and not os.path.exists(path)


def test_an_import_job_whose_file_no_longer_fits_saves_nothing(session, app, tmp_path):
    path = _file(tmp_path, 3, province="Atlantis")
    job = jobs.create_inline(session, import_jobs.KIND, _params(path, 3))
    done = jobs.run_inline(session, app, job.id)
    assert done.status == "finished" and done.result["ok"] is False and done.result["count"] == 3
    assert "line 2: 省份 (Province): Unknown province: Atlantis." in done.result["errors"]
    assert _count(session) == 0


def test_a_check_job_keeps_the_preview_and_writes_nothing(session, app, tmp_path):
    existing = gen_supplier(session, name_zh="检查任务已有有限公司", city="万州")
    session.commit()
    path = tmp_path / "staged.bin"
    path.write_bytes((f"name_zh,credit_code,province,city\r\n检查任务已有有限公司,{existing.credit_code},重庆,涪陵\r\n"
                      "检查任务新有限公司,,重庆,\r\n").encode())
    job = jobs.create_inline(session, import_jobs.CHECK_KIND, _params(str(path), 2) | {"token": "t" * 24})
    done = jobs.run_inline(session, app, job.id)
    assert done.status == "finished", done.error
    result = done.result
    assert result["ok"] is False and result["error_count"] == 1 and result["token"] == "t" * 24
    assert result["errors"][0][:2] == [3, "credit_code (Credit code)"]  # the file's header and the label
    assert result["changes"] == [[2, existing.id, "检查任务已有有限公司", [["city", "万州", "涪陵"]]]]
    assert _count(session) == 1 and path.exists()  # nothing written; the file waits for its confirmation



def test_an_import_job_on_rq_workers(session, app, tmp_path):
    url = redis_url()
    from redis import Redis
    from rq import Queue, SimpleWorker

    gen_category(session)
    session.commit()
    connection = Redis.from_url(url)
    queue = Queue(jobs.QUEUE, connection=connection)
    queue.empty()
    before = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = url
    try:
        with app.test_request_context():
            job = jobs.enqueue(session, app, import_jobs.KIND, _params(_file(tmp_path, 7), 7), None)
        assert job.backend == "rq"
        with app.app_context():
            SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        app.config["REDIS_URL"] = before
    db.session.remove()
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished", job.error
    assert job.result["created"] == 7 and (job.progress_done, job.progress_total) == (7, 7)
    assert _count(session) == 7
