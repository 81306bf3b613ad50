"""Group structure at scale: 100,000 suppliers, 50 organisations, 300,000 relationships.

Times what issue 9 asks for, on SQLite (default) or PostgreSQL (--database-url):
- the supplier list page of a subsidiary buyer (a search and two filters), through the Flask test
  client with CSRF on and a real login (median, p95);
- the group's disclosure of one year (and one subsidiary's), through the same service the page uses.

    .venv/bin/python -m bench.group_bench                       # SQLite, 100,000 suppliers
    .venv/bin/python -m bench.group_bench --database-url postgresql://postgres@127.0.0.1:5432/bench_group
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, insert, select, text, update

from bench.database import database_argument

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2025, 12, 31)
SUBSIDIARIES = 9  # under the root; each has 4–5 projects: 50 organisations in all
PROVINCES = ("500000", "140000", "620000", "510000", "440000", "320000", "420000", "610000", "110000")


def _build_group(session) -> list[int]:
    """The root (from the migration), 9 subsidiaries and 40 projects; returns the subsidiaries' ids."""
    from supplychain import scope
    from supplychain.models import Organisation

    root = scope.root(session)
    subsidiaries = []
    for n in range(SUBSIDIARIES):
        sub = Organisation(code=f"SUB-{n:02d}", name_zh=f"子公司{n}", name_en=f"Subsidiary {n}", kind="subsidiary",
                           home_province=PROVINCES[n], parent_id=root.id)
        session.add(sub)
        session.flush()
        subsidiaries.append(sub.id)
    for n in range(40):
        session.add(Organisation(code=f"PRJ-{n:02d}", name_zh=f"项目{n}", kind="project",
                                 home_province=PROVINCES[n % SUBSIDIARIES], parent_id=subsidiaries[n % SUBSIDIARIES]))
    session.flush()
    return subsidiaries


def _relationships(session, relationships_per_supplier: int) -> int:
    """Each supplier bought by `relationships_per_supplier` distinct organisations (not the root)."""
    from supplychain.models import Organisation, Supplier, SupplierRelationship

    rng = random.Random(9)
    orgs = list(session.scalars(select(Organisation.id).where(Organisation.parent_id.is_not(None))))
    supplier_ids = list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
    rows = []
    for sid in supplier_ids:
        for org_id in rng.sample(orgs, relationships_per_supplier):
            rows.append({"organisation_id": org_id, "supplier_id": sid, "status": "active", "since_on": TODAY,
                         "version_id": 1})
    for start in range(0, len(rows), 20_000):
        session.execute(insert(SupplierRelationship), rows[start:start + 20_000])
    session.commit()
    return len(rows)


def _load(session, url: str, count: int, password: str) -> list[int]:
    """The group, a subsidiary buyer, the suppliers (imported as `flask suppliers import` does) and relationships."""
    from bench import datagen
    from bench.import_bench import STATUS_BY_BUCKET
    from supplychain.models import Supplier
    from supplychain.services.core import users
    from supplychain.services.registry import categories

    categories.ensure_defaults(session)
    subsidiaries = _build_group(session)
    users.create_user(session, users.UserData(email="sub-buyer@example.com", role="procurement", name="bench",
                                              organisation_id=subsidiaries[0]), password, actor=None)
    session.commit()
    t0 = time.perf_counter()
    datagen.import_suppliers(session, count, TODAY)
    session.execute(update(Supplier).values(status=case(
        *((Supplier.id % len(STATUS_BY_BUCKET) == n, s) for n, s in enumerate(STATUS_BY_BUCKET)))))
    session.commit()
    # Imported suppliers may already have a relationship with the root: keep only the generated ones.
    session.execute(text("DELETE FROM supplier_relationship_categories"))
    session.execute(text("DELETE FROM supplier_relationships"))
    session.commit()
    made = _relationships(session, 3)
    if url.startswith("postgresql"):
        # What autovacuum does on a server that runs it: statistics for the planner, and the visibility map
        # that lets the list's counts read the index alone (docs/speed.md).
        with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    print(f"data: {count:,} suppliers, 50 organisations, {made:,} relationships "
          f"in {time.perf_counter() - t0:.1f} s")
    return subsidiaries


