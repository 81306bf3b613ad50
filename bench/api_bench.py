"""API benchmark (issue 10): supplier look-ups and purchase checks at 100,000 suppliers, a changes feed of 10,000.

    .venv/bin/python -m bench.api_bench                          # 100,000 suppliers, SQLite under bench/out/
    .venv/bin/python -m bench.api_bench --suppliers 20000 --requests 100
    .venv/bin/python -m bench.api_bench --database-url postgresql://postgres@127.0.0.1:5432/sc_bench
    .venv/bin/python -m bench.api_bench --database-url postgresql://postgres@127.0.0.1:5432/sc_bench --reuse \
        --sync-read-log --ping-after 0            # the same data again, read log flushed, a ping per call

Everything goes through the WSGI app (Flask test client): bearer token, rate limiter, organisation
scope, schema serialisation and the call log included. Figures, not pass/fail; the aims are a p95
of 20 ms or less for a look-up and a purchase check, and 1 s or less to read 10,000 changes.
Besides wall and CPU time it counts the SQL statements of each call and, on a PostgreSQL server on
this machine, the CPU its backend spent per call (from /proc), and prints the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session

from bench.database import process_cpu

TODAY = date.today()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def generate(session: Session, count: int, seed: int = 2024) -> list[tuple[int, str]]:
    """Suppliers with a relationship, a qualification, a licence for engineering, a few blacklisted."""
    from supplychain import credit_code
    from supplychain.models import (
        BlacklistEntry,
        CategoryRequirement,
        Certification,
        Organisation,
        Supplier,
        SupplierQualification,
        SupplierRelationship,
        SupplyCategory,
        supplier_categories,
    )
    from supplychain.services.registry.categories import DEFAULT_CATEGORIES

    rng = random.Random(seed)
    session.execute(insert(SupplyCategory), [{"code": c, "name_zh": zh, "name_en": en, "active": True,
                                              "requires_trial": trial}
                                             for c, zh, en, trial, _risk in DEFAULT_CATEGORIES])
    categories = dict(session.execute(select(SupplyCategory.code, SupplyCategory.id)).all())
    session.execute(insert(CategoryRequirement), [{"category_id": categories["engineering"], "kind": "certificate",
                                                   "value": "safety_production_licence"}])
    root = session.scalar(select(Organisation).where(Organisation.parent_id.is_(None)))
    if root is None:
        root = Organisation(code="GROUP", name_zh="示例集团", kind="group", home_province="500000")
        session.add(root)
        session.flush()
    now = datetime.now(UTC)
    codes: set[str] = set()
    rows = []
    for n in range(count):
        code = credit_code.generate(rng, "500100")
        while code in codes:
            code = credit_code.generate(rng, "500100")
        codes.add(code)
        status = rng.choices(("qualified", "conditional", "suspended", "registered"), (70, 15, 5, 10))[0]
        rows.append({"name_zh": f"重庆接口测试有限公司{n}", "name_en": f"API Bench {n}", "name_key": f"bench{n}",
                     "credit_code": code, "search_text": f"重庆接口测试有限公司{n} api bench {n} {code}".lower(),
                     "country": "CN", "province_code": "500000", "region": "southwest", "status": status,
                     "registered_on": date(2020, 1, 1), "created_at": now, "updated_at": now})
    for start in range(0, count, 5000):
        session.execute(insert(Supplier), rows[start:start + 5000])
    ids = [row[0] for row in session.execute(select(Supplier.id, Supplier.status).order_by(Supplier.id))]
    statuses = dict(session.execute(select(Supplier.id, Supplier.status)).all())
    codes_list = list(categories)
    links, rels, quals, certs = [], [], [], []
    for sid in ids:
        category = codes_list[sid % len(codes_list)]
        links.append({"supplier_id": sid, "category_id": categories[category]})
        rels.append({"organisation_id": root.id, "supplier_id": sid, "status": "active", "since_on": date(2021, 1, 1),
                     "version_id": 1, "created_at": now, "updated_at": now})
        if statuses[sid] != "registered":
            quals.append({"supplier_id": sid, "category_id": categories[category], "status": statuses[sid],
                          "since_on": date(2021, 1, 1), "created_at": now, "updated_at": now})
        if category == "engineering":
            certs.append({"supplier_id": sid, "cert_type": "safety_production_licence", "number": f"L{sid}",
                          "issuer": "应急管理局", "issued_on": date(2022, 1, 1),
                          "expires_on": TODAY + timedelta(days=rng.choice((-30, 400)))})
    for table, batch in ((supplier_categories, links), (SupplierRelationship.__table__, rels),
                         (SupplierQualification.__table__, quals), (Certification.__table__, certs)):
        for start in range(0, len(batch), 5000):
            session.execute(insert(table), batch[start:start + 5000])
    blacklisted = rng.sample(ids, max(1, count // 1000))
    session.execute(insert(BlacklistEntry), [{"supplier_id": sid, "reason": "bribery", "decided_by": "监督委员会",
                                              "since_on": date(2024, 1, 1), "created_at": now}
                                             for sid in blacklisted])
    session.execute(update(Supplier).where(Supplier.id.in_(blacklisted)).values(status="blacklisted"))
    session.commit()
    return [(sid, code) for sid, code in session.execute(select(Supplier.id, Supplier.credit_code))]


def backend_cpu_seconds(pids: set[int]) -> float:
    """CPU seconds the PostgreSQL backends with these process ids have used (0 when /proc cannot tell)."""
    return sum(process_cpu(pid) for pid in pids)


def make_changes(session: Session, ids: list[int], count: int) -> float:
    """Change `count` suppliers through the ORM (the change hook writes the feed); returns seconds."""
    from supplychain.models import Supplier

    started = time.perf_counter()
    for start in range(0, count, 500):
        for supplier in session.scalars(select(Supplier).where(Supplier.id.in_(ids[start:start + 500]))):
            supplier.city = "成都" if supplier.city == "重庆" else "重庆"  # a real change on a kept database too
        session.commit()
    return time.perf_counter() - started


def main() -> None:
    """Build the data, then time the API through the WSGI app."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--db", "--database-url", dest="database_url", default=None)
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the suppliers a previous run loaded (no new data)")
    parser.add_argument("--sync-read-log", action="store_true",
                        help="API_READ_LOG_ASYNC_COMMIT off: a read's log line waits for the disk flush")
    parser.add_argument("--ping-after", type=float, default=None,
                        help="DATABASE_PING_AFTER_IDLE seconds (0: ping on every checkout)")
    args = parser.parse_args()

    from app import create_app
    from supplychain import db, migrate
    from supplychain.models import Supplier
    from supplychain.services.integration import api_clients

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    url = args.database_url
    reuse = False
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(dir=out)}/api.sqlite3"
    else:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = db.make_engine(url)
        with engine.begin() as conn:
            reuse = args.reuse and conn.execute(text("SELECT to_regclass('suppliers') IS NOT NULL")).scalar() \
                and conn.execute(text("SELECT count(*) FROM suppliers")).scalar() > 0
            if not reuse:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url, "head")
    config = {"DATABASE_URL": url, "RATELIMIT_STORAGE_URI": "memory://",
              "API_READ_LOG_ASYNC_COMMIT": not args.sync_read_log}
    if args.ping_after is not None:
        config["DATABASE_PING_AFTER_IDLE"] = args.ping_after
    app = create_app(config=config, env="development")
    session = db.session
    started = time.perf_counter()
    if reuse:
        pairs = [(sid, code) for sid, code in session.execute(select(Supplier.id, Supplier.credit_code))]
        print(f"data: {len(pairs)} suppliers kept from a previous run")
    else:
        pairs = generate(session, args.suppliers)
        print(f"data: {len(pairs)} suppliers in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    _client, token = api_clients.create_client(session, api_clients.ClientData(
        name=f"bench {time.time_ns()}", scopes=["suppliers:read", "changes:read", "purchase-checks:write"],
        rate_limit=100_000), None)
    session.commit()
    session.remove()  # the timed calls start from the pool as a request does
    engine = app.extensions["sqlalchemy_engine"]
    statements = [0]
    backends: set[int] = set()
    event.listen(engine, "before_cursor_execute", lambda *_a, **_k: statements.__setitem__(0, statements[0] + 1))
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", lambda dbapi, _rec: backends.add(dbapi.info.backend_pid))
        with engine.connect() as conn:  # the connection the pool already holds
            backends.add(conn.connection.dbapi_connection.info.backend_pid)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; read log async commit "
          f"{not args.sync_read_log}; ping after idle {app.config.get('DATABASE_PING_AFTER_IDLE')}")
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh"}
    client = app.test_client()
    rng = random.Random(7)

    cpu: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    server: dict[str, float] = {}

    def timed(call, name: str) -> list[float]:
        for _ in range(10):
            call()
        times, cpu_times, count = [], [], []
        server_before = backend_cpu_seconds(backends)
        for _ in range(args.requests):
            statements[0] = 0
            t0, c0 = time.perf_counter(), time.process_time()
            response = call()
            times.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.process_time() - c0) * 1000)
            count.append(statements[0])
            assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
        cpu[name], counts[name] = cpu_times, count
        server[name] = (backend_cpu_seconds(backends) - server_before) * 1000 / args.requests
        return times

    categories = ["equipment", "components", "raw_materials", "engineering", "environmental_services"]
    results = {
        "GET /suppliers/{id}": timed(lambda: client.get(f"/api/v1/suppliers/{rng.choice(pairs)[0]}",
                                                        headers=headers), "id"),
        "GET /suppliers/by-credit-code/{code}": timed(
            lambda: client.get(f"/api/v1/suppliers/by-credit-code/{rng.choice(pairs)[1]}", headers=headers), "code"),
        "POST /purchase-checks": timed(lambda: client.post("/api/v1/purchase-checks", headers=headers, json={
            "supplier_id": rng.choice(pairs)[0], "category": rng.choice(categories), "organisation": "GROUP"}),
            "check"),
    }
    # On a shared machine the wall clock counts other processes too; CPU time per request is this process's.
    for (name, times), key in zip(results.items(), cpu, strict=True):
        backend = f"   server CPU mean {server[key]:4.1f} ms" if backends else ""
        print(f"{name:40s} median {statistics.median(times):6.1f} ms   p95 {_p(times, 0.95):6.1f} ms"
              f"   CPU p95 {_p(cpu[key], 0.95):5.1f} ms   statements {max(counts[key])}{backend}"
              f"   ({len(times)} requests)")

    from supplychain.services.integration import changes

    cursor = changes.latest_cursor(session)
    seconds = make_changes(session, [p[0] for p in pairs[: args.changes]], args.changes)
    print(f"writing {args.changes} changes through the ORM: {seconds:.1f} s")
    t0, c0 = time.perf_counter(), time.process_time()
    seen = 0
    while True:
        page = client.get("/api/v1/changes", query_string={"after": cursor, "limit": 1000}, headers=headers).json
        seen += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    print(f"GET /changes: {seen} changes in {time.perf_counter() - t0:.2f} s, CPU {time.process_time() - c0:.2f} s"
          f" (pages of 1000); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
