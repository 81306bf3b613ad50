"""Home page (dashboard + inbox) at 100,000 suppliers, for the group's root buyer and a subsidiary buyer (issue 14).

    .venv/bin/python -m bench.dashboard_bench --db bench/out/dash.sqlite3           # SQLite, built once, reused
    .venv/bin/python -m bench.dashboard_bench --database-url postgresql://postgres@127.0.0.1:5432/h_dash_bench

The data is bench/group_bench.py's (100,000 suppliers, 50 organisations, 300,000 relationships; reused when
the database already holds it) plus the evidence the home page counts, added once: final periodic evaluations
of 2025 for a third of the suppliers, and for one supplier in twenty a certificate, an integrity pledge and a
corrective action (expiring, due or overdue around the day), the integrity pledge required by two categories.

Then GET / through the Flask test client (CSRF on, real login), `--requests` times per user after two warm-up
requests, on a cache miss (DASHBOARD_SECONDS=0: every figure counted) and with the figures remembered per scope
(the default setting). Reported: wall-clock median/p95, the CPU of this process (the app; SQLite runs in it) and,
on PostgreSQL, the CPU of the server's backends of this database (read from /proc) and, as an upper bound, of the
server processes reaped meanwhile (parallel workers; on a shared server also other databases' connections).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bench.database import database_argument, proc_stat

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2025, 12, 31)
ROOT_EMAIL = "dash-root@example.com"
SUB_EMAIL = "sub-buyer@example.com"


def _add_evidence(session) -> None:
    """Evaluations, certificates, pledges and corrective actions the home page counts (once)."""
    from supplychain import scope
    from supplychain.models import (
        Certification,
        CorrectiveAction,
        Evaluation,
        IntegrityPledge,
        Organisation,
        Supplier,
        SupplyCategory,
    )
    from supplychain.models.requirements import CategoryRequirement
    from supplychain.models.scheme import SchemeVersion
    from supplychain.models.supplier import supplier_categories
    from supplychain.services.evaluation import schemes

    if session.scalar(select(func.count(Evaluation.id))):
        return
    schemes.ensure_defaults(session)
    version = session.scalar(select(SchemeVersion).where(SchemeVersion.kind == "periodic").order_by(SchemeVersion.id))
    bands = [band["key"] for band in version.definition.get("bands", [])]
    for code in ("equipment", "logistics"):
        category = session.scalar(select(SupplyCategory).where(SupplyCategory.code == code))
        session.add(CategoryRequirement(category_id=category.id, kind="pledge", value="integrity"))
    session.flush()
    first_category = dict(session.execute(select(supplier_categories.c.supplier_id,
                                                 func.min(supplier_categories.c.category_id))
                                          .group_by(supplier_categories.c.supplier_id)).all())
    orgs = list(session.scalars(scope.unscoped(select(Organisation.id).where(Organisation.parent_id.is_not(None)))))
    relationships = {}
    for supplier_id, organisation_id in session.execute(text(
            "SELECT supplier_id, MIN(organisation_id) FROM supplier_relationships GROUP BY supplier_id")):
        relationships[supplier_id] = organisation_id
    ids = list(session.scalars(scope.unscoped(select(Supplier.id).order_by(Supplier.id))))
    rng = random.Random(14)
    now = datetime(2025, 12, 1, tzinfo=UTC)
    rows = []
    for supplier_id in ids[::3]:
        rows.append({"supplier_id": supplier_id, "organisation_id": relationships.get(supplier_id, orgs[0]),
                     "category_id": first_category.get(supplier_id, 1), "scheme_version_id": version.id,
                     "kind": "periodic", "period_type": "year", "period_year": 2025, "period_index": 1,
                     "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31), "status": "final",
                     "manual_scores": {}, "manual_notes": {}, "editor_ids": [], "required_levels": 3,
                     "approved_levels": 3, "round": 0, "total": 80.0, "grade": rng.choice(bands),
                     "finalised_at": now, "version_id": 1})
    for start in range(0, len(rows), 10_000):
        session.execute(insert(Evaluation), rows[start:start + 10_000])
    certificates, pledges, actions = [], [], []
    for supplier_id in rng.sample(ids, len(ids) // 20):
        organisation_id = relationships.get(supplier_id, orgs[0])
        certificates.append({"supplier_id": supplier_id, "cert_type": "iso9001", "number": f"B{supplier_id}",
                             "issuer": "CQC", "issued_on": TODAY - timedelta(days=1000),
                             "expires_on": TODAY + timedelta(days=rng.randint(-30, 200)), "version_id": 1})
        pledges.append({"supplier_id": supplier_id, "organisation_id": organisation_id, "kind": "integrity",
                        "signatory_name": "王伟", "signed_on": TODAY - timedelta(days=700),
                        "valid_until": TODAY + timedelta(days=rng.randint(-30, 400)), "method": "paper",
                        "version_id": 1})
        actions.append({"supplier_id": supplier_id, "organisation_id": organisation_id, "action": "整改",
                        "owner": "王伟", "due_on": TODAY + timedelta(days=rng.randint(-60, 60)), "status": "open",
                        "version_id": 1})
    for model, batch in ((Certification, certificates), (IntegrityPledge, pledges), (CorrectiveAction, actions)):
        known = set(model.__table__.c.keys())
        session.execute(insert(model), [{k: v for k, v in row.items() if k in known} for row in batch])
    session.commit()
    print(f"evidence: {len(rows):,} final evaluations, {len(certificates):,} certificates, pledges and actions")


def _prepare(url: str, count: int, password: str) -> None:
    """The group bench's data (loaded when missing), the evidence, a root buyer and the subsidiary buyer."""
    from bench import group_bench
    from supplychain import db, migrate, scope
    from supplychain.models import Supplier, SupplierRelationship
    from supplychain.services.core import users

    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url, statement_timeout=0))
    session = db.session
    suppliers = session.scalar(scope.unscoped(select(func.count(Supplier.id))))
    if not suppliers or session.scalar(scope.unscoped(select(func.count(SupplierRelationship.id)))) <= suppliers:
        group_bench._load(session, url, count, password)
    _add_evidence(session)
    for email, organisation in ((ROOT_EMAIL, scope.root(session).id), (SUB_EMAIL, None)):
        user = users.find_by_email(session, email)
        if user is None:
            users.create_user(session, users.UserData(email=email, role="procurement", name="bench",
                                                      organisation_id=organisation), password, actor=None)
        else:
            user.password_hash = users.hash_password(password)
    session.commit()
    if url.startswith("postgresql"):
        session.execute(text("ANALYZE"))
        session.commit()
    db.session.remove()