def run(url: str, count: int, requests: int, list_only: bool = False, count_every_request: bool = False) -> None:
    """Build the data, then time the subsidiary list page and the disclosures."""
    from app import create_app
    from bench.import_bench import REGIONS, SEARCH_TERMS, STATUSES, _login, _percentile
    from supplychain import db, migrate, scope
    from supplychain.models import Organisation, Supplier, SupplierRelationship
    from supplychain.services.core import users
    from supplychain.services.disclosure import reporting_year

    print(f"database: {url.split('@')[-1]}")
    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url, statement_timeout=0))  # loading 300,000 rows may outlast the app's timeout
    session = db.session
    password = secrets.token_urlsafe(12)
    suppliers = session.scalar(scope.unscoped(select(func.count(Supplier.id))))
    if suppliers and session.scalar(scope.unscoped(select(func.count(SupplierRelationship.id)))) > suppliers:
        # A complete database of an earlier run (--db, or the same PostgreSQL database): time it again.
        subsidiaries = list(session.scalars(scope.unscoped(
            select(Organisation.id).where(Organisation.code.like("SUB-%")).order_by(Organisation.code))))
        users.find_by_email(session, "sub-buyer@example.com").password_hash = users.hash_password(password)
        session.commit()
        count = suppliers
        print(f"data: reused ({count:,} suppliers)")
    else:
        subsidiaries = _load(session, url, count, password)

    scope.activate(session, scope.for_organisation(session, session.get(Organisation, subsidiaries[0])))
    visible = session.scalar(select(func.count(Supplier.id)))
    scope.activate(session, scope.EVERYTHING)
    session.remove()

    config = {"DATABASE_URL": url}
    if count_every_request:  # the region counts computed on every request, as on a cache miss
        config["LIST_COUNTS_SECONDS"] = 0
    app = create_app(config=config, env="development")
    client = app.test_client()
    _login(client, "sub-buyer@example.com", password)
    rng = random.Random(1)
    queries = [(rng.choice(SEARCH_TERMS), rng.choice(REGIONS), rng.choice(STATUSES)) for _ in range(requests)]
    for q, region, status in queries[:10]:
        client.get("/suppliers/", query_string={"q": q, "region": region, "status": status})
    timings, cpu = [], []
    load_before = os.getloadavg()[0]
    for q, region, status in queries:
        t0, cpu0 = time.perf_counter(), time.process_time()
        response = client.get("/suppliers/", query_string={"q": q, "region": region, "status": status})
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - cpu0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"list page answered {response.status_code}")
    # The CPU time of this process (SQLite runs in it; PostgreSQL's server does not) is what a loaded
    # machine does not inflate.
    print(f"subsidiary buyer's list page (sees {visible:,} of {count:,} suppliers), search + region + status, "
          f"{requests} requests: median {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms"
          f" (CPU of this process: median {statistics.median(cpu):.1f} ms, p95 {_percentile(cpu, 0.95):.1f} ms;"
          f" counts {'on every request' if count_every_request else 'reused for LIST_COUNTS_SECONDS'};"
          f" load average {load_before:.1f} -> {os.getloadavg()[0]:.1f})")
    if list_only:
        return

    for label, org_id in (("group", None), ("one subsidiary", subsidiaries[0])):
        session = db.session
        scope.activate(session, scope.EVERYTHING)
        boundary = scope.narrow_to_boundary(session, org_id)
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = reporting_year.disclosure(session, 2025, TODAY, boundary)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"disclosure 2025 for the {label} (three years of figures): {elapsed:.2f} s ({cpu:.2f} s CPU); "
              f"B5.1.total {result.value('B5.1.total').value:,}, local {result.value('B5.1.local').value:,}")
        session.remove()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", default=None,
                        help="a SQLite file to keep and reuse (default: a temporary one under bench/out/), or a "
                             "PostgreSQL database's URL, empty or kept from an earlier run")
    parser.add_argument("--database-url", default=None, help="the older spelling of --db URL")
    parser.add_argument("--list-only", action="store_true", help="time the list page only, not the disclosures")
    parser.add_argument("--count-every-request", action="store_true",
                        help="count the regions on every list request (LIST_COUNTS_SECONDS=0), as on a miss")
    args = parser.parse_args(argv)
    args.database_url, args.db = database_argument(args.database_url, args.db)
    options = {"list_only": args.list_only, "count_every_request": args.count_every_request}
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))
    if args.database_url:
        url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        run(url, args.suppliers, args.requests, **options)
        return
    if args.db:
        run(f"sqlite:///{Path(args.db).resolve()}", args.suppliers, args.requests, **options)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="group-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.suppliers, args.requests, **options)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
