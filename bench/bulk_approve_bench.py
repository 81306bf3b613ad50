"""Bulk submit and bulk approval of 2,000 evaluations (issue 13 Speed): background jobs with progress, no request
over 5 s.

On SQLite (default) or PostgreSQL (--database-url, an EMPTY database):

    .venv/bin/python -m bench.bulk_approve_bench                                  # SQLite, 2,000 evaluations
    .venv/bin/python -m bench.bulk_approve_bench --database-url postgresql://postgres@127.0.0.1:5432/bench_bulk

Its own data: N `bench/datagen.py` suppliers imported as `flask suppliers import` does, all qualified; for each
a periodic evaluation of last year created and scored (every manual criterion 80) by a buyer. The buyer, logged
in through the real form (CSRF on), opens the batch page of drafts, ticks all of them and posts one bulk submit
(`--levels` approval levels, default 1, so the approval finalises each one: the heaviest path); the request
queues the `bulk_submit` job. Then a reviewer opens the batch page of submitted evaluations, ticks all of them
and posts one bulk approval with one comment; the request queues the `bulk_approve` job. Both jobs run in a
thread of the app, as without Redis, and their job page is polled until they are done. Printed: each request's
wall and CPU time, each job's progress as seen, its duration, CPU and evaluations per second, and the longest
request of the run.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, inspect, select, update

from bench.database import server_cpu

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2026, 11, 27)


def reuse(url: str) -> str | None:
    """A new password for the bench's two accounts when the database already holds drafts or submitted
    evaluations (of an earlier --page-only or --submit-only run)."""
    from supplychain import db
    from supplychain.models import Evaluation, User
    from supplychain.services.core import users

    engine = db.make_engine(url)
    if not inspect(engine).has_table("evaluations"):
        engine.dispose()
        return None
    db.bind(engine)
    session = db.session
    if not session.scalar(select(func.count(Evaluation.id)).where(Evaluation.status.in_(("draft", "submitted")))):
        return None
    password = secrets.token_urlsafe(12)
    for user in session.scalars(select(User).where(User.email.in_(["buyer@example.com", "reviewer@example.com"]))):
        user.password_hash = users.hash_password(password)
    session.commit()
    session.remove()
    print("data: reused (the evaluations of an earlier run, still drafts or submitted)")
    return password


def qualified_registry(url: str, count: int):
    """Migrate, a buyer and a reviewer, N generated suppliers imported and qualified (committed); returns the
    session, the accounts' password, the root organisation's id and the buyer."""
    from bench import datagen
    from supplychain import db, migrate, scope
    from supplychain.models import Supplier
    from supplychain.services.core import users
    from supplychain.services.evaluation import schemes
    from supplychain.services.registry import categories

    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url))
    session = db.session
    categories.ensure_defaults(session)
    schemes.ensure_defaults(session)
    password = secrets.token_urlsafe(12)
    root = scope.root(session).id
    buyer = users.create_user(session, users.UserData(email="buyer@example.com", role="procurement", name="采购",
                                                      organisation_id=root), password, actor=None)
    users.create_user(session, users.UserData(email="reviewer@example.com", role="reviewer", name="审核",
                                              organisation_id=root), password, actor=None)
    session.commit()
    t0 = time.perf_counter()
    datagen.import_suppliers(session, count, TODAY)
    session.execute(update(Supplier).values(status="qualified"))
    session.commit()
    print(f"data: {count:,} suppliers imported in {time.perf_counter() - t0:.1f} s")
    return session, password, root, buyer


def build(url: str, count: int) -> str:
    """Migrate, import N suppliers, create and score one draft evaluation each; returns the password."""
    from supplychain.models import Supplier
    from supplychain.services.evaluation import evaluations

    session, password, _root, buyer = qualified_registry(url, count)
    t0 = time.perf_counter()
    made = 0
    for supplier in session.scalars(select(Supplier).order_by(Supplier.id)).all():
        if not supplier.categories:
            continue
        data = evaluations.NewEvaluation(supplier.id, "periodic", supplier.categories[0].id, "year",
                                         TODAY.year - 1, 1)
        evaluation = evaluations.create_evaluation(session, data, buyer, TODAY)
        scores = {c.key: "80" for c in evaluations.manual_criteria(evaluation)}
        evaluations.save_scores(session, evaluation, scores, {}, evaluation.version_id, buyer)
        made += 1
        if made % 200 == 0:
            session.commit()
    session.commit()
    if url.startswith("postgresql"):
        from sqlalchemy import text

        session.execute(text("ANALYZE"))
        session.commit()
    print(f"data: {made:,} draft evaluations created and scored "
          f"in {time.perf_counter() - t0:.1f} s")
    session.remove()
    return password


SERVER_CPU = [lambda: None]
REQUESTS: list[tuple[float, float, str]] = []  # (wall s, CPU s, label) of every request of the run


def _cpu_text(wall: float, cpu: float, server: float | None) -> str:
    text = f"{wall * 1000:,.0f} ms wall, {cpu * 1000:,.0f} ms CPU"
    if server is not None:
        text += f" + {server * 1000:,.0f} ms PostgreSQL CPU"
    return f"{text}, load average {os.getloadavg()[0]:.1f}"


def _timed(label: str, call):
    server0 = SERVER_CPU[0]()
    t0, cpu0 = time.perf_counter(), time.process_time()
    response = call()
    took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    server1 = SERVER_CPU[0]()
    server = server1 - server0 if server0 is not None and server1 is not None else None
    print(f"{label}: {_cpu_text(took, cpu, server)}, status {response.status_code}")
    REQUESTS.append((took, cpu, label))
    return response, took


def _ticked(client, label: str, query: dict) -> tuple[list[str], str]:
    """Open a batch page (warm-up, then timed) and return the ids it offers and its CSRF token."""
    for _ in range(2):  # the first request also warms the caches (templates, scheme versions)
        _timed(f"GET /bulk/evaluations {query} (warm-up / again)", lambda: client.get("/bulk/evaluations",
                                                                                      query_string=query))
    page, _ = _timed(f"GET /bulk/evaluations {query} ({label})",
                     lambda: client.get("/bulk/evaluations", query_string=query))
    ids = re.findall(r'name="ids"[^>]*value="(\d+)"', page.text)
    print(f"ticked: {len(ids):,} evaluations")
    return ids, re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def _through_job(app, client, label: str, url: str, data: dict) -> None:
    """POST a bulk action that queues a job, poll its page until the job is done, print what it did."""
    from supplychain import db, jobs
    from supplychain.models import BackgroundJob

    response, _ = _timed(f"POST {url} ({len(data['ids']):,} ids; queues the job)",
                         lambda: client.post(url, data=data))
    if response.status_code != 302 or "/bulk/jobs/" not in response.headers.get("Location", ""):
        raise SystemExit(f"{url} answered {response.status_code} without a job")
    job_path = response.headers["Location"]
    job_id = int(job_path.rsplit("/", 1)[1])
    t0, cpu0, server0 = time.perf_counter(), time.process_time(), SERVER_CPU[0]()
    progress, page_times = [], []
    while not jobs.wait(job_id, 5):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(job_path)
        page_times.append(time.perf_counter() - started)
        REQUESTS.append((page_times[-1], time.process_time() - started_cpu, f"GET {job_path} while running"))
        with app.app_context():
            job = db.session.get(BackgroundJob, job_id)
            progress.append(f"{time.perf_counter() - t0:.0f} s: {job.progress_done:,}/{job.progress_total:,}")
            db.session.remove()
    job_wall, job_cpu, server1 = time.perf_counter() - t0, time.process_time() - cpu0, SERVER_CPU[0]()
    job_server = server1 - server0 if server0 is not None and server1 is not None else None
    _timed("GET the job page (finished)", lambda: client.get(job_path))
    with app.app_context():
        job = db.session.get(BackgroundJob, job_id)
        ran = (job.finished_at - job.started_at).total_seconds()
        failures = len((job.result or {}).get("failures", []))
        print("progress seen:", "; ".join(progress) or "(finished within the first 5 s)")
        if page_times:
            print(f"job page while running: {len(page_times)} requests, slowest {max(page_times) * 1000:,.0f} ms")
        print(f"{job.kind} job {job.status}: {job.progress_done:,}/{job.progress_total:,} {label} in {ran:.1f} s "
              f"({job.progress_done / ran if ran else 0:,.0f} per second), {(job.result or {}).get('done', 0):,} "
              f"done, {failures} failures")
        print(f"while the job ran (this process: the job's thread and the polling): "
              f"{_cpu_text(job_wall, job_cpu, job_server)}")
        db.session.remove()


def run(url: str, count: int, levels: int, page_only: bool = False, submit_only: bool = False,
        sync_submit: bool = False) -> None:
    """Build the data (or reuse it); submit every draft in one bulk action and wait for the job, then approve
    every submitted evaluation in one bulk action and wait for the job. With page_only, only time the batch page
    of submitted evaluations; with submit_only, stop after the submission (the data stays submitted); with
    sync_submit, submit in the request as before the job (the "before" figure)."""
    from app import create_app
    from bench.import_bench import _login
    from supplychain import db
    from supplychain.models import Evaluation

    print(f"database: {url.split('@')[-1]}")
    password = reuse(url) or build(url, count)
    app = create_app(config={"DATABASE_URL": url, "APPROVAL_LEVELS": levels}, env="development")
    SERVER_CPU[0] = server_cpu(url)
    with app.app_context():
        drafts = db.session.scalar(select(func.count(Evaluation.id)).where(Evaluation.status == "draft"))
        db.session.remove()
    if drafts and not page_only:
        buyer = app.test_client()
        _login(buyer, "buyer@example.com", password)
        ids, token = _ticked(buyer, "the drafts to tick", {})
        if sync_submit:  # as before the job: every submission in the one request
            from supplychain.services.evaluation import bulk

            bulk.SYNC_LIMIT = bulk.MAX_BATCH
            response, _ = _timed(f"POST /bulk/evaluations/submit ({len(ids):,} ids, in the request)",
                                 lambda: buyer.post("/bulk/evaluations/submit", data={"csrf_token": token, "ids": ids}))
            done = re.search(r'data-done="(\d+)"', response.text)
            print(f"submitted in the request: {done.group(1) if done else '?'}")
        else:
            _through_job(app, buyer, "submitted", "/bulk/evaluations/submit", {"csrf_token": token, "ids": ids})
    if not submit_only:
        client = app.test_client()
        _login(client, "reviewer@example.com", password)
        ids, token = _ticked(client, "the batch to tick", {"status": "submitted"})
        if not page_only:
            _through_job(app, client, "approved", "/bulk/evaluations/approve",
                         {"csrf_token": token, "comment": "年度评价批量通过", "ids": ids})
    with app.app_context():
        counts = dict(db.session.execute(select(Evaluation.status, func.count(Evaluation.id))
                                         .group_by(Evaluation.status)).all())
        db.session.remove()
    print("evaluations now:", ", ".join(f"{n:,} {status}" for status, n in sorted(counts.items())))
    wall, cpu, label = max(REQUESTS)
    print(f"longest request: {label}: {wall * 1000:,.0f} ms wall, {cpu * 1000:,.0f} ms CPU "
          f"(of {len(REQUESTS)} requests; most CPU: {max(c for _, c, _ in REQUESTS) * 1000:,.0f} ms)")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=2000, help="suppliers, one evaluation each (max 2,000)")
    parser.add_argument("--levels", type=int, default=1, help="approval levels (1: the approval finalises)")
    parser.add_argument("--db", "--database-url", dest="database_url", default=None,
                        help="an EMPTY database, or one an earlier --page-only run filled (reused); "
                             "default: a temporary SQLite file under bench/out/")
    parser.add_argument("--page-only", action="store_true",
                        help="only time the batch page; the evaluations stay submitted for another run")
    parser.add_argument("--submit-only", action="store_true",
                        help="stop after the bulk submit; the evaluations stay submitted for another run")
    parser.add_argument("--sync-submit", action="store_true",
                        help="submit every draft in the one request, as before the job (for a before/after)")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args.evaluations, args.levels,
            args.page_only, args.submit_only, args.sync_submit)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="bulk-approve-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.evaluations, args.levels, args.page_only,
            args.submit_only, args.sync_submit)


if __name__ == "__main__":
    main()