def _server_cpu(engine, database: str) -> tuple[float, float]:
    """CPU seconds of PostgreSQL's backends of this database, and of the server processes it has reaped (0 on SQLite).

    A parallel worker lives for one statement, so its CPU shows only in the postmaster's children times once it
    has exited; those also count exited processes of other databases on the server (an upper bound on a shared
    server). The backends alone leave out the parallel workers (a lower bound).
    """
    if engine.dialect.name != "postgresql":
        return 0.0, 0.0
    with engine.connect() as connection:
        pids = list(connection.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                       {"d": database}))
    ticks = os.sysconf("SC_CLK_TCK")
    backends, reaped, postmaster = 0.0, 0.0, None
    for pid in pids:
        fields = proc_stat(pid)
        if fields:
            backends += (int(fields[11]) + int(fields[12])) / ticks
            postmaster = fields[1]
    fields = proc_stat(int(postmaster)) if postmaster is not None else None
    if fields:
        reaped = (int(fields[13]) + int(fields[14])) / ticks
    return backends, reaped


def _time_home(client, engine, database: str, requests: int) -> tuple[list[float], list[float], list[float],
                                                                        list[float]]:
    """Wall, app CPU, PostgreSQL backends' CPU and reaped server processes' CPU of each GET / (ms)."""
    for _ in range(2):
        client.get("/")
    wall, app_cpu, pg_cpu, reaped_cpu = [], [], [], []
    for _ in range(requests):
        backends0, reaped0 = _server_cpu(engine, database)
        t0, cpu0 = time.perf_counter(), time.process_time()
        response = client.get("/")
        wall.append((time.perf_counter() - t0) * 1000)
        app_cpu.append((time.process_time() - cpu0) * 1000)
        backends1, reaped1 = _server_cpu(engine, database)
        pg_cpu.append((backends1 - backends0) * 1000)
        reaped_cpu.append((reaped1 - reaped0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"home page answered {response.status_code}")
    return wall, app_cpu, pg_cpu, reaped_cpu


def run(url: str, count: int, requests: int, profile: str | None = None) -> None:
    """Prepare the data, then time GET / for both users, counted on every request and remembered."""
    from app import create_app
    from bench.import_bench import _login, _percentile
    from supplychain import db

    print(f"database: {url.split('@')[-1].split('/')[-1]}")
    password = secrets.token_urlsafe(12)
    _prepare(url, count, password)
    engine = db.make_engine(url)
    database = engine.url.database
    for label, seconds in (("counted on every request", 0), ("remembered per scope", None)):
        config = {"DATABASE_URL": url}
        if seconds is not None:
            config["DASHBOARD_SECONDS"] = seconds
        app = create_app(config=config, env="development")
        for who, email in (("root buyer", ROOT_EMAIL), ("subsidiary buyer", SUB_EMAIL)):
            client = app.test_client()
            _login(client, email, password)
            if profile:
                import cProfile
                import pstats

                client.get("/")
                profiler = cProfile.Profile()
                profiler.enable()
                client.get("/")
                profiler.disable()
                print(f"--- profile: {who}, {label}")
                pstats.Stats(profiler).sort_stats(profile).print_stats(30)
            wall, app_cpu, pg_cpu, reaped = _time_home(client, engine, database, requests)
            both = [a + p for a, p in zip(app_cpu, pg_cpu, strict=True)]
            upper = [b + r for b, r in zip(both, reaped, strict=True)]
            print(f"GET / {who:<16} {label:<25} wall median {statistics.median(wall):7.1f} ms p95 "
                  f"{_percentile(wall, 0.95):7.1f} ms | CPU app {statistics.median(app_cpu):6.1f} ms"
                  f" + PostgreSQL backends {statistics.median(pg_cpu):6.1f} ms = median {statistics.median(both):7.1f}"
                  f" ms, p95 {_percentile(both, 0.95):7.1f} ms; with reaped server processes (parallel workers, and"
                  f" other databases'): median {statistics.median(upper):7.1f} ms, p95 {_percentile(upper, 0.95):7.1f}"
                  f" ms  (load {os.getloadavg()[0]:.1f})")
        db.session.remove()
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="requests per user and setting")
    parser.add_argument("--db", default=None, help="a SQLite file to keep and reuse (default: a temporary one), or "
                                                   "a PostgreSQL database's URL, empty or kept")
    parser.add_argument("--database-url", default=None, help="the older spelling of --db URL")
    parser.add_argument("--profile", default=None, help="print a cProfile of one request sorted by this key")
    args = parser.parse_args(argv)
    args.database_url, args.db = database_argument(args.database_url, args.db)
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))
    if args.database_url:
        url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        run(url, args.suppliers, args.requests, args.profile)
        return
    if args.db:
        run(f"sqlite:///{Path(args.db).resolve()}", args.suppliers, args.requests, args.profile)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="dashboard-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.suppliers, args.requests, args.profile)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
