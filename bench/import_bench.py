"""Import benchmark: generate N suppliers, import them as a CSV file, then time the supplier list page.

    .venv/bin/python -m bench.import_bench --suppliers 100000

Prints figures; it does not pass or fail. Everything happens in a fresh SQLite database under
bench/out/ (or --db), never in the instance folder. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select, update

from bench.database import database_argument, server_cpu

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2025, 12, 31)
# Lifecycle statuses after import (all imported suppliers start "registered"), so the status filter selects a
# realistic share: most suppliers in a mature registry are qualified.
STATUS_BY_BUCKET = ("qualified",) * 6 + ("registered", "registered", "trial", "conditional")
SEARCH_TERMS = ("长江", "华宇", "精密", "物流", "重庆", "Steel", "中联", "铸造", "Auto", "鑫源")
REGIONS = ("southwest", "east", "south", "north", "central", "northwest")
STATUSES = ("qualified", "registered", "trial")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _login(client, email: str, password: str) -> None:
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")


def run(count: int, seed: int, requests: int, db_path: Path | str, xlsx: bool, platform_export: bool = False,
        first_only: bool = False) -> None:
    """Generate, import, report rows/s; then time the list page with a search and two filters.

    `db_path` is a new SQLite file, or the URL of an empty PostgreSQL database.
    """
    from supplychain import db, migrate, scope
    from supplychain.models import Supplier
    from supplychain.services.core import users
    from supplychain.services.imports import importer
    from supplychain.services.registry import categories

    from . import datagen

    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    print(f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"database: {url}")
    migrate.upgrade(url, "head")
    engine = db.make_engine(url)
    db.bind(engine)
    session = db.session
    categories.ensure_defaults(session)
    password = secrets.token_urlsafe(12)
    buyer = users.UserData(email="bench-buyer@example.com", role="procurement", name="bench",
                           organisation_id=scope.root(session).id)
    users.create_user(session, buyer, password, actor=None)
    session.commit()

    started = time.perf_counter()
    rows = datagen.supplier_rows(count, seed=seed, today=TODAY)
    data = datagen.to_platform_csv(rows) if platform_export else datagen.to_csv(rows)
    mapping = datagen.PLATFORM_MAPPING if platform_export else None
    print(f"generated {count:,} suppliers (seed {seed}) in {time.perf_counter() - started:.1f} s: "
          f"CSV {len(data) / 1e6:.1f} MB")

    server = server_cpu(url)  # PostgreSQL's backends (same machine); None on SQLite

    def timed_import(label: str) -> importer.ImportResult:
        server0 = server()
        cpu0, t0 = time.process_time(), time.perf_counter()
        # Encoding detection and header recognition always run; --platform adds a title, Chinese headers,
        # a mapped column, GBK and a footer, as a procurement platform's export has them.
        read = importer.read_file("bench.csv", data, mapping=mapping)
        t1 = time.perf_counter()
        if read.problems:
            raise SystemExit(f"unreadable: {[str(p) for p in read.problems]}")
        plan = importer.check_rows(session, read.rows, TODAY, read=read)
        t2 = time.perf_counter()
        if not plan.ok:
            raise SystemExit(f"{len(plan.errors)} errors, first: {plan.errors[0]}")
        result = importer.apply_plan(session, plan, None, source="bench.csv")
        session.commit()
        t3, cpu = time.perf_counter(), time.process_time() - cpu0
        total = t3 - t0
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        print(f"{label}: {count:,} rows in {total:.2f} s = {count / total:,.0f} rows/s "
              f"(read {t1 - t0:.2f} s, check {t2 - t1:.2f} s, save+commit {t3 - t2:.2f} s; "
              f"CPU {cpu:.2f} s = {count / cpu:,.0f} rows per CPU second; "
              f"created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,})")
        if server0 is not None:
            server_seconds = server() - server0
            print(f"  PostgreSQL backends' CPU (from /proc): {server_seconds:.2f} s; app and server together "
                  f"{count / (cpu + server_seconds):,.0f} rows per CPU second")
        return result

    load = os.getloadavg()
    timed_import("import")
    print(f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    if first_only:
        session.remove()
        return
    timed_import("same file again")
    if xlsx:
        book = datagen.to_xlsx(rows)
        t0 = time.perf_counter()
        read, _ = importer.read_rows("bench.xlsx", book)
        elapsed = time.perf_counter() - t0
        print(f"reading the same rows as XLSX ({len(book) / 1e6:.1f} MB): {elapsed:.2f} s = "
              f"{len(read) / elapsed:,.0f} rows/s")

    bucket = Supplier.id % len(STATUS_BY_BUCKET)
    session.execute(update(Supplier).values(status=case(
        *((bucket == n, status) for n, status in enumerate(STATUS_BY_BUCKET)))))
    session.commit()
    total = session.scalar(select(func.count(Supplier.id)))
    by_region = dict(session.execute(select(Supplier.region, func.count()).group_by(Supplier.region)).all())
    print(f"registry: {total:,} suppliers; by region: "
          + ", ".join(f"{key} {value:,}" for key, value in sorted(by_region.items(), key=lambda kv: -kv[1])))
    session.remove()
    list_page(url, password, requests)


def list_page(url: str, password: str, requests: int) -> None:
    """Median and p95 of GET /suppliers/?q=…&region=…&status=… through the test client, as procurement."""
    from app import create_app

    app = create_app(config={"DATABASE_URL": url}, env="development")
    client = app.test_client()
    _login(client, "bench-buyer@example.com", password)
    rng = random.Random(1)
    queries = [(rng.choice(SEARCH_TERMS), rng.choice(REGIONS), rng.choice(STATUSES)) for _ in range(requests)]
    for q, region, status in queries[:10]:  # warm-up: templates compiled, caches and pages filled
        client.get("/suppliers/", query_string={"q": q, "region": region, "status": status})
    timings, matches = [], []
    for q, region, status in queries:
        t0 = time.perf_counter()
        response = client.get("/suppliers/", query_string={"q": q, "region": region, "status": status})
        timings.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"list page answered {response.status_code}")
        found = re.search(r'<span class="text-muted fs-6">\((\d+)\)</span>', response.text)
        matches.append(int(found.group(1)) if found else -1)
    print(f"list page GET /suppliers/?q=…&region=…&status=… ({requests} requests, {len(SEARCH_TERMS)} search "
          f"terms x {len(REGIONS)} regions x {len(STATUSES)} statuses; "
          f"{min(matches):,}–{max(matches):,} matches):")
    print(f"  median {statistics.median(timings):.1f} ms   p95 {_percentile(timings, 0.95):.1f} ms   "
          f"max {max(timings):.1f} ms")
    unfiltered = []
    for _ in range(min(20, requests)):
        t0 = time.perf_counter()
        client.get("/suppliers/")
        unfiltered.append((time.perf_counter() - t0) * 1000)
    print("  (for comparison, GET /suppliers/ without filters: "
          f"median {statistics.median(unfiltered):.1f} ms)")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000, help="how many suppliers to generate")
    parser.add_argument("--seed", type=int, default=2024, help="data generator seed (same seed, same file)")
    parser.add_argument("--requests", type=int, default=200, help="list page requests to time")
    parser.add_argument("--db", default=None,
                        help="SQLite file to create (default: a temporary one under bench/out/), or the URL of an "
                             "EMPTY PostgreSQL database")
    parser.add_argument("--database-url", default=None, help="the older spelling of --db URL")
    parser.add_argument("--xlsx", action="store_true", help="also time reading the rows as an XLSX workbook")
    parser.add_argument("--platform", action="store_true",
                        help="write a GBK platform export (Chinese headers, title, footer, a mapped column)")
    parser.add_argument("--first-import-only", action="store_true",
                        help="stop after the first import (no second import, no list page)")
    args = parser.parse_args(argv)
    args.database_url, args.db = database_argument(args.database_url, args.db)
    args.db = Path(args.db) if args.db else None
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))  # the app's folder, not the real instance
    if args.database_url:
        url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        run(args.suppliers, args.seed, args.requests, url, args.xlsx, args.platform, args.first_import_only)
        return
    if args.db is not None:
        if args.db.exists():
            raise SystemExit(f"{args.db} exists: give a new file")
        run(args.suppliers, args.seed, args.requests, args.db, args.xlsx, args.platform, args.first_import_only)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="import-bench-") as folder:
        run(args.suppliers, args.seed, args.requests, Path(folder) / "bench.sqlite3", args.xlsx, args.platform,
            args.first_import_only)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
