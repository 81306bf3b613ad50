"""Scorecard export benchmark (issue 6): 5,000 scorecards, scorecards/s, against a bare ReportLab ceiling.

    .venv/bin/python -m bench.export_bench                                  # 5,000; Redis from TEST_REDIS_URL
    .venv/bin/python -m bench.export_bench --count 1000 --bare 200 --workers 1,2
    .venv/bin/python -m bench.export_bench --redis redis://127.0.0.1:6379/14 --db bench/out/export.sqlite3

It builds its own database (a migrated SQLite file under bench/out/, or --db), fills it with the
suppliers and evidence of bench/score_bench.py, then gives every supplier a final 2025 annual
evaluation (scored by the engine from the stored facts, approved at three levels) and half of them
a 2024 one for the trend. Then, in one run:

1. **bare**: the same scorecards' ScorecardData, built beforehand, rendered with
   reports.scorecard.render_scorecard alone, no database, no files: the ceiling of this stack;
2. **one process**: the export job run in this process exactly as `flask scorecards export`
   without Redis runs it (plan, parts, codes stored, PDFs written, ZIP with the index);
3. **N RQ workers** (with Redis: --redis, else TEST_REDIS_URL or REDIS_URL): `rq worker
   --worker-class supplychain.worker.AppWorker` processes started and warm before the clock starts,
   the job enqueued as the web page does; timed until the job is finished.

Codes issued by an earlier run are deleted before each run, so every run stores all of them.
Figures, not pass/fail. The aim: one process at 60 % or more of the bare rate; two workers close
to twice the one-process rate (on a machine with at least two free cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
AS_OF = date(2025, 12, 31)


def populate(url: str, count: int, seed: int) -> None:
    """Migrate; load suppliers with evidence and a final evaluation each (plus a 2024 one for half)."""
    from bench import score_bench
    from config.schemes import DEFAULT_SCHEMES
    from supplychain import db, migrate
    from supplychain.models import Evaluation, EvaluationApproval, SchemeVersion, User
    from supplychain.scoring import evaluation_snapshot, scheme_to_dict, score
    from supplychain.services.evaluation import facts_loader

    migrate.upgrade(url, "head")
    engine = db.make_engine(url)
    db.bind(engine)
    session = db.session
    score_bench.generate(session, count, seed)
    scheme = DEFAULT_SCHEMES["periodic"]
    definition = scheme_to_dict(scheme)
    definition.update(code="periodic.default", version=1)
    version = SchemeVersion(
        code="periodic.default",
        kind="periodic",
        version=1,
        name_zh=scheme.name_zh,
        name_en=scheme.name_en,
        definition=definition,
    )
    reviewers = [
        User(email=f"reviewer{i}@example.com", name=name, password_hash="x", role="reviewer")
        for i, name in enumerate(("审核人 李强", "审核人 张静", "审核人 陈杰"), start=1)
    ]
    session.add_all([version, *reviewers])
    session.flush()
    categories = dict(
        session.execute(select(score_bench_links().c.supplier_id, score_bench_links().c.category_id)).all()
    )
    rng = random.Random(seed)
    window = facts_loader.window_for(scheme)
    manual_keys = [c.key for c in scheme.manual_criteria()]
    evaluations, approvals = [], []
    next_id = 1
    for year in (2024, 2025):
        as_of = date(year, 12, 31)
        ids = sorted(categories) if year == 2025 else sorted(categories)[::2]
        facts = facts_loader.load_facts(session, ids, as_of, window)
        for sid in ids:
            manual = {key: rng.choice((60, 70, 75, 80, 85, 90, 95)) for key in manual_keys}
            result = score(scheme, facts[sid], manual, as_of)
            finalised = datetime(year + 1, 1, 20, 9, 30, tzinfo=UTC)
            evaluations.append(
                {
                    "id": next_id,
                    "supplier_id": sid,
                    "category_id": categories[sid],
                    "scheme_version_id": version.id,
                    "kind": "periodic",
                    "period_type": "year",
                    "period_year": year,
                    "period_index": 1,
                    "period_start": date(year, 1, 1),
                    "period_end": as_of,
                    "status": "final",
                    "manual_scores": manual,
                    "manual_notes": {},
                    "editor_ids": [],
                    "as_of": as_of,
                    "required_levels": 3,
                    "approved_levels": 3,
                    "round": 1,
                    "snapshot": evaluation_snapshot(scheme, facts[sid], manual, as_of),
                    "result": result.to_dict(),
                    "total": result.total,
                    "grade": result.band.key,
                    "passed": result.passed,
                    "social_non_compliance": result.social_non_compliance,
                    "outcome": None,
                    "submitted_at": finalised - timedelta(days=5),
                    "finalised_at": finalised,
                    "version_id": 1,
                    "created_at": finalised - timedelta(days=10),
                    "updated_at": finalised,
                }
            )
            for level, reviewer in enumerate(reviewers, start=1):
                approvals.append(
                    {
                        "evaluation_id": next_id,
                        "round": 1,
                        "level": level,
                        "decision": "approved",
                        "approver_id": reviewer.id,
                        "decided_at": finalised - timedelta(days=4 - level),
                    }
                )
            next_id += 1
    for start in range(0, len(evaluations), 1000):
        session.execute(insert(Evaluation), evaluations[start : start + 1000])
    for start in range(0, len(approvals), 3000):
        session.execute(insert(EvaluationApproval), approvals[start : start + 3000])
    session.commit()
    db.session.remove()
    engine.dispose()


def score_bench_links():
    """The supplier → category table (each benchmark supplier has one category)."""
    from supplychain.models import supplier_categories

    return supplier_categories


def _app(url: str, folder: Path, redis_url: str | None):
    from app import create_app

    return create_app(
        config={
            "DATABASE_URL": url,
            "EXPORT_FOLDER": str(folder),
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-secret",
            "SERVER_NAME": None,
        },
        env="development",
    )


def bare_rate(app, sample: int) -> tuple[float, int, float, list]:
    """Render the ScorecardData of `sample` evaluations with ReportLab alone (built beforehand, untimed)."""
    from reports.scorecard import render_scorecard
    from supplychain import db
    from supplychain.models import Evaluation
    from supplychain.services.evaluation import scorecards

    with app.app_context():
        settings = scorecards.settings_from(app.config, "https://esg.example.com")
        ids = list(
            db.session.scalars(
                select(Evaluation.id).where(Evaluation.period_year == 2025).order_by(Evaluation.id).limit(sample)
            )
        )
        data = []
        for start in range(0, len(ids), 200):
            evaluations = scorecards.load_evaluations(db.session, ids[start : start + 200])
            context = scorecards.load_context(db.session, evaluations)
            data += [scorecards.build(e, context, settings, ("zh", "en"), scorecards.now()).data for e in evaluations]
        db.session.remove()
    render_scorecard(data[0], ("zh", "en"), font_path=settings.font_path)  # font loaded before the clock
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    for item in data:
        size += len(render_scorecard(item, ("zh", "en"), font_path=settings.font_path))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(data) / seconds, size // max(1, len(data)), cpu / len(data), data


_BARE: list = []


def _render_slice(bounds: tuple[int, int]) -> int:
    from reports.scorecard import render_scorecard

    for item in _BARE[bounds[0] : bounds[1]]:
        render_scorecard(item, ("zh", "en"))
    return bounds[1] - bounds[0]


def bare_parallel(data: list, processes: int) -> float:
    """The bare rendering in several processes at once: what this machine gives N CPU-bound processes
    right now (forked after the font is loaded), the ceiling for N workers."""
    global _BARE
    _BARE = data
    step = -(-len(data) // processes)
    slices = [(start, min(start + step, len(data))) for start in range(0, len(data), step)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_render_slice, slices, chunksize=1))
        return done / (time.perf_counter() - started)


def _clear_codes(app) -> None:
    from supplychain import db
    from supplychain.models import ScorecardIssue

    with app.app_context():
        db.session.execute(delete(ScorecardIssue))
        db.session.commit()
        db.session.remove()


def one_process(app) -> tuple[float, int, float, float]:
    """The export job in this process, as the CLI runs it without Redis; (rate, count, seconds)."""
    from supplychain import db, jobs
    from supplychain.services.evaluation import exports

    _clear_codes(app)
    with app.app_context():
        job = jobs.create_inline(
            db.session,
            exports.KIND,
            {"period": "2025", "language": "both", "base_url": "https://esg.example.com"},
        )
        started, cpu = time.perf_counter(), time.process_time()
        job = jobs.run_inline(db.session, app, job.id)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert job.status == "finished", job.error
        assert not job.failures, job.failures[:3]
        count = job.result["exported"]
        db.session.remove()
    return count / seconds, count, seconds, cpu


def rq_workers(app, url: str, folder: Path, redis_url: str, workers: int) -> tuple[float, int, float, float]:
    """The same export on `workers` RQ worker processes, started and warm before the clock starts.

    The CPU time is the workers' and their work horses' (counted once they have exited), start-up
    included; the wall clock starts only when they are ready."""
    from redis import Redis
    from rq import Queue, Worker

    from supplychain import db, jobs
    from supplychain.models import BackgroundJob
    from supplychain.services.evaluation import exports

    _clear_codes(app)
    connection = Redis.from_url(redis_url)
    Queue(jobs.QUEUE, connection=connection).empty()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EXPORT_FOLDER": str(folder),
        "SECRET_KEY": "bench-secret",
        "REDIS_URL": redis_url,
        "APP_ENV": "development",
        "PYTHONPATH": str(ROOT),
    }
    rq = str(Path(sys.executable).with_name("rq"))
    names = [f"bench-{os.getpid()}-{n}" for n in range(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = before.ru_utime + before.ru_stime
    log = (folder.parent / f"rq-{workers}.log").open("wb")
    processes = [
        subprocess.Popen(
            [
                rq,
                "worker",
                "--url",
                redis_url,
                "--worker-class",
                "supplychain.worker.AppWorker",
                "--name",
                name,
                jobs.QUEUE,
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for name in names
    ]
    try:
        deadline = time.monotonic() + 60
        while len({w.name for w in Worker.all(connection=connection)} & set(names)) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                log.flush()
                tail = (folder.parent / f"rq-{workers}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the RQ workers did not start:\n{tail}")
            time.sleep(0.2)
        time.sleep(2)  # AppWorker.work() creates the app and loads the font before taking jobs
        with app.app_context():
            started = time.perf_counter()
            job = jobs.enqueue(
                db.session,
                app,
                exports.KIND,
                {"period": "2025", "language": "both", "base_url": "https://esg.example.com"},
                None,
            )
            while True:
                db.session.expire_all()
                job = db.session.get(BackgroundJob, job.id)
                if job.status in ("finished", "failed"):
                    break
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            assert job.status == "finished", job.error
            assert not job.failures, job.failures[:3]
            count = job.result["exported"]
            db.session.remove()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        log.close()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = cpu.ru_utime + cpu.ru_stime - cpu_before
    return count / seconds, count, seconds, cpu_seconds


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="scorecards to export (default 5000)")
    parser.add_argument("--bare", type=int, default=1000, help="scorecards rendered bare for the ceiling (1000)")
    parser.add_argument("--workers", default="2", help="RQ worker counts to time, e.g. 1,2 (default 2; 0: none)")
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL"))
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to build and keep")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="export-bench-", dir=OUT))
    db_path = args.db or work / "export.sqlite3"
    if db_path.exists():
        db_path.unlink()
    url = f"sqlite:///{db_path.resolve()}"
    folder = work / "exports"
    try:
        started = time.perf_counter()
        populate(url, args.count, args.seed)
        print(
            f"data: {args.count} suppliers, {args.count} final 2025 evaluations "
            f"(+{(args.count + 1) // 2} from 2024)"
            f" in {time.perf_counter() - started:.1f} s"
        )
        app = _app(url, folder, None)
        from reports.fonts import register_cjk_font

        font = register_cjk_font(app.config.get("CJK_FONT_PATH") or None)
        print(
            f"CJK font: {font.name} ({'embedded' if font.embedded else 'not embedded'}); "
            f"{os.cpu_count()} CPUs; database SQLite"
        )
        bare, size, bare_cpu, bare_data = bare_rate(app, min(args.bare, args.count))
        print(
            f"bare ReportLab, no database ({min(args.bare, args.count)} scorecards): "
            f"{bare:6.2f} scorecards/s "
            f"({size // 1024} kB each); CPU {1000 * bare_cpu:.0f} ms per scorecard"
        )
        print(f"load average before the runs: {os.getloadavg()[0]:.1f} (other processes share the CPUs)")
        for workers in sorted({int(w) for w in args.workers.split(",") if w.strip() and int(w) > 1}):
            parallel = bare_parallel(bare_data, workers)
            print(
                f"bare ReportLab in {workers} processes at once: {parallel:6.2f} scorecards/s "
                f"= {parallel / bare:.2f} × one (what this machine gives {workers} workers now)"
            )
        rate, count, seconds, cpu = one_process(app)
        print(
            f"export, one process ({count} scorecards, {seconds:.0f} s):        {rate:6.2f} scorecards/s "
            f"= {100 * rate / bare:.0f} % of bare; CPU {1000 * cpu / count:.0f} ms per scorecard"
        )
        for workers in [int(w) for w in args.workers.split(",") if w.strip() and int(w) > 0]:
            if not args.redis:
                print(f"export, {workers} RQ workers: skipped (no --redis, TEST_REDIS_URL or REDIS_URL)")
                continue
            rq_app = _app(url, folder, args.redis)
            rq_rate, count, seconds, cpu = rq_workers(rq_app, url, folder, args.redis, workers)
            print(
                f"export, {workers} RQ worker{'s' if workers > 1 else ' '} "
                f"({count} scorecards, {seconds:.0f} s):"
                f"     {rq_rate:6.2f} scorecards/s = {rq_rate / rate:.2f} × one process; "
                f"CPU {1000 * cpu / count:.0f} ms per scorecard"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
